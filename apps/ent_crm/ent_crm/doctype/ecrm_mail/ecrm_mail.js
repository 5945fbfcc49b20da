// Copyright (c) 2026, ent_crm developers
// License: MIT. See LICENSE

// One mail and the triage actions that fit its queue (D2–D7). The actions are ent_crm.mail.api's
// endpoints (ent_crm.mail.triage); the server checks every right again.

const ECRM_TRIAGE = "ent_crm.mail.api.";
const ECRM_ADMIN_ROLES = ["ECRM Mail Admin", "ECRM Manager", "ECRM All Customers", "System Manager"];

frappe.ui.form.on("ECRM Mail", {
	refresh(frm) {
		const esc = frappe.utils.escape_html;
		frm.disable_save();
		if (frm.doc.communication) {
			frm.add_custom_button(__("Open Mail Text"), () => frappe.set_route("Form", "Communication", frm.doc.communication));
		}
		if (frm.doc.direction === "Outbound") return; // outgoing mail: its own block below (E1–E5)
		if (frm.doc.reference_name) {
			frm.set_intro(
				__("From {0} of {1}", [esc(frm.doc.contact_name || frm.doc.sender || ""), esc(frm.doc.reference_title || frm.doc.reference_name)]),
				"blue"
			);
		} else if (frm.doc.suggested_customer) {
			frm.set_intro(__("Suggested customer: {0}", [esc(frm.doc.suggested_customer)]), "yellow");
		}
		const queue = frm.doc.queue;
		const admin = frappe.user.has_role(ECRM_ADMIN_ROLES);
		const act = (label, handler, group) => frm.add_custom_button(__(label), handler, group ? __(group) : undefined);

		if (queue === "Unassigned" && admin) {
			act("Distribute", () => ecrm_mail.distribute(frm));
		}
		if (queue === "Unassigned" || queue === "Stranger Pending") {
			act("Merge into Customer", () => ecrm_mail.merge(frm), "File as Record");
			act("New Customer", () => ecrm_mail.new_record(frm, "ECRM Customer"), "File as Record");
			act("New Supplier", () => ecrm_mail.new_record(frm, "ECRM Supplier"), "File as Record");
		}
		if (queue === "Stranger Pending") {
			act("Hand to Salesperson", () => ecrm_mail.forward(frm));
		}
		if (["Unassigned", "Known Pending", "Stranger Pending", "Handled"].includes(queue)) {
			act("Mark Followed", () => ecrm_mail.mark_followed(frm));
			act("Copy to Colleagues", () => ecrm_mail.copy(frm));
			act("Trash", () => ecrm_mail.call(frm, "move_to", { queue: "Trash" }), "Remove");
			act("Recycle Bin", () => ecrm_mail.call(frm, "move_to", { queue: "Recycle Bin" }), "Remove");
			act("Block Address", () => ecrm_mail.call(frm, "block", { scope: "address" }), "Remove");
			act("Block Domain", () => ecrm_mail.call(frm, "block", { scope: "domain" }), "Remove");
		}
		if (queue === "Trash" || queue === "Recycle Bin") {
			act("Restore", () => ecrm_mail.call(frm, "restore", {}));
			if (admin) {
				act("Delete for Good", () =>
					frappe.confirm(__("Delete this mail and its attachments for good?"), () =>
						frappe.call({ method: ECRM_TRIAGE + "delete_forever", args: { mail: frm.doc.name }, callback: () => frappe.set_route("List", "ECRM Mail") })
					)
				);
			}
		}
	},
});

