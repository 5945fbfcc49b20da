// Copyright (c) 2026, ent_crm developers
// License: MIT. See LICENSE

// The triage actions' dialogs (D2–D7), shared by the mail form (ECRM Mail) and the workbench page:
// distribute, hand to a salesperson, merge into a customer, file as a new customer/supplier, mark followed,
// copy to colleagues, and the confirmed ones (block, delete for good). Part of ent_crm.bundle.js.
// Every action is an endpoint of ent_crm.mail.api (rules in ent_crm.mail.triage); the server checks every right again.
//   ent_crm.triage_dialogs.run(mail, "move_to", {queue: "Trash"}).then(done)
//   ent_crm.triage_dialogs.distribute(mail, done)      // done(): the caller refreshes (form reload, next mail)

frappe.provide("ent_crm.triage_dialogs");

const ECRM_TRIAGE = "ent_crm.mail.api.";

Object.assign(ent_crm.triage_dialogs, {
	METHOD: ECRM_TRIAGE,

	// the action `method` (a name in ent_crm.mail.api) on one mail
	run(mail, method, args) {
		return frappe.call({
			method: ECRM_TRIAGE + method,
			args: Object.assign({ mail: mail }, args || {}),
			freeze: true,
		});
	},

	// a dialog whose primary action runs `method` with its values (shaped by `to_args`), then done()
	dialog(mail, done, { title, fields, action_label, method, to_args, css_class }) {
		const d = new frappe.ui.Dialog({
			title: title,
			fields: fields,
			primary_action_label: action_label,
			primary_action: (values) => {
				d.hide();
				this.run(mail, method, to_args ? to_args(values) : values).then(done);
			},
		});
		if (css_class) d.$wrapper.addClass(css_class);
		d.show();
		return d;
	},

	confirm(mail, done, question, method, args) {
		frappe.confirm(question, () => this.run(mail, method, args).then(done));
	},

	salesperson_field(label) {
		return {
			fieldname: "employee",
			fieldtype: "Link",
			options: "ECRM Employee",
			label: label,
			reqd: 1,
			get_query: () => ({ filters: { is_salesperson: 1, status: "In Service" } }),
		};
	},

	distribute(mail, done) {
		return this.dialog(mail, done, {
			title: __("Distribute"),
			fields: [
				this.salesperson_field(__("Salesperson")),
				{ fieldname: "note", fieldtype: "Small Text", label: __("Remarks") },
				{ fieldname: "route_address", fieldtype: "Check", label: __("Route this address to them from now on") },
			],
			action_label: __("Distribute"),
			method: "distribute",
		});
	},

	hand_over(mail, done) {
		return this.dialog(mail, done, {
			title: __("Hand to Salesperson"),
			fields: [
				this.salesperson_field(__("Salesperson")),
				{ fieldname: "note", fieldtype: "Small Text", label: __("Remarks") },
			],
			action_label: __("Hand Over"),
			method: "forward_to_salesperson",
		});
	},

	// suggested_customer: the customer the mail's address points to, proposed as the default
	merge(mail, done, suggested_customer) {
		return this.dialog(mail, done, {
			title: __("Merge into Customer"),
			fields: [
				{
					fieldname: "customer",
					fieldtype: "Link",
					options: "ECRM Customer",
					label: __("Customer"),
					reqd: 1,
					default: suggested_customer || undefined,
				},
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
			action_label: __("Merge"),
			method: "merge",
		});
	},

	// a new customer or supplier form, filled from the mail's sender
	new_record(mail, doctype) {
		return frappe
			.call({ method: "ent_crm.mail.api.new_record_from_mail", args: { mail: mail }, type: "GET" })
			.then((r) => {
				const values = r.message || {};
				const name_field = doctype === "ECRM Supplier" ? "supplier_name" : "customer_name";
				frappe.new_doc(doctype, { primary_email: values.primary_email, [name_field]: values[name_field] });
			});
	},

	// default_days: the follow-up days proposed when the server has none; css_class: for the dialog
	mark_followed(mail, done, { default_days = 0, css_class = null } = {}) {
		return frappe
			.call({ method: "ent_crm.mail.api.followup_proposal", args: { mail: mail }, type: "GET" })
			.then((r) => {
				const proposal = r.message || {};
				const fields = [
					{
						fieldname: "contact_purpose",
						fieldtype: "Link",
						options: "ECRM Contact Purpose",
						label: __("Contact Purpose"),
					},
					{ fieldname: "mail_category", fieldtype: "Link", options: "ECRM Mail Category", label: __("Mail Category") },
					{
						fieldname: "products",
						fieldtype: "MultiSelectList",
						label: __("Products"),
						get_data: (txt) => frappe.db.get_link_options("ECRM Product", txt),
					},
					{
						fieldname: "followup_days",
						fieldtype: "Int",
						label: __("Follow-up Days"),
						description: __("0 = no reminder"),
						default: proposal.default_days === undefined ? default_days || 0 : proposal.default_days,
					},
				];
				if (proposal.existing_date) {
					// a next contact day someone already set is kept unless the user moves it
					const day = frappe.datetime.str_to_user(proposal.existing_date);
					fields.push({
						fieldname: "reminder",
						fieldtype: "Select",
						label: __("Existing Reminder"),
						description: __("This customer already has a follow-up reminder on {0}.", [day]),
						options: [
							{ value: "keep", label: __("Keep the reminder on {0}", [day]) },
							{ value: "move", label: __("Move it to the day of the follow-up days above") },
						],
						default: "keep",
						depends_on: "eval:doc.followup_days > 0",
					});
				}
				return this.dialog(mail, done, {
					title: __("Mark Followed"),
					fields: fields,
					action_label: __("Mark Followed"),
					method: "mark_followed",
					to_args: (v) => Object.assign({}, v, { products: JSON.stringify(v.products || []) }),
					css_class: ["ecrm-triage-followed-dialog", css_class].filter(Boolean).join(" "),
				});
			});
	},

	copy(mail, done) {
		return this.dialog(mail, done, {
			title: __("Copy to Colleagues"),
			fields: [
				{
					fieldname: "users",
					fieldtype: "MultiSelectList",
					label: __("Colleagues"),
					reqd: 1,
					get_data: (txt) => frappe.xcall("ent_crm.mail.api.crm_colleagues", { txt }),
				},
				{ fieldname: "note", fieldtype: "Small Text", label: __("Remarks") },
			],
			action_label: __("Send"),
			method: "copy_to_colleagues",
			to_args: (v) => ({ users: JSON.stringify(v.users), note: v.note }),
		});
	},

	block_address(mail, done, sender) {
		this.confirm(
			mail,
			done,
			__("Block {0} from now on?", [frappe.utils.escape_html(sender || "")]),
			"block",
			{ scope: "address" }
		);
	},

	block_domain(mail, done) {
		this.confirm(mail, done, __("Block every address of this domain from now on?"), "block", { scope: "domain" });
	},

	delete_forever(mail, done) {
		this.confirm(mail, done, __("Delete this mail and its attachments for good?"), "delete_forever", {});
	},
});
