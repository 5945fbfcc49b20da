// Copyright (c) 2026, ent_crm developers
// License: MIT. See LICENSE

// Shared by the customer and supplier forms (G1): possible duplicates (customers or suppliers) while
// a new record is typed, shown in the form's intro area.
// Server: ent_crm.customers.api.find_possible_duplicates. Part of ent_crm.bundle.js.

frappe.provide("ent_crm.record_form");

// A new form (or one that cleared its intro): ask at once, even for the same values as last time.
ent_crm.record_form.recheck_duplicates = function (frm, name_field) {
	frm.__ecrm_duplicate_key = null;
	ent_crm.record_form.check_duplicates(frm, name_field, true);
};

// Ask once the user has stopped typing for a moment (or `now`); `name_field` holds the record's name.
ent_crm.record_form.check_duplicates = function (frm, name_field, now) {
	if (!frm.is_new()) return;
	clearTimeout(frm.__ecrm_duplicate_timer);
	frm.__ecrm_duplicate_timer = setTimeout(
		() => ent_crm.record_form.fetch_duplicates(frm, name_field),
		now ? 0 : 700
	);
};

ent_crm.record_form.fetch_duplicates = function (frm, name_field) {
	const args = {
		customer_name: frm.doc[name_field] || "",
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
			// a newer request has been sent, or the form has been saved meanwhile
			if (key !== frm.__ecrm_duplicate_key || !frm.is_new()) return;
			frm.set_intro();
			const html = ent_crm.record_form.duplicates_html(r.message || {});
			if (html) frm.set_intro(html, "yellow");
		});
};

ent_crm.record_form.duplicates_html = function (result) {
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
