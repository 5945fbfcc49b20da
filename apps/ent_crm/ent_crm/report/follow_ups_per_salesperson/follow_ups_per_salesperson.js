// Copyright (c) 2026, ent_crm developers
// License: MIT. See LICENSE

// ent_crm.statistics (the shared filters) comes with ent_crm.bundle.js, loaded before report scripts run
// Follow-ups per Salesperson (I7): contact logs by method and direction, plus sent mail, per salesperson.
frappe.query_reports["Follow-ups per Salesperson"] = {
	filters: [
		...ent_crm.statistics.filters({ days: 30 }),
		{
			fieldname: "method",
			label: __("Follow-up Method"),
			fieldtype: "Link",
			options: "ECRM Follow-up Method",
		},
		{
			fieldname: "direction",
			label: __("Direction"),
			fieldtype: "Select",
			options: [
				{ value: "", label: "" },
				{ value: "Outbound", label: __("Outbound") },
				{ value: "Inbound", label: __("Inbound") },
			],
		},
	],
};
