// Copyright (c) 2026, ent_crm developers
// License: MIT. See LICENSE

// One mail and the triage actions that fit its queue (D2–D7). The actions are ent_crm.mail.triage's
// whitelisted methods, their dialogs ent_crm.triage_dialogs (public/js/ecrm_triage_dialogs.js, in
// ent_crm.bundle.js), shared with the workbench; the server checks every right again.
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

		const triage = ent_crm.triage_dialogs;
		const mail = frm.doc.name;
		const done = () => frm.reload_doc();
		const run = (method, args) => triage.run(mail, method, args).then(done);

		if (queue === "Unassigned" && admin) {
			act("Distribute", () => triage.distribute(mail, done));
		}
		if (queue === "Unassigned" || queue === "Stranger Pending") {
			act("Merge into Customer", () => triage.merge(mail, done, frm.doc.suggested_customer), "File as Record");
			act("New Customer", () => triage.new_record(mail, "ECRM Customer"), "File as Record");
			act("New Supplier", () => triage.new_record(mail, "ECRM Supplier"), "File as Record");
		}
		if (queue === "Stranger Pending") {
			act("Hand to Salesperson", () => triage.hand_over(mail, done));
		}
		if (["Unassigned", "Known Pending", "Stranger Pending", "Handled"].includes(queue)) {
			act("Mark Followed", () => triage.mark_followed(mail, done));
			act("Copy to Colleagues", () => triage.copy(mail, done));
			act("Trash", () => run("move_to", { queue: "Trash" }), "Remove");
			act("Recycle Bin", () => run("move_to", { queue: "Recycle Bin" }), "Remove");
			act("Block Address", () => triage.block_address(mail, done, frm.doc.sender), "Remove");
			act("Block Domain", () => triage.block_domain(mail, done), "Remove");
		}
		if (queue === "Trash" || queue === "Recycle Bin") {
			act("Restore", () => run("restore", {}));
			if (admin) {
				act("Delete for Good", () => triage.delete_forever(mail, () => frappe.set_route("List", "ECRM Mail")));
			}
		}
	},
});

// --- outgoing mail (E1–E5): answer inbound mail; edit, cancel, approve or reject outgoing mail ------------
// The composer is ent_crm.compose (public/js/ecrm_compose.js, in ent_crm.bundle.js); the server is ent_crm.mail.outbound/approval.

const ECRM_OUTBOUND = "ent_crm.mail.api.";

frappe.ui.form.on("ECRM Mail", {
	refresh(frm) {
		if (frm.is_new()) return;
		const compose = (mode) => ent_crm.compose.open({ mail: frm.doc.name, mode: mode, on_sent: () => frm.reload_doc() });
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
