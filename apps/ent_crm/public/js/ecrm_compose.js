// Copyright (c) 2026, ent_crm developers
// License: MIT. See LICENSE

// The mail composer (E1–E5), shared by the mail form, the customer form, the workbench and the reminders.
// Part of ent_crm.bundle.js (every desk page):
//   ent_crm.compose.open({mail, mode: "reply"|"reply_all"|"forward"|"forward_attachment"|"new"|"edit",
//                         customer, recipients, on_sent})
// The server (ent_crm.mail.api) checks every right and every value again; a refused mail stays a draft.

frappe.provide("ent_crm.compose");

ent_crm.compose.METHOD = "ent_crm.mail.api.";

ent_crm.compose.open = function (opts) {
	opts = Object.assign({ mode: "new" }, opts || {});
	if (opts.mode === "edit") {
		frappe.db.get_doc("ECRM Mail", opts.mail).then((doc) =>
			Promise.all([
				frappe.call({ method: ent_crm.compose.METHOD + "compose_defaults", args: { mode: "new" } }),
				frappe.call({ method: ent_crm.compose.METHOD + "draft_attachments", args: { name: doc.name } }),
			]).then(([defaults, files]) =>
				ent_crm.compose.dialog(opts, Object.assign({}, defaults.message, ent_crm.compose.from_doc(doc), { attachments: files.message || [] }))
			)
		);
		return;
	}
	frappe
		.call({
			method: ent_crm.compose.METHOD + "compose_defaults",
			args: { mode: opts.mode, mail: opts.mail, customer: opts.customer, recipients: opts.recipients },
			freeze: true,
		})
		.then((r) => {
			const values = r.message || {};
			if (values.signature) {
				values.content = `<p><br></p><div class="ecrm-signature">${values.signature}</div>` + (values.content || "");
			}
			ent_crm.compose.dialog(opts, values);
		});
};

ent_crm.compose.from_doc = function (doc) {
	return {
		name: doc.name,
		mode: { Reply: "reply", "Reply All": "reply_all", "Forward Mail": "forward", "Forward as Attachment": "forward_attachment" }[doc.compose_mode] || "new",
		reply_to_mail: doc.reply_to_mail,
		customer: doc.reference_doctype === "ECRM Customer" ? doc.reference_name : null,
		recipients: doc.recipients,
		cc: doc.cc,
		bcc: doc.bcc,
		subject: doc.subject,
		content: doc.content,
		email_account: doc.email_account,
		read_receipt: doc.read_receipt,
		send_after: doc.send_after,
		contact_purpose: doc.contact_purpose,
		next_contact_date: doc.next_contact_date,
		notes: doc.notes,
		rejection_reason: doc.outbound_status === "Rejected" ? doc.rejection_reason : null,
	};
};

ent_crm.compose.TITLES = {
	new: __("New Mail"),
	reply: __("Reply"),
	reply_all: __("Reply All"),
	forward: __("Forward Mail"),
	forward_attachment: __("Forward as Attachment"),
};

