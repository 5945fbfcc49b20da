// Copyright (c) 2026, ent_crm developers
// License: MIT. See LICENSE

// ent_crm.statistics (the shared filters) comes with ent_crm.bundle.js, loaded before report scripts run
// Customer Products (I5): which customer deals in which product; pick a product to list its customers.
frappe.query_reports["Customer Products"] = {
	filters: [
		{ fieldname: "product", label: __("Product"), fieldtype: "Link", options: "ECRM Product" },
		...ent_crm.statistics.filters({ period_label: __("Created From") }),
	],
};
