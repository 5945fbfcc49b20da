// Copyright (c) 2026, ent_crm developers
// License: MIT. See LICENSE

frappe.query_reports["Salesperson Mail"] = {
	filters: [
		{
			fieldname: "salesperson",
			label: __("Salesperson"),
			fieldtype: "Link",
			options: "ECRM Employee",
			reqd: 1,
			get_query: () => ({ filters: { is_salesperson: 1 } }),
		},
		{
			fieldname: "queue",
			label: __("Queue"),
			fieldtype: "Select",
			options: ["", "Unassigned", "Known Pending", "Stranger Pending", "Handled", "Trash", "Recycle Bin"].map((q) => ({ value: q, label: __(q) })),
		},
		{
			fieldname: "direction",
			label: __("Direction"),
			fieldtype: "Select",
			options: ["", "Inbound", "Outbound"].map((d) => ({ value: d, label: __(d) })),
		},
	],
};