const ecrm_mail = {
	call(frm, method, args) {
		return frappe.call({
			method: ECRM_TRIAGE + method,
			args: Object.assign({ mail: frm.doc.name }, args),
			freeze: true,
			callback: () => frm.reload_doc(),
		});
	},

	salesperson_field(label) {
		return {
			fieldname: "employee",
			fieldtype: "Link",
			options: "ECRM Employee",
			label: __(label),
			reqd: 1,
			get_query: () => ({ filters: { is_salesperson: 1, status: "In Service" } }),
		};
	},

	distribute(frm) {
		frappe.prompt(
			[
				this.salesperson_field("Salesperson"),
				{ fieldname: "note", fieldtype: "Small Text", label: __("Remarks") },
				{ fieldname: "route_address", fieldtype: "Check", label: __("Route this address to them from now on") },
			],
			(v) => this.call(frm, "distribute", v),
			__("Distribute"),
			__("Distribute")
		);
	},

	forward(frm) {
		frappe.prompt(
			[this.salesperson_field("Salesperson"), { fieldname: "note", fieldtype: "Small Text", label: __("Remarks") }],
			(v) => this.call(frm, "forward_to_salesperson", v),
			__("Hand to Salesperson"),
			__("Hand Over")
		);
	},

	merge(frm) {
		frappe.prompt(
			[
				{ fieldname: "customer", fieldtype: "Link", options: "ECRM Customer", label: __("Customer"), reqd: 1 },
				{
					fieldname: "scope",
					fieldtype: "Select",
					label: __("Merge"),
					options: [
						{ value: "mail", label: __("This mail only") },
						{ value: "address", label: __("The address for good (becomes a backup e-mail)") },
					],
					default: "mail",
				},
			],
			(v) => this.call(frm, "merge", v),
			__("Merge into Customer"),
			__("Merge")
		);
	},

	new_record(frm, doctype) {
		frappe.call({
			method: ECRM_TRIAGE + "new_record_from_mail",
			args: { mail: frm.doc.name },
			callback: (r) => {
				const values = r.message || {};
				frappe.new_doc(doctype, {
					primary_email: values.primary_email,
					[doctype === "ECRM Supplier" ? "supplier_name" : "customer_name"]:
						doctype === "ECRM Supplier" ? values.supplier_name : values.customer_name,
				});
			},
		});
	},

	mark_followed(frm) {
		frappe.call({ method: ECRM_TRIAGE + "followup_proposal", args: { mail: frm.doc.name }, type: "GET" }).then((r) => {
			const proposal = r.message || {};
			const fields = [
				{ fieldname: "contact_purpose", fieldtype: "Link", options: "ECRM Contact Purpose", label: __("Contact Purpose") },
				{ fieldname: "mail_category", fieldtype: "Link", options: "ECRM Mail Category", label: __("Mail Category") },
				{ fieldname: "products", fieldtype: "MultiSelectList", label: __("Products"),
					get_data: (txt) => frappe.db.get_link_options("ECRM Product", txt) },
				{ fieldname: "followup_days", fieldtype: "Int", label: __("Follow-up Days"),
					description: __("0 = no reminder"), default: 0 },
			];
			if (proposal.existing_date) {
				// a next contact day someone already set is kept unless the user moves it
				const day = frappe.datetime.str_to_user(proposal.existing_date);
				fields.push({ fieldname: "reminder", fieldtype: "Select", label: __("Existing Reminder"),
					description: __("This customer already has a follow-up reminder on {0}.", [day]),
					options: [
						{ value: "keep", label: __("Keep the reminder on {0}", [day]) },
						{ value: "move", label: __("Move it to the day of the follow-up days above") },
					],
					default: "keep", depends_on: "eval:doc.followup_days > 0" });
			}
			frappe.prompt(
				fields,
				(v) => this.call(frm, "mark_followed", Object.assign({}, v, { products: JSON.stringify(v.products || []) })),
				__("Mark Followed"),
				__("Mark Followed")
			);
		});
	},

	copy(frm) {
		frappe.prompt(
			[
				{ fieldname: "users", fieldtype: "MultiSelectList", label: __("Colleagues"), reqd: 1,
					get_data: (txt) => frappe.xcall("ent_crm.mail.api.crm_colleagues", { txt }) },
				{ fieldname: "note", fieldtype: "Small Text", label: __("Remarks") },
			],
			(v) => this.call(frm, "copy_to_colleagues", { users: JSON.stringify(v.users), note: v.note }),
			__("Copy to Colleagues"),
			__("Send")
		);
	},
};

