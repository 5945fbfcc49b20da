// Copyright (c) 2026, ent_crm developers
// License: MIT. See LICENSE

// Supplier form: possible duplicates (customers or suppliers) while a new supplier is typed, the same
// warning as on the customer form (shared: ent_crm.record_form, in ent_crm.bundle.js).

frappe.provide("ent_crm.supplier");

ent_crm.supplier.record_form = function (fn) {
	fn(ent_crm.record_form);
};

frappe.ui.form.on("ECRM Supplier", {
	refresh(frm) {
		if (frm.is_new()) {
			ent_crm.supplier.record_form((form) => form.recheck_duplicates(frm, "supplier_name"));
		}
	},
	supplier_name(frm) {
		ent_crm.supplier.record_form((form) => form.check_duplicates(frm, "supplier_name"));
	},
	primary_email(frm) {
		ent_crm.supplier.record_form((form) => form.check_duplicates(frm, "supplier_name"));
	},
	phone(frm) {
		ent_crm.supplier.record_form((form) => form.check_duplicates(frm, "supplier_name"));
	},
});