ent_crm.compose.dialog = function (opts, values) {
	const attachments = (values.attachments || []).slice();
	const needs_approval = !!values.approver;
	const d = new frappe.ui.Dialog({
		title: ent_crm.compose.TITLES[values.mode || opts.mode] || __("New Mail"),
		size: "large",
		fields: [
			{ fieldname: "email_account", fieldtype: "Select", label: __("Send From"), options: values.mailboxes || [], default: values.email_account, reqd: 1 },
			{ fieldname: "customer", fieldtype: "Link", options: "ECRM Customer", label: __("Customer"), default: values.customer,
				onchange: () => ent_crm.compose.fill_customer_address(d) },
			{ fieldtype: "Column Break" },
			{ fieldname: "recipients", fieldtype: "Data", label: __("Send To"), default: values.recipients, reqd: 1,
				description: __("Separate several addresses with commas.") },
			{ fieldname: "cc", fieldtype: "Data", label: __("CC"), default: values.cc },
			{ fieldname: "bcc", fieldtype: "Data", label: __("BCC"), default: values.bcc },
			{ fieldtype: "Section Break" },
			{ fieldname: "subject", fieldtype: "Data", label: __("Subject"), default: values.subject, reqd: 1 },
			{ fieldname: "email_template", fieldtype: "Link", options: "Email Template", label: __("Insert Template"),
				onchange: () => ent_crm.compose.insert_template(d) },
			{ fieldtype: "Column Break" },
			{ fieldname: "phrase", fieldtype: "Select", label: __("Insert Stock Phrase"), options: [""],
				onchange: () => ent_crm.compose.insert_phrase(d) },
			{ fieldtype: "Section Break" },
			{ fieldname: "content", fieldtype: "Text Editor", label: __("Mail Text"), default: values.content },
			{ fieldname: "attachments_html", fieldtype: "HTML" },
			{ fieldtype: "Section Break", label: __("Options"), collapsible: 1 },
			{ fieldname: "read_receipt", fieldtype: "Check", label: __("Request Read Receipt"), default: values.read_receipt || 0 },
			{ fieldname: "send_after", fieldtype: "Datetime", label: __("Send At"), default: values.send_after,
				description: __("Leave empty to send now. Scheduled mail waits in the outbox and can be changed or cancelled until then.") },
			{ fieldtype: "Column Break" },
			{ fieldname: "contact_purpose", fieldtype: "Link", options: "ECRM Contact Purpose", label: __("Contact Purpose"), default: values.contact_purpose },
			{ fieldname: "next_contact_date", fieldtype: "Date", label: __("Next Contact Date"), default: values.next_contact_date,
				description: __("The customer's owners get a reminder on that day.") },
			{ fieldname: "notes", fieldtype: "Small Text", label: __("Remarks"), default: values.notes },
		],
		primary_action_label: needs_approval ? __("Submit for Approval") : __("Send"),
		primary_action: () => ent_crm.compose.send(d, opts),
		secondary_action_label: __("Save Draft"),
		secondary_action: () => ent_crm.compose.save(d).then((name) => name && frappe.show_alert({ message: __("Draft saved"), indicator: "green" })),
	});
	d.ecrm = { values, attachments, name: values.name || null };
	if (values.rejection_reason) {
		d.$body.prepend(`<div class="alert alert-warning">${__("Rejected")}: ${frappe.utils.escape_html(values.rejection_reason)}</div>`);
	}
	if (needs_approval) {
		d.$body.prepend(`<div class="text-muted small mb-2">${__("Your mail is sent after {0} approves it.", [frappe.utils.escape_html(values.approver)])}</div>`);
	}
	d.add_custom_action(__("Add Attachment"), () => ent_crm.compose.upload(d));
	d.add_custom_action(__("Save as Personal Template"), () => ent_crm.compose.save_template(d));
	ent_crm.compose.render_attachments(d);
	ent_crm.compose.load_phrases(d);
	d.show();
	return d;
};

ent_crm.compose.args = function (d) {
	const v = d.get_values(true) || {};
	return {
		name: d.ecrm.name,
		mode: d.ecrm.values.mode || "new",
		reply_to_mail: d.ecrm.values.reply_to_mail,
		customer: v.customer,
		recipients: v.recipients,
		cc: v.cc,
		bcc: v.bcc,
		subject: v.subject,
		content: v.content,
		email_account: v.email_account,
		read_receipt: v.read_receipt ? 1 : 0,
		send_after: v.send_after,
		contact_purpose: v.contact_purpose,
		next_contact_date: v.next_contact_date,
		notes: v.notes,
		attachments: JSON.stringify(d.ecrm.attachments),
	};
};

ent_crm.compose.save = function (d) {
	return frappe.call({ method: ent_crm.compose.METHOD + "save_draft", args: ent_crm.compose.args(d) }).then((r) => {
		d.ecrm.name = r.message;
		return r.message;
	});
};

ent_crm.compose.send = function (d, opts) {
	if (!d.get_values()) return; // the dialog marks the missing fields
	d.get_primary_btn().prop("disabled", true);
	ent_crm.compose
		.save(d)
		.then(() => frappe.call({ method: ent_crm.compose.METHOD + "send", args: ent_crm.compose.args(d) }))
		.then((r) => {
			const status = (r.message || {}).status;
			const text = {
				Queued: __("Mail queued: it shows as sent once the mail server has accepted it"),
				Sent: __("Mail sent"),
				Scheduled: __("Mail scheduled"),
				"Pending Approval": __("Mail submitted for approval"),
			}[status] || __(status);
			frappe.show_alert({ message: text, indicator: status === "Queued" ? "yellow" : "green" });
			if (status === "Queued") ent_crm.compose.watch_delivery();
			d.hide();
			opts.on_sent && opts.on_sent(r.message);
		})
		.always(() => d.get_primary_btn().prop("disabled", false));
};

