// Copyright (c) 2026, ent_crm developers
// License: MIT. See LICENSE

// Supplier form: possible duplicates (customers or suppliers) while a new supplier is typed.
// The same warning as on the customer form (ecrm_customer.js); keep the two in step.

frappe.provide("ent_crm.supplier");

frappe.ui.form.on("ECRM Supplier", {
	refresh(frm) {
		if (frm.is_new()) {
			frm.__ecrm_duplicate_key = null; // the form cleared its intro: ask again
			ent_crm.supplier.check_duplicates(frm, true);
		}
	},
	supplier_name(frm) {
		ent_crm.supplier.check_duplicates(frm);
	},
	primary_email(frm) {
		ent_crm.supplier.check_duplicates(frm);
	},
	phone(frm) {
		ent_crm.supplier.check_duplicates(frm);
	},
});

ent_crm.supplier.check_duplicates = function (frm, now) {
	if (!frm.is_new()) return;
	clearTimeout(frm.__ecrm_duplicate_timer);
	frm.__ecrm_duplicate_timer = setTimeout(
		() => ent_crm.supplier.fetch_duplicates(frm),
		now ? 0 : 700
	);
};

ent_crm.supplier.fetch_duplicates = function (frm) {
	const args = {
		customer_name: frm.doc.supplier_name || "",
		primary_email: frm.doc.primary_email || "",
		phone: frm.doc.phone || "",
	};
	const key = JSON.stringify(args);
	if (key === frm.__ecrm_duplicate_key) return;
	frm.__ecrm_duplicate_key = key;
	if (!args.customer_name && !args.primary_email && !args.phone) {
		frm.set_intro();
		return;
	}
	frappe
		.call({
			method: "ent_crm.customers.api.find_possible_duplicates",
			type: "GET",
			args: args,
		})
		.then((r) => {
			if (key !== frm.__ecrm_duplicate_key || !frm.is_new()) return;
			frm.set_intro();
			const html = ent_crm.supplier.duplicates_html(r.message || {});
			if (html) frm.set_intro(html, "yellow");
		});
};

ent_crm.supplier.duplicates_html = function (result) {
	const matches = result.matches || [];
	const hidden = result.hidden || 0;
	if (!matches.length && !hidden) return "";
	const esc = frappe.utils.escape_html;
	const items = matches.map((m) => {
		const link =
			'<a style="text-decoration: underline;" href="' +
			esc(frappe.utils.get_form_link(m.doctype, m.name)) +
			'">' +
			esc(m.title) +
			" (" +
			esc(m.name) +
			")</a>";
		return "<li>" + link + " · " + esc(__(m.doctype)) + " · " + esc(m.reason) + "</li>";
	});
	if (hidden) {
		items.push(
			"<li>" +
				esc(
					hidden === 1
						? __("1 more record that you cannot see")
						: __("{0} more records that you cannot see", [hidden])
				) +
				"</li>"
		);
	}
	return (
		"<div><b>" +
		esc(__("Possible duplicates:")) +
		"</b> " +
		esc(__("check them before you save; saving is still possible.")) +
		'<ul style="margin: 4px 0 0; padding-left: 18px;">' +
		items.join("") +
		"</ul></div>"
	);
};
