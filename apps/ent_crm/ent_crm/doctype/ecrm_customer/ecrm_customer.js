// Copyright (c) 2026, ent_crm developers
// License: MIT. See LICENSE

// Customer form (G1, G3): possible duplicates while a new customer is typed, the owners in the header,
// and a region picker that browses the region tree.

frappe.provide("ent_crm.customer");

// The duplicate check is shared with the supplier form (ent_crm.record_form, in ent_crm.bundle.js).
ent_crm.customer.record_form = function (fn) {
	fn(ent_crm.record_form);
};

frappe.ui.form.on("ECRM Customer", {
	refresh(frm) {
		ent_crm.customer.add_region_tree_link(frm);
		if (frm.is_new()) {
			// possible duplicates (new customers only; the intro area is free there)
			ent_crm.customer.record_form((form) => form.recheck_duplicates(frm, "customer_name"));
		} else {
			ent_crm.customer.show_owners(frm);
		}
	},
	customer_name(frm) {
		ent_crm.customer.record_form((form) => form.check_duplicates(frm, "customer_name"));
	},
	primary_email(frm) {
		ent_crm.customer.record_form((form) => form.check_duplicates(frm, "customer_name"));
	},
	phone(frm) {
		ent_crm.customer.record_form((form) => form.check_duplicates(frm, "customer_name"));
	},
});

// --- owners in the header (existing customers) -------------------------------------------------------

ent_crm.customer.show_owners = function (frm) {
	frm.set_intro();
	const esc = frappe.utils.escape_html;
	const owners = (frm.doc.owners || []).map((row) => {
		const name = esc(row.employee_name || row.employee);
		return row.assigned_on
			? __("{0} (since {1})", [name, frappe.datetime.str_to_user(row.assigned_on)])
			: name;
	});
	let text = owners.length
		? __("Owned by: {0}", [owners.reduce((a, b) => __("{0}, {1}", [a, b]))])
		: esc(__("No salesperson owns this customer yet; only managers see it."));
	if (frm.doc.is_hidden) {
		text += " " + esc(__("Hidden: left out of the maintenance lists and statistics."));
	}
	frm.set_intro(text, owners.length ? "blue" : "yellow");
};

// --- region: choose from the tree -------------------------------------------------------------------

ent_crm.customer.add_region_tree_link = function (frm, fieldname) {
	fieldname = fieldname || "region";
	const field = frm.fields_dict[fieldname];
	if (!field || !field.$wrapper) return;
	field.$wrapper.find(".ecrm-region-tree").remove();
	if (field.disp_status !== "Write") return;
	$('<button type="button" class="btn btn-default btn-xs ecrm-region-tree"></button>')
		.css({ "margin-top": "6px" })
		.text(__("Choose from the region tree"))
		.on("click", (e) => {
			e.preventDefault();
			ent_crm.customer.pick_region(frm, fieldname);
		})
		.appendTo(field.$wrapper.find(".control-input-wrapper").first());
};

ent_crm.customer.pick_region = function (frm, fieldname) {
	let chosen = null;
	const dialog = new frappe.ui.Dialog({
		title: __("Choose a Region"),
		fields: [
			{ fieldtype: "HTML", fieldname: "chosen" },
			{ fieldtype: "HTML", fieldname: "tree" },
		],
		primary_action_label: __("Choose"),
		primary_action() {
			if (!chosen) {
				frappe.show_alert({ message: __("Click a region first."), indicator: "orange" });
				return;
			}
			frm.set_value(fieldname, chosen);
			dialog.hide();
		},
	});
	const show_chosen = () => {
		dialog.fields_dict.chosen.$wrapper.html(
			'<div class="text-muted small" style="margin-bottom: 8px;">' +
				frappe.utils.escape_html(
					chosen
						? __("Chosen: {0}", [__(chosen)])
						: __("Click a region to choose it; click again to open or close it.")
				) +
				"</div>"
		);
	};
	show_chosen();
	const $tree = dialog.fields_dict.tree.$wrapper.css({ "max-height": "60vh", overflow: "auto" });
	new frappe.ui.Tree({
		parent: $tree,
		label: __("All Regions"),
		root_value: "",
		expandable: true,
		args: { doctype: "ECRM Region" },
		method: "frappe.desk.treeview.get_children",
		get_label: (node) =>
			frappe.utils.escape_html(__(node.is_root ? node.label : node.data.value)),
		on_click: (node) => {
			chosen = node.is_root ? null : node.data.value;
			show_chosen();
		},
	});
	dialog.show();
};

// --- F5: the whole contact history under the form (mail in and out, contact logs, folders) ---------
// (ent_crm.followup; the shared panel is public/js/ecrm_history.js, also used by the follow-up page)

frappe.ui.form.on("ECRM Customer", {
	refresh(frm) {
		if (frm.is_new()) return;
		frm.add_custom_button(__("Full History"), () => {
			frappe.route_options = { customer: frm.doc.name };
			frappe.set_route("ecrm-follow-up");
		});
		frm.add_custom_button(__("New Contact Log"), () =>
			frappe.new_doc("ECRM Contact Log", { customer: frm.doc.name, direction: "Outbound" })
		);
		const $body = frm.dashboard.add_section('<div class="ecrm-history-here"></div>', __("Contact History"));
		frm.dashboard.show();
		ent_crm.history.render($body.find(".ecrm-history-here"), frm.doc.name, { page_length: 10 });
	},
});

// --- E1: new mail to this customer (H1; the composer is ent_crm.compose, in ent_crm.bundle.js) -------

frappe.ui.form.on("ECRM Customer", {
	refresh(frm) {
		if (frm.is_new()) return;
		frm.add_custom_button(__("New Mail"), () =>
			ent_crm.compose.open({ mode: "new", customer: frm.doc.name, on_sent: () => frm.reload_doc() })
		);
	},
});
// --- end E1 new mail ------------------------------------------------------------------------------------
