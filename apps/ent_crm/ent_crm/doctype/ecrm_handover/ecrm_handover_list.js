// Copyright (c) 2026, ent_crm developers
// License: MIT. See LICENSE

const ECRM_HANDOVER_COLORS = {
	Draft: "gray",
	Queued: "orange",
	Running: "blue",
	Completed: "green",
	Failed: "red",
};

frappe.listview_settings["ECRM Handover"] = {
	add_fields: ["status", "mode", "customers_affected"],
	get_indicator(doc) {
		return [__(doc.status), ECRM_HANDOVER_COLORS[doc.status] || "gray", "status,=," + doc.status];
	},
};
