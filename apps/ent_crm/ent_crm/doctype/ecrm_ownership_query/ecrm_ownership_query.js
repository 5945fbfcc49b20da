// Copyright (c) 2026, ent_crm developers
// License: MIT. See LICENSE

frappe.ui.form.on("ECRM Ownership Query", {
	refresh(frm) {
		if (!frm.is_new()) {
			frm.add_custom_button(__("Run in Report"), () => {
				frappe.set_route("query-report", "Customer Ownership", { query: frm.doc.name });
			});
		}
	},
});
