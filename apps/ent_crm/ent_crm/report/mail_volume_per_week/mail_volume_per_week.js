// Copyright (c) 2026, ent_crm developers
// License: MIT. See LICENSE

// ent_crm.statistics (the shared filters) comes with ent_crm.bundle.js, loaded before report scripts run
// Mail Volume per Week: inbound and outbound mail per week (Monday to Sunday), the last 12 weeks by default.
frappe.query_reports["Mail Volume per Week"] = {
	filters: ent_crm.statistics.filters({ days: 84 }).map((filter) =>
		// the last 12 whole weeks, this one included
		filter.fieldname === "from_date"
			? { ...filter, default: moment().startOf("isoWeek").subtract(11, "weeks").format("YYYY-MM-DD") }
			: filter
	),
};
