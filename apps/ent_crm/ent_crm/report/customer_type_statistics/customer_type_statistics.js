// Copyright (c) 2026, ent_crm developers
// License: MIT. See LICENSE

// ent_crm.statistics (the shared filters) comes with ent_crm.bundle.js, loaded before report scripts run
// Customer Type Statistics (I1): customers by Customer Type. The period picks customers created in it.
frappe.query_reports["Customer Type Statistics"] = {
	filters: ent_crm.statistics.filters({ period_label: __("Created From") }),
};