// --- outgoing mail (E1–E5): answer inbound mail; edit, cancel, approve or reject outgoing mail ------------
// The composer is ent_crm.compose (public/js/ecrm_compose.js); the server is ent_crm.mail.api.

const ECRM_OUTBOUND = "ent_crm.mail.api.";

frappe.ui.form.on("ECRM Mail", {
	refresh(frm) {
		if (frm.is_new()) return;
		const compose = (mode) =>
			frappe.require("/assets/ent_crm/js/ecrm_compose.js", () =>
				ent_crm.compose.open({ mail: frm.doc.name, mode: mode, on_sent: () => frm.reload_doc() })
			);
		const answer = __("Answer");
		if (frm.doc.direction !== "Outbound") {
			frm.add_custom_button(__("Reply"), () => compose("reply"), answer);
			frm.add_custom_button(__("Reply All"), () => compose("reply_all"), answer);
			frm.add_custom_button(__("Forward Mail"), () => compose("forward"), answer);
			frm.add_custom_button(__("Forward as Attachment"), () => compose("forward_attachment"), answer);
			return;
		}
		const esc = frappe.utils.escape_html; // what users typed (the rejection reason, names) shows as text
		const status = frm.doc.outbound_status;
		const colours = { Draft: "gray", "Pending Approval": "orange", Rejected: "red", Scheduled: "blue", Queued: "yellow", Sent: "green", Failed: "red", Cancelled: "darkgrey" };
		if (status) frm.page.set_indicator(__(status), colours[status] || "gray");
		const me = frappe.session.user;
		const mine = frm.doc.owner === me;
		if (status === "Rejected") {
			frm.set_intro(__("Rejected by {0}: {1}", [esc(frm.doc.approver || ""), esc(frm.doc.rejection_reason || "")]), "red");
		} else if (status === "Scheduled") {
			frm.set_intro(__("Waits in the outbox until {0}.", [frappe.datetime.str_to_user(frm.doc.send_after)]), "blue");
		} else if (status === "Pending Approval") {
			frm.set_intro(__("Waiting for the approval of {0}.", [esc(frm.doc.approver || "")]), "yellow");
		} else if (status === "Queued") {
			const answer = frm.doc.send_error ? " " + __("The server's last answer: {0}", [esc(frm.doc.send_error)]) : "";
			frm.set_intro(__("Queued: it shows as sent once a mail server has accepted it.") + answer, "yellow");
		} else if (status === "Failed" && frm.doc.send_error) {
			frm.set_intro(__("Not sent. The mail server answered: {0}", [esc(frm.doc.send_error)]), "red");
		}
		if (mine && ["Draft", "Rejected", "Scheduled", "Failed"].includes(status)) {
			frm.add_custom_button(__("Edit and Send"), () => compose("edit"));
		}
		if (mine && ["Draft", "Scheduled", "Pending Approval", "Rejected", "Failed"].includes(status)) {
			frm.add_custom_button(__("Cancel Sending"), () =>
				frappe.confirm(__("Cancel this mail? It will not be sent."), () =>
					frappe.call({ method: ECRM_OUTBOUND + "cancel", args: { name: frm.doc.name } }).then(() => frm.reload_doc())
				)
			);
		}
		if (status === "Pending Approval" && frm.doc.approver === me && !mine) {
			frm.add_custom_button(__("Approve and Send"), () =>
				frappe.call({ method: "ent_crm.mail.api.approve_mail", args: { mail: frm.doc.name }, freeze: true }).then(() => frm.reload_doc())
			).addClass("btn-primary");
			frm.add_custom_button(__("Reject"), () =>
				frappe.prompt(
					[{ fieldname: "reason", fieldtype: "Small Text", label: __("Rejection Reason"), reqd: 1 }],
					(v) => frappe.call({ method: "ent_crm.mail.api.reject_mail", args: { mail: frm.doc.name, reason: v.reason } }).then(() => frm.reload_doc()),
					__("Reject"),
					__("Reject")
				)
			);
		}
		if (status === "Queued" || status === "Sent" || status === "Cancelled") {
			frm.add_custom_button(__("Forward Mail"), () => compose("forward"), answer);
		}
	},
});