// Once per page: the server says when a queued mail of this user was accepted or refused (ecrm_mail_status).
ent_crm.compose.watch_delivery = function () {
	if (ent_crm.compose.watching_delivery) return;
	ent_crm.compose.watching_delivery = true;
	frappe.realtime.on("ecrm_mail_status", (data) => {
		const subject = frappe.utils.escape_html(data.subject || "");
		if (data.status === "Sent") {
			frappe.show_alert({ message: __("Mail sent: the mail server accepted {0}", [subject]), indicator: "green" }, 7);
		} else if (data.status === "Failed") {
			frappe.show_alert(
				{ message: __("Mail not sent: {0}. The mail server answered: {1}", [subject, frappe.utils.escape_html(data.error || "")]), indicator: "red" },
				15
			);
		}
	});
};

ent_crm.compose.fill_customer_address = function (d) {
	const customer = d.get_value("customer");
	if (!customer || d.get_value("recipients")) return;
	frappe.db.get_value("ECRM Customer", customer, "primary_email").then((r) => {
		const email = r.message && r.message.primary_email;
		if (email) d.set_value("recipients", email);
	});
};

ent_crm.compose.insert_html = function (d, html) {
	const quill = d.fields_dict.content.quill;
	if (!quill) {
		d.set_value("content", (d.get_value("content") || "") + html);
		return;
	}
	const range = quill.getSelection(true);
	quill.clipboard.dangerouslyPasteHTML(range ? range.index : quill.getLength(), html);
};

ent_crm.compose.insert_template = function (d) {
	const template = d.get_value("email_template");
	if (!template) return;
	frappe
		.call({ method: ent_crm.compose.METHOD + "render_template", args: { template, customer: d.get_value("customer") } })
		.then((r) => {
			const out = r.message || {};
			if (!d.get_value("subject") && out.subject) d.set_value("subject", out.subject);
			ent_crm.compose.insert_html(d, out.content || "");
			d.set_value("email_template", "");
		});
};

ent_crm.compose.load_phrases = function (d) {
	frappe.call({ method: ent_crm.compose.METHOD + "phrases_and_templates" }).then((r) => {
		d.ecrm.phrases = (r.message || {}).phrases || [];
		const options = [{ value: "", label: "" }].concat(d.ecrm.phrases.map((p) => ({ value: p.name, label: p.title })));
		d.set_df_property("phrase", "options", options);
	});
};

ent_crm.compose.insert_phrase = function (d) {
	const name = d.get_value("phrase");
	const phrase = (d.ecrm.phrases || []).find((p) => p.name === name);
	if (!phrase) return;
	ent_crm.compose.insert_html(d, frappe.utils.escape_html(phrase.phrase).replace(/\n/g, "<br>"));
	d.set_value("phrase", "");
};

ent_crm.compose.upload = function (d) {
	new frappe.ui.FileUploader({
		doctype: "ECRM Mail",
		make_attachments_public: false,
		allow_multiple: true,
		on_success: (file) => {
			d.ecrm.attachments.push(file.file_url);
			ent_crm.compose.render_attachments(d);
		},
	});
};

ent_crm.compose.render_attachments = function (d) {
	const $wrapper = d.fields_dict.attachments_html.$wrapper.empty();
	const limit = d.ecrm.values.attachment_limit_mb;
	if (limit) $wrapper.append(`<div class="text-muted small">${__("Attachments up to {0} MB together.", [limit])}</div>`);
	d.ecrm.attachments.forEach((url, i) => {
		const $row = $(`<div class="small"><a href="${encodeURI(url)}" target="_blank"></a> <a class="text-danger" href="#">${__("Remove")}</a></div>`);
		$row.find("a:first").text(decodeURIComponent(url.split("/").pop()));
		$row.find("a.text-danger").on("click", (e) => {
			e.preventDefault();
			d.ecrm.attachments.splice(i, 1);
			ent_crm.compose.render_attachments(d);
		});
		$wrapper.append($row);
	});
};

ent_crm.compose.save_template = function (d) {
	frappe.prompt(
		[{ fieldname: "name", fieldtype: "Data", label: __("Template Name"), reqd: 1 }],
		(v) =>
			frappe
				.call({
					method: ent_crm.compose.METHOD + "save_personal_template",
					args: { name: v.name, subject: d.get_value("subject") || "", response: d.get_value("content") || "" },
				})
				.then(() => frappe.show_alert({ message: __("Personal template saved"), indicator: "green" })),
		__("Save as Personal Template"),
		__("Save")
	);
};
