// Copyright (c) 2026, ent_crm developers
// License: MIT. See LICENSE

// Customer Ownership (G5): who owns which customer, filtered by one of the user's saved queries.
frappe.query_reports["Customer Ownership"] = {
	filters: [
		{
			fieldname: "query",
			label: __("Saved Query"),
			fieldtype: "Link",
			options: "ECRM Ownership Query",
			get_query: () => ({ filters: { user: frappe.session.user } }),
		},
	],

	onload(report) {
		report.page.add_inner_button(__("Edit Query"), () => {
			const query = report.get_filter_value("query");
			if (query) {
				frappe.set_route("Form", "ECRM Ownership Query", query);
			} else {
				frappe.new_doc("ECRM Ownership Query");
			}
		});
		report.page.add_inner_button(__("Clear"), () => report.set_filter_value("query", ""));

		// open the user's default query, unless the route already names one
		if (!report.get_filter_value("query")) {
			frappe.db
				.get_value("ECRM Ownership Query", { user: frappe.session.user, is_default: 1 }, "name")
				.then((r) => {
					const name = r.message && r.message.name;
					if (name && !report.get_filter_value("query")) {
						report.set_filter_value("query", name);
					}
				});
		}
	},
};
