// Copyright (c) 2026, ent_crm developers
// License: MIT. See LICENSE

// Customer list (G2, G3): hidden customers are left out by default; managers change owners in bulk and
// move customers between salespeople; everyone can view the list by region (tree) or by salesperson.

frappe.provide("ent_crm.customer_list");

ent_crm.customer_list.MANAGER_ROLES = ["ECRM Manager", "ECRM All Customers", "System Manager"];

frappe.listview_settings["ECRM Customer"] = {
	add_fields: ["is_hidden", "owner_names"],
	// the maintenance list leaves hidden customers out; removing the filter shows them
	filters: [["is_hidden", "=", 0]],

	get_indicator(doc) {
		// only hidden customers are marked: an indicator on every row would crowd the list
		if (doc.is_hidden) {
			return [__("Hidden"), "gray", "is_hidden,=,1"];
		}
	},

	onload(listview) {
		const me = ent_crm.customer_list;
		// The filter bar's Region box filters by the tree: a country shows its cities' customers too.
		// (Frappe does this by itself only for doctypes listed in the `treeviews` hook.)
		const region = listview.page.fields_dict.region;
		if (region) region.df.condition = "descendants of (inclusive)";
		listview.page.add_menu_item(__("Customers in a Region"), () => me.choose_region(listview));
		listview.page.add_menu_item(__("Customers of a Salesperson"), () =>
			me.choose_salesperson(listview)
		);
		me.setup_group_by(listview);

		if (frappe.user.has_role(me.MANAGER_ROLES)) {
			listview.page.add_actions_menu_item(__("Change Owners"), () =>
				me.change_owners(listview)
			);
			listview.page.add_actions_menu_item(__("Move to Salesperson"), () =>
				me.move_customers(listview)
			);
		}
	},
};

// --- view by region (the tree) or by salesperson ------------------------------------------------------

ent_crm.customer_list.choose_region = function (listview) {
	frappe.prompt(
		[
			{
				fieldname: "region",
				fieldtype: "Link",
				options: "ECRM Region",
				label: __("Region"),
				reqd: 1,
				description: __(
					"Shows the customers of this region and of every region below it."
				),
			},
		],
		(values) => {
			const region = listview.page.fields_dict.region;
			if (region) {
				region.set_value(values.region); // the Region box filters by the tree (onload)
			} else {
				ent_crm.customer_list.set_filter(
					listview,
					"ECRM Customer",
					"region",
					"descendants of (inclusive)",
					values.region
				);
			}
		},
		__("Customers in a Region"),
		__("Show")
	);
};

ent_crm.customer_list.choose_salesperson = function (listview) {
	frappe.prompt(
		[
			{
				fieldname: "employee",
				fieldtype: "Link",
				options: "ECRM Employee",
				label: __("Salesperson"),
				reqd: 1,
				get_query: () => ({ filters: { is_salesperson: 1 } }),
			},
		],
		(values) =>
			ent_crm.customer_list.set_filter(
				listview,
				"ECRM Customer Owner",
				"employee",
				"=",
				values.employee
			),
		__("Customers of a Salesperson"),
		__("Show")
	);
};

// Set one filter through the filter button, replacing a filter on the same field.
ent_crm.customer_list.set_filter = function (listview, doctype, fieldname, condition, value) {
	const filter_list = listview.filter_area.filter_list;
	const standard = listview.page.fields_dict[fieldname];
	const clear_standard =
		doctype === listview.doctype && standard && standard.get_value()
			? () => standard.set_value("")
			: () => Promise.resolve();
	return Promise.resolve(clear_standard()).then(() => {
		let existing;
		while ((existing = filter_list.get_filter(fieldname))) {
			existing.remove();
		}
		return filter_list
			.add_filters([[doctype, fieldname, condition, value]])
			.then(() => filter_list.apply());
	});
};

// The sidebar's "group by" counts: by region and by owners, unless the user has chosen their own.
ent_crm.customer_list.setup_group_by = function (listview) {
	const group_by = listview.list_sidebar && listview.list_sidebar.list_group_by;
	if (!group_by || frappe.get_user_settings(listview.doctype).group_by_fields) return;
	group_by.group_by_fields = ["assigned_to", "owner", "region", "owner_names"];
	group_by.render_group_by_items();
	group_by.setup_dropdown();
};

// --- bulk ownership changes (managers) ---------------------------------------------------------------

ent_crm.customer_list.salesperson_query = function () {
	return { filters: { status: "In Service", is_salesperson: 1 } };
};

ent_crm.customer_list.selected = function (listview) {
	const names = listview.get_checked_items(true);
	if (!names.length) {
		frappe.msgprint(__("Select one or more customers first."));
	}
	return names;
};

