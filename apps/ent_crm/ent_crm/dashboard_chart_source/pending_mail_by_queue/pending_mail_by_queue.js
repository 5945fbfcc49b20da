// Copyright (c) 2026, ent_crm developers
// License: MIT. See LICENSE

// The caller's pending mail by queue (the workbench's counts, with the queues' names translated).
frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Pending Mail by Queue"] = {
	method: "ent_crm.workbench.api.pending_mail_chart",
	filters: [],
};
