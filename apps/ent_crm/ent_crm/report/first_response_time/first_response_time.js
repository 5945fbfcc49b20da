// Copyright (c) 2026, ent_crm developers
// License: MIT. See LICENSE

// ent_crm.statistics (the shared filters) comes with ent_crm.bundle.js, loaded before report scripts run
// First Response Time: hours from a customer's mail to the first answer (a sent mail to the customer or
// the mail marked followed), per salesperson owning the customer. The definition shows under the table.
frappe.query_reports["First Response Time"] = {
	filters: ent_crm.statistics.filters({ days: 30 }),
};
