// Copyright (c) 2026, ent_crm developers
// License: MIT. See LICENSE

// Personal settings (J3, C2, E7): language, default sending mailbox, signature, reminder digest by
// e-mail; my personal mailbox's parameters (the servers are logged in to before they are saved); links
// to my address book, stock phrases and personal templates; change my password (Frappe's own, with the
// old password). Server: ent_crm.personal.api.

const ECRM_PERSONAL = "ent_crm.personal.api.";

frappe.pages["ecrm-personal"].on_page_load = function (wrapper) {
	const page = frappe.ui.make_app_page({ parent: wrapper, title: __("Personal Settings"), single_column: true });
	wrapper.personal = new EcrmPersonal(page);
};

frappe.pages["ecrm-personal"].on_page_show = function (wrapper) {
	if (wrapper.personal) wrapper.personal.load();
};

class EcrmPersonal {
	constructor(page) {
		this.page = page;
		this.page.set_primary_action(__("Save"), () => this.save_options(), "check");
		this.page.add_inner_button(__("Change Password"), () => this.change_password());
		this.$body = $(`<div class="ecrm-personal">
			<div class="ecrm-card ecrm-personal-options"></div>
			<div class="ecrm-card ecrm-personal-links"></div>
			<div class="ecrm-card ecrm-personal-mailboxes"></div>
		</div>`).appendTo(this.page.main);
	}

	load() {
		return frappe.xcall(ECRM_PERSONAL + "get_my_settings").then((data) => {
			this.data = data;
			this.render_options();
			this.render_links();
			this.render_mailboxes();
		});
	}

	render_options() {
		const d = this.data;
		const $wrap = this.$body.find(".ecrm-personal-options").empty();
		$wrap.append(`<h5>${__("My Options")}</h5>`);
		this.options = new frappe.ui.FieldGroup({
			body: $wrap,
			fields: [
				{
					fieldname: "language",
					fieldtype: "Link",
					options: "Language",
					label: __("Language"),
					filters: { enabled: 1 },
					description: __("The language of your screens. It takes effect when the page reloads."),
				},
				{
					fieldname: "default_sending_mailbox",
					fieldtype: "Select",
					label: __("Default Sending Mailbox"),
					options: [""].concat(d.sending_mailboxes),
					description: __("Your new mail is sent from this mailbox unless you pick another one."),
				},
				{
					fieldname: "reminder_email",
					fieldtype: "Check",
					label: __("Reminder Digest by E-mail"),
					description: __("Once a day, the follow-up reminders due for you are also sent to your e-mail address."),
				},
				{ fieldname: "column_break_options", fieldtype: "Column Break" },
				{
					fieldname: "email_signature",
					fieldtype: "Small Text",
					label: __("Signature"),
					description: __("Added below the mail you write."),
				},
			],
		});
		this.options.make();
		this.options.set_values({
			language: d.language,
			default_sending_mailbox: d.default_sending_mailbox || "",
			reminder_email: d.reminder_email,
			email_signature: d.email_signature,
		});
	}

	save_options() {
		const values = this.options.get_values();
		if (!values) return;
		const language_changed = (values.language || "") !== (this.data.language || "");
		frappe
			.xcall(
				ECRM_PERSONAL + "save_my_settings",
				{
					language: values.language || "",
					email_signature: values.email_signature || "",
					default_sending_mailbox: values.default_sending_mailbox || "",
					reminder_email: values.reminder_email ? 1 : 0,
				},
				"POST"
			)
			.then((data) => {
				this.data = data;
				frappe.show_alert({ message: __("Saved"), indicator: "green" });
				if (language_changed) {
					frappe.msgprint(__("The new language shows after the page reloads."), __("Language"));
					setTimeout(() => window.location.reload(), 1500);
				}
			});
	}

	render_links() {
		const links = [
			["/app/ecrm-address-book-entry", __("My Address Book"), __("People you write to who are not customers or suppliers.")],
			["/app/email-template?ecrm_personal=1", __("My Templates"), __("Mail templates only you use.")],
			["/app/ecrm-messages", __("Messages"), __("Messages you received and sent.")],
			["/app/ecrm-help", __("Questions and Answers"), __("Answers to the questions users ask most.")],
		];
		if (this.data.has_stock_phrases) {
			links.splice(1, 0, ["/app/ecrm-stock-phrase", __("My Stock Phrases"), __("Sentences you insert while writing mail.")]);
		}
		const esc = frappe.utils.escape_html;
		this.$body.find(".ecrm-personal-links").html(
			`<h5>${__("My Lists")}</h5><div class="row">` +
				links
					.map(
						([href, label, hint]) => `<div class="col-sm-4" style="margin-bottom: 8px;">
							<a href="${href}" class="bold">${esc(label)}</a><div class="text-muted small">${esc(hint)}</div></div>`
					)
					.join("") +
				"</div>"
		);
	}

