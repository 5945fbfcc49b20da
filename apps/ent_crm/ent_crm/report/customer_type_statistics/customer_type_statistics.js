// Copyright (c) 2026, ent_crm developers
// License: MIT. See LICENSE

{% include "ent_crm/public/js/ecrm_statistics.js" %}

// Customer Type Statistics (I1): customers by Customer Type. The period picks customers created in it.
frappe.query_reports["Customer Type Statistics"] = {
	filters: ent_crm.statistics.filters({ period_label: __("Created From") }),
};
