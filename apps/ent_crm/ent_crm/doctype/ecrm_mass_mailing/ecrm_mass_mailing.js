// Copyright (c) 2026, ent_crm developers
// License: MIT. See LICENSE

// Mass mailing (E6): pick customers, preview how many, send in a background job (progress on this form);
// the Recipients table is the report of what was sent and what failed.

frappe.ui.form.on("ECRM Mass Mailing", {
	setup(frm) {
		frm.set_query("owner_employee", () => ({ filters: { is_salesperson: 1 } }));
		frm.set_query("ownership_query", () => ({ filters: { user: frappe.session.user } }));
	},

	onload(frm) {
		frappe.call({ method: "ent_crm.mail.api.compose_defaults", args: { mode: "new" } }).then((r) => {
			const out = r.message || {};
			frm.set_df_property("email_account", "options", [""].concat(out.mailboxes || []));
			if (frm.is_new() && !frm.doc.email_account && out.email_account) frm.set_value("email_account", out.email_account);
			frm.__ecrm_approver = out.approver || null;
			if (!frm.is_new()) frm.refresh();
		});
	},

	refresh(frm) {
		if (frm.is_new()) return;
		const me = frappe.session.user;
		const esc = frappe.utils.escape_html; // what users typed (the rejection reason) shows as text
		if (frm.doc.status === "Rejected") {
			frm.set_intro(__("Rejected by {0}: {1}", [esc(frm.doc.approver || ""), esc(frm.doc.rejection_reason || "")]), "red");
		} else if (frm.doc.status === "Pending Approval") {
			frm.set_intro(__("Waiting for the approval of {0}.", [esc(frm.doc.approver || "")]), "yellow");
			if (frm.doc.approver === me && frm.doc.owner !== me) {
				frm.add_custom_button(__("Approve and Send"), () =>
					frappe.call({ method: "ent_crm.mail.api.approve_mailing", args: { mailing: frm.doc.name }, freeze: true }).then(() => frm.reload_doc())
				).addClass("btn-primary");
				frm.add_custom_button(__("Reject"), () =>
					frappe.prompt(
						[{ fieldname: "reason", fieldtype: "Small Text", label: __("Rejection Reason"), reqd: 1 }],
						(v) => frappe.call({ method: "ent_crm.mail.api.reject_mailing", args: { mailing: frm.doc.name, reason: v.reason } }).then(() => frm.reload_doc()),
						__("Reject"),
						__("Reject")
					)
				);
			}
		}
		if (["Draft", "Failed", "Rejected"].includes(frm.doc.status) && frm.doc.owner === me) {
			frm.add_custom_button(__("Preview Recipients"), () =>
				frappe.call({ method: "ent_crm.mail.api.preview_mailing", args: { mailing: frm.doc.name } }).then((r) => {
					const out = r.message || {};
					const names = (out.first || []).map((c) => frappe.utils.escape_html(c.customer_name)).join(", ");
					frappe.msgprint(__("{0} customers match. First: {1}", [out.count, names]), __("Preview Recipients"));
				})
			);
			const label = frm.__ecrm_approver ? __("Submit for Approval") : __("Send to All");
			frm.add_custom_button(label, () =>
				frappe.confirm(frm.__ecrm_approver ? __("Submit this mass mailing for approval?") : __("Send this mail to every matching customer now?"), () =>
					frappe.call({ method: "ent_crm.mail.api.start_mailing", args: { mailing: frm.doc.name }, freeze: true }).then(() => frm.reload_doc())
				)
			).addClass("btn-primary");
		}
		if (["Queued", "Sending", "Completed", "Failed"].includes(frm.doc.status)) {
			frm.dashboard.add_indicator(__("Recipients: {0}", [frm.doc.total || 0]), "blue");
			frm.dashboard.add_indicator(__("Sent: {0}", [frm.doc.sent || 0]), "green");
			frm.dashboard.add_indicator(__("Failed: {0}", [frm.doc.failed || 0]), frm.doc.failed ? "red" : "gray");
			frm.dashboard.add_indicator(__("Unsubscribed or Without Address: {0}", [frm.doc.skipped || 0]), "orange");
		}
		if (frm.doc.status === "Sending" || frm.doc.status === "Queued") {
			setTimeout(() => frm.reload_doc(), 5000);
		}
	},

	email_template(frm) {
		if (!frm.doc.email_template) return;
		frappe.db.get_doc("Email Template", frm.doc.email_template).then((t) => {
			if (!frm.doc.subject) frm.set_value("subject", t.subject);
			frm.set_value("content", t.use_html ? t.response_html : t.response);
		});
	},
});