	render_mailboxes() {
		const $wrap = this.$body.find(".ecrm-personal-mailboxes").empty();
		$wrap.append(`<h5>${__("My Mailbox")}</h5>`);
		if (!this.data.personal_mailboxes.length) {
			$wrap.append(
				`<div class="text-muted">${__("You have no personal mailbox. An administrator sets it up as an Email Account marked Personal Mailbox.")}</div>`
			);
			return;
		}
		this.data.personal_mailboxes.forEach((box) => this.render_mailbox($wrap, box));
	}

	render_mailbox($wrap, box) {
		const $box = $(`<div style="margin-bottom: 15px;"><div class="bold">${frappe.utils.escape_html(box.email_id)}</div></div>`).appendTo($wrap);
		const group = new frappe.ui.FieldGroup({
			body: $box,
			fields: [
				{ fieldname: "email_server", fieldtype: "Data", label: __("Incoming Server (IMAP/POP3)") },
				{ fieldname: "incoming_port", fieldtype: "Data", label: __("Incoming Port") },
				{ fieldname: "use_ssl", fieldtype: "Check", label: __("Incoming over SSL") },
				{ fieldname: "column_break_1", fieldtype: "Column Break" },
				{ fieldname: "smtp_server", fieldtype: "Data", label: __("Outgoing Server (SMTP)") },
				{ fieldname: "smtp_port", fieldtype: "Data", label: __("Outgoing Port") },
				{ fieldname: "use_tls", fieldtype: "Check", label: __("Outgoing with STARTTLS") },
				{ fieldname: "use_ssl_for_outgoing", fieldtype: "Check", label: __("Outgoing over SSL") },
				{ fieldname: "column_break_2", fieldtype: "Column Break" },
				{ fieldname: "login_id", fieldtype: "Data", label: __("Login Name"), description: __("Only when it differs from the address.") },
				{ fieldname: "password", fieldtype: "Password", label: __("Password"), description: __("Leave empty to keep the current one.") },
			],
		});
		group.make();
		group.set_values(box);
		$(`<button class="btn btn-default btn-sm">${__("Check and Save")}</button>`)
			.appendTo($box)
			.on("click", () => {
				const v = group.get_values();
				frappe.dom.freeze(__("Logging in to the mail servers…"));
				frappe
					.xcall(
						ECRM_PERSONAL + "save_my_mailbox",
						{
							account: box.name,
							password: v.password || null,
							email_server: v.email_server || "",
							incoming_port: v.incoming_port || "",
							use_ssl: v.use_ssl ? 1 : 0,
							smtp_server: v.smtp_server || "",
							smtp_port: v.smtp_port || "",
							use_tls: v.use_tls ? 1 : 0,
							use_ssl_for_outgoing: v.use_ssl_for_outgoing ? 1 : 0,
							login_id: v.login_id || "",
						},
						"POST"
					)
					.then((data) => {
						this.data = data;
						frappe.show_alert({ message: __("The mailbox logged in and was saved."), indicator: "green" });
						this.render_mailboxes();
					})
					.finally(() => frappe.dom.unfreeze());
			});
	}

	change_password() {
		const dialog = new frappe.ui.Dialog({
			title: __("Change Password"),
			fields: [
				{ fieldname: "old_password", fieldtype: "Password", label: __("Current Password"), reqd: 1 },
				{ fieldname: "new_password", fieldtype: "Password", label: __("New Password"), reqd: 1 },
				{ fieldname: "confirm_password", fieldtype: "Password", label: __("New Password Again"), reqd: 1 },
			],
			primary_action_label: __("Change Password"),
			primary_action: (v) => {
				if (v.new_password !== v.confirm_password) {
					frappe.msgprint(__("The two new passwords differ."));
					return;
				}
				// Frappe's own: checks the current password and the password policy
				frappe
					.xcall(
						"frappe.core.doctype.user.user.update_password",
						{ old_password: v.old_password, new_password: v.new_password, logout_all_sessions: 0 },
						"POST"
					)
					.then(() => {
						dialog.hide();
						frappe.show_alert({ message: __("Your password was changed."), indicator: "green" });
					});
			},
		});
		dialog.show();
	}
}
