// Copyright (c) 2026, ent_crm developers
// License: MIT. See LICENSE

// Contact log (F1, E8): a contact by phone, fax, chat, visit or other. A new log proposes the next
// contact day from the follow-up settings (F3); the customer can be picked by browsing a region.

frappe.ui.form.on("ECRM Contact Log", {
	onload(frm) {
		if (!frm.is_new() || frm.doc.next_followup_date) return;
		frappe
			.call({ method: "ent_crm.followup.api.followup_defaults", type: "GET" })
			.then((r) => {
				const due = r.message && r.message.next_followup_date;
				if (due && frm.is_new() && !frm.doc.next_followup_date) frm.set_value("next_followup_date", due);
			});
	},
	refresh(frm) {
		if (frm.is_new()) {
			frm.add_custom_button(__("Choose Customer by Region"), () => ent_crm_contact_log_pick_customer(frm));
		} else {
			frm.add_custom_button(__("Customer History"), () => {
				frappe.route_options = { customer: frm.doc.customer };
				frappe.set_route("ecrm-follow-up");
			});
		}
	},
});

function ent_crm_contact_log_pick_customer(frm) {
	const dialog = new frappe.ui.Dialog({
		title: __("Choose Customer by Region"),
		fields: [
			{ fieldname: "region", label: __("Region"), fieldtype: "Link", options: "ECRM Region", reqd: 1 },
			{ fieldname: "customers", fieldtype: "HTML" },
		],
	});
	const $list = dialog.fields_dict.customers.$wrapper;
	dialog.fields_dict.region.df.onchange = () => {
		const region = dialog.get_value("region");
		if (!region) return;
		frappe
			.call({
				method: "ent_crm.followup.api.search",
				type: "GET",
				args: { region, page_length: 200 },
			})
			.then((r) => {
				const rows = (r.message && r.message.customers) || [];
				const esc = frappe.utils.escape_html;
				$list.html(
					rows.length
						? rows
								.map(
									(c) => `<div><a href="#" data-customer="${esc(c.name)}">${esc(c.customer_name)}</a>
									<span class="text-muted">${esc(c.name)} · ${esc(__(c.region || ""))}</span></div>`
								)
								.join("")
						: `<p class="text-muted">${esc(__("No customer found."))}</p>`
				);
				$list.find("a").on("click", (e) => {
					e.preventDefault();
					frm.set_value("customer", e.currentTarget.dataset.customer);
					dialog.hide();
				});
			});
	};
	dialog.show();
}
