// Copyright (c) 2026, ent_crm developers
// License: MIT. See LICENSE

// What the statistics reports share: the filters (period, salesperson, department, region) and the
// drill-down link. Part of ent_crm.bundle.js (hooks.app_include_js): the desk loads it before any query
// report's script runs, so a report's .js reads ent_crm.statistics.filters at once.
window.ent_crm = window.ent_crm || {};
ent_crm.statistics = {
	// days: the period's default length in days (null: no period by default); region: false to leave the
	// region filter out (a report with its own region filter)
	filters({ days = null, region = true, period_label = null } = {}) {
		const filters = [
			{
				fieldname: "from_date",
				label: period_label || __("Start Date"),
				fieldtype: "Date",
				default: days ? frappe.datetime.add_days(frappe.datetime.get_today(), 1 - days) : "",
			},
			{
				fieldname: "to_date",
				label: __("End Date"),
				fieldtype: "Date",
				default: days ? frappe.datetime.get_today() : "",
			},
			{
				fieldname: "salesperson",
				label: __("Salesperson"),
				fieldtype: "Link",
				options: "ECRM Employee",
				get_query: () => ({ filters: { is_salesperson: 1 } }),
			},
			{
				fieldname: "department",
				label: __("Department"),
				fieldtype: "Link",
				options: "ECRM Department",
			},
		];
		if (region) {
			filters.push({ fieldname: "region", label: __("Region"), fieldtype: "Link", options: "ECRM Region" });
		}
		return filters;
	},
};
