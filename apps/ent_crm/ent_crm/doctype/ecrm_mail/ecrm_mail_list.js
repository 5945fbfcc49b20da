// Copyright (c) 2026, ent_crm developers
// License: MIT. See LICENSE

// The mail views (D8, D10): every queue a user may see, with the customer's name shown for known
// senders. Auto-replies and bounces are marked. "Receive Now" pulls the user's mailboxes (C3).

const ECRM_QUEUE_COLOURS = {
	Unassigned: "orange",
	"Known Pending": "blue",
	"Stranger Pending": "purple",
	Handled: "green",
	Trash: "gray",
	"Recycle Bin": "darkgrey",
};

frappe.listview_settings["ECRM Mail"] = {
	add_fields: ["queue", "reference_title", "contact_name", "sender", "is_auto_reply", "is_bounce", "direction"],
	hide_name_column: true,

	get_indicator(doc) {
		if (doc.is_bounce) return [__("Bounce"), "red", "is_bounce,=,1"];
		if (doc.is_auto_reply) return [__("Auto-reply"), "gray", "is_auto_reply,=,1"];
		return [__(doc.queue), ECRM_QUEUE_COLOURS[doc.queue] || "gray", `queue,=,${doc.queue}`];
	},

	formatters: {
		sender(value, df, doc) {
			// a known sender shows as its customer (and contact), not as a bare address
			if (doc.reference_title) {
				const who = doc.contact_name ? `${doc.contact_name} · ${doc.reference_title}` : doc.reference_title;
				return `<span title="${frappe.utils.escape_html(value || "")}">${frappe.utils.escape_html(who)}</span>`;
			}
			return frappe.utils.escape_html(value || __("(no sender)"));
		},
	},

	onload(listview) {
		listview.page.add_inner_button(__("Receive Now"), () => {
			frappe.call({
				method: "ent_crm.mail.api.receive_now",
				freeze: true,
				callback: (r) => {
					frappe.show_alert({ message: __("Receiving {0} mailbox(es)…", [(r.message || []).length]), indicator: "green" });
					setTimeout(() => listview.refresh(), 3000);
				},
			});
		});
		for (const queue of ["Unassigned", "Known Pending", "Stranger Pending", "Handled"]) {
			listview.page.add_menu_item(__(queue), () => {
				listview.filter_area.clear(false).then(() => listview.filter_area.add([["ECRM Mail", "queue", "=", queue]]));
			});
		}
		// off this list's own handler only: the workbench and the desk-wide notice listen too
		frappe.provide("ent_crm");
		if (ent_crm.mail_list_refresh) frappe.realtime.off("ecrm_new_mail", ent_crm.mail_list_refresh);
		ent_crm.mail_list_refresh = () => listview.refresh();
		frappe.realtime.on("ecrm_new_mail", ent_crm.mail_list_refresh);
	},
};
