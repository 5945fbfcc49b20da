# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

"""One salesperson's mail exactly as they see it (D8, H1; personal-mailbox mail only with H2's right)."""

import frappe
from frappe import _

from ent_crm.core.rights import sees_all_customers
from ent_crm.core.roles import PERSONAL_MAIL_READER

QUEUES = ("Unassigned", "Known Pending", "Stranger Pending", "Handled", "Trash", "Recycle Bin")


def execute(filters=None):
	filters = frappe._dict(filters or {})
	if not sees_all_customers():
		frappe.throw(_("Only managers can look at another salesperson's mail."), frappe.PermissionError)
	if not filters.salesperson:
		return columns(), [], _("Choose a salesperson."), None, []
	user = frappe.db.get_value("ECRM Employee", filters.salesperson, "user")
	conditions = {"direction": filters.direction} if filters.direction else {}
	if filters.queue:
		conditions["queue"] = filters.queue
	if PERSONAL_MAIL_READER not in frappe.get_roles() and "System Manager" not in frappe.get_roles():
		conditions["is_personal"] = 0  # H2: personal-mailbox mail needs its own right
	rows = frappe.get_list(
		"ECRM Mail",
		filters=conditions,
		fields=[
			"name",
			"received_at",
			"subject",
			"sender",
			"reference_title",
			"contact_name",
			"queue",
			"direction",
			"is_personal",
		],
		order_by="received_at desc",
		limit_page_length=500,
		user=user,  # the salesperson's own view: the same rules as their list
	)
	counts = {q: 0 for q in QUEUES}
	for row in rows:
		counts[row.queue] = counts.get(row.queue, 0) + 1
		row.who = (
			row.reference_title and f"{row.contact_name or ''} {row.reference_title}".strip()
		) or row.sender
	summary = [
		{
			"value": counts["Known Pending"],
			"label": _("Known Pending"),
			"datatype": "Int",
			"indicator": "Blue",
		},
		{
			"value": counts["Stranger Pending"],
			"label": _("Stranger Pending"),
			"datatype": "Int",
			"indicator": "Purple",
		},
		{"value": counts["Handled"], "label": _("Handled"), "datatype": "Int", "indicator": "Green"},
	]
	return columns(), rows, None, None, summary


def columns():
	return [
		{"label": _("Received At"), "fieldname": "received_at", "fieldtype": "Datetime", "width": 160},
		{"label": _("Subject"), "fieldname": "subject", "fieldtype": "Data", "width": 280},
		{"label": _("Sender"), "fieldname": "who", "fieldtype": "Data", "width": 220},
		{"label": _("Queue"), "fieldname": "queue", "fieldtype": "Data", "width": 130},
		{"label": _("Direction"), "fieldname": "direction", "fieldtype": "Data", "width": 90},
		{"label": _("Personal Mailbox"), "fieldname": "is_personal", "fieldtype": "Check", "width": 90},
		{"label": _("Mail"), "fieldname": "name", "fieldtype": "Link", "options": "ECRM Mail", "width": 110},
	]