// "Selected: A, B, C and 4 more" for the dialogs
ent_crm.customer_list.selection_html = function (listview, names) {
	const shown = names.slice(0, 5).map((name) => {
		const row = (listview.data || []).find((d) => d.name === name);
		return (row && row.customer_name) || name;
	});
	let text = shown.join(", ");
	if (names.length > shown.length) {
		text = __("{0} and {1} more", [text, names.length - shown.length]);
	}
	return (
		'<div class="text-muted small" style="margin-bottom: 8px;">' +
		frappe.utils.escape_html(__("Selected: {0}", [text])) +
		"</div>"
	);
};

ent_crm.customer_list.change_owners = function (listview) {
	const names = ent_crm.customer_list.selected(listview);
	if (!names.length) return;
	const mode_help = {
		add: __("The salespeople chosen become owners too; the current owners stay."),
		replace: __("The salespeople chosen become the only owners; other owners are removed."),
		remove: __("The salespeople chosen stop owning the selected customers."),
	};
	frappe.model.with_doctype("ECRM Customer Owner", () => {
		const dialog = new frappe.ui.Dialog({
			title: __("Change Owners of {0} Customers", [names.length]),
			fields: [
				{
					fieldname: "selection",
					fieldtype: "HTML",
					options: ent_crm.customer_list.selection_html(listview, names),
				},
				{
					fieldname: "mode",
					fieldtype: "Select",
					label: __("Change"),
					reqd: 1,
					default: "add",
					options: [
						{ value: "add", label: __("Add owners") },
						{ value: "replace", label: __("Replace the owners") },
						{ value: "remove", label: __("Remove owners") },
					],
					description: mode_help.add,
					onchange() {
						const mode = dialog.get_value("mode");
						dialog.set_df_property("mode", "description", mode_help[mode] || "");
					},
				},
				{
					fieldname: "employees",
					fieldtype: "Table MultiSelect",
					label: __("Salespeople"),
					options: "ECRM Customer Owner",
					reqd: 1,
					get_query: ent_crm.customer_list.salesperson_query,
				},
			],
			primary_action_label: __("Change Owners"),
			primary_action(values) {
				const employees = (values.employees || [])
					.map((row) => row.employee)
					.filter(Boolean);
				if (!employees.length) {
					frappe.msgprint(__("Choose at least one salesperson."));
					return;
				}
				frappe
					.call({
						method: "ent_crm.customers.api.set_owners",
						args: { customers: names, employees: employees, mode: values.mode },
						freeze: true,
						freeze_message: __("Changing owners…"),
					})
					.then((r) => {
						dialog.hide();
						const result = r.message || {};
						frappe.show_alert({
							message: __(
								"Owners changed for {0} customers; {1} needed no change.",
								[result.changed || 0, result.unchanged || 0]
							),
							indicator: "green",
						});
						listview.clear_checked_items();
						listview.refresh();
					});
			},
		});
		dialog.show();
	});
};

ent_crm.customer_list.move_customers = function (listview) {
	const names = ent_crm.customer_list.selected(listview);
	if (!names.length) return;
	const dialog = new frappe.ui.Dialog({
		title: __("Move {0} Customers to Another Salesperson", [names.length]),
		fields: [
			{
				fieldname: "selection",
				fieldtype: "HTML",
				options: ent_crm.customer_list.selection_html(listview, names),
			},
			{
				fieldname: "from_employee",
				fieldtype: "Link",
				options: "ECRM Employee",
				label: __("From Salesperson"),
				reqd: 1,
				get_query: () => ({ filters: { is_salesperson: 1 } }),
				description: __("Only the selected customers this salesperson owns are moved."),
			},
			{
				fieldname: "to_employee",
				fieldtype: "Link",
				options: "ECRM Employee",
				label: __("To Salesperson"),
				reqd: 1,
				get_query: ent_crm.customer_list.salesperson_query,
				description: __("Takes the first salesperson's place as owner from today."),
			},
		],
		primary_action_label: __("Move"),
		primary_action(values) {
			frappe
				.call({
					method: "ent_crm.customers.api.move_customers",
					args: {
						customers: names,
						from_employee: values.from_employee,
						to_employee: values.to_employee,
					},
					freeze: true,
					freeze_message: __("Moving customers…"),
				})
				.then((r) => {
					dialog.hide();
					const result = r.message || {};
					frappe.show_alert({
						message: __(
							"{0} customers moved; {1} skipped because the first salesperson does not own them.",
							[result.moved || 0, result.skipped || 0]
						),
						indicator: result.moved ? "green" : "orange",
					});
					listview.clear_checked_items();
					listview.refresh();
				});
		},
	});
	dialog.show();
};
