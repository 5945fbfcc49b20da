// Copyright (c) 2026, ent_crm developers
// License: MIT. See LICENSE

// ent_crm.statistics (the shared filters) comes with ent_crm.bundle.js, loaded before report scripts run
// Customer Region Distribution (I2): one level of the region tree at a time. Click a region to see the
// level below it (continent → country → province/city); "Up One Level" goes back.
frappe.query_reports["Customer Region Distribution"] = {
	filters: [
		{
			fieldname: "parent_region",
			label: __("Within Region"),
			fieldtype: "Link",
			options: "ECRM Region",
		},
		...ent_crm.statistics.filters({ region: false, period_label: __("Created From") }),
	],

	formatter(value, row, column, data, default_formatter) {
		const formatted = default_formatter(value, row, column, data);
		if (column.fieldname === "region_label" && data && data.can_drill) {
			return `<a class="ecrm-drill" data-region="${frappe.utils.escape_html(data.region)}"
				title="${__("Show the regions below")}">${formatted}</a>`;
		}
		return formatted;
	},

	onload(report) {
		// one handler for the whole report page: clicking a drillable region runs the report one level down
		report.page.wrapper.on("click", "a.ecrm-drill", (event) => {
			event.preventDefault();
			report.set_filter_value("parent_region", $(event.currentTarget).attr("data-region"));
		});
		report.page.add_inner_button(__("Up One Level"), () => {
			const current = report.get_filter_value("parent_region");
			if (!current) return;
			frappe.db.get_value("ECRM Region", current, "parent_ecrm_region").then((r) => {
				report.set_filter_value("parent_region", (r.message && r.message.parent_ecrm_region) || "");
			});
		});
	},
};
