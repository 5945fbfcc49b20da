// Copyright (c) 2026, ent_crm developers
// License: MIT. See LICENSE

// CRM Devices (A7): browsers waiting for approval stand out.
frappe.listview_settings["ECRM Device"] = {
	add_fields: ["status"],
	get_indicator(doc) {
		const colour = { "Pending Approval": "orange", Approved: "green", Rejected: "red" }[doc.status];
		return [__(doc.status), colour || "gray", `status,=,${doc.status}`];
	},
};
