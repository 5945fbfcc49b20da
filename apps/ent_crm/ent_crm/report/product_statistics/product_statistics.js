// Copyright (c) 2026, ent_crm developers
// License: MIT. See LICENSE

// ent_crm.statistics (the shared filters) comes with ent_crm.bundle.js, loaded before report scripts run
// Product Statistics (I6): customers per product. Click a product to list its customers (Customer Products).
frappe.query_reports["Product Statistics"] = {
	filters: ent_crm.statistics.filters({ period_label: __("Created From") }),

	formatter(value, row, column, data, default_formatter) {
		const formatted = default_formatter(value, row, column, data);
		if (column.fieldname === "product_label" && data && data.product) {
			const route = `/app/query-report/Customer%20Products?product=${encodeURIComponent(data.product)}`;
			return `<a href="${route}" title="${__("List the customers of this product")}">${formatted}</a>`;
		}
		return formatted;
	},
};
