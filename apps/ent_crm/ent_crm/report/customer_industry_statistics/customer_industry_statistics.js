// Copyright (c) 2026, ent_crm developers
// License: MIT. See LICENSE

// ent_crm.statistics (the shared filters) comes with ent_crm.bundle.js, loaded before report scripts run
// Customer Industry Statistics (I4): customers by Industry. The period picks customers created in it.
frappe.query_reports["Customer Industry Statistics"] = {
	filters: ent_crm.statistics.filters({ period_label: __("Created From") }),
};
