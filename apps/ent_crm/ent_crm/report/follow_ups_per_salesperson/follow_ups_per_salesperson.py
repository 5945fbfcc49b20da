# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

"""Follow-ups per Salesperson (I7): how often each salesperson contacted customers in a period, by method
and by direction.

A follow-up is a contact log (ECRM Contact Log: phone, fax, chat, visit … with its direction) or an
outbound mail sent to a customer (ECRM Mail, direction Outbound, sent or imported; counted under the method
"Sent Mail", direction Outbound). A sent mail that a contact log already records (the log's `mail`) is
counted once, as the log. A contact log belongs to its `employee`, a sent mail to the salesperson who sent
it (its assigned_employee, set when sending). Hidden customers are left out; a salesperson sees only their
own row, managers and ECRM All Customers everyone's.
"""

import frappe
from frappe import _

from ent_crm.statistics import reports as statistics

SENT_MAIL = "__sent_mail__"
DEFAULT_DAYS = 30


def execute(filters=None):
	filters = frappe._dict(filters or {})
	start, end = statistics.checked_period(filters, DEFAULT_DAYS)
	counts = contact_log_counts(filters, start, end) + sent_mail_counts(filters, start, end)
	methods = ordered_methods({method for _e, method, _d, _c in counts})
	people = statistics.employee_names({employee for employee, _m, _d, _c in counts})
	rows = {}
	for employee, method, direction, count in counts:
		row = rows.get(employee)
		if row is None:
			person = people.get(employee) or frappe._dict()
			row = rows[employee] = frappe._dict(
				employee=employee,
				employee_name=person.get("employee_name") or employee or _("(not set)"),
				department=person.get("department"),
				outbound=0,
				inbound=0,
				total=0,
				**{key: 0 for key, _label in methods},
			)
		row[method_key(method)] += count
		row["inbound" if direction == "Inbound" else "outbound"] += count
		row.total += count
	data = sorted(rows.values(), key=lambda row: (-row.total, row.employee_name))
	return columns(methods), data, None, chart(data, methods), summary(data, start, end)


def method_key(method: str | None) -> str:
	return "m_" + frappe.scrub(method or "not_set")


def ordered_methods(used: set) -> list[tuple[str, str]]:
	"""(column key, label) for each method used: the code list's order, sent mail first."""
	order = frappe.get_all(statistics.FOLLOW_UP_METHOD, pluck="name", order_by="sort_order asc, name asc")
	known = [m for m in order if m in used]
	rest = sorted(m for m in used if m not in order and m != SENT_MAIL)
	methods = [(method_key(SENT_MAIL), _("Sent Mail"))] if SENT_MAIL in used else []
	return methods + [(method_key(m), _(m) if m else _("(not set)")) for m in known + rest]


def contact_log_counts(filters, start, end) -> list[tuple]:
	params = {"start": start, "end": end}
	who = statistics.employees_condition("l.employee", filters, params=params)
	where = statistics.region_condition("l.customer", filters, params)
	if filters.get("direction"):
		params["direction"] = filters.direction
		where += " and l.direction = %(direction)s"
	if filters.get("method") and filters.method != SENT_MAIL:
		params["method"] = filters.method
		where += " and l.method = %(method)s"
	elif filters.get("method"):
		return []
	index = statistics.mail_index(
		"contact_employee_stats" if statistics.one_employee(filters) else "contact_date_stats",
		"tabECRM Contact Log",
	)
	return [
		tuple(row)
		for row in frappe.db.sql(
			f"""select l.employee, l.method, l.direction, count(*) from `tabECRM Contact Log` l {index}
			where l.contact_date >= %(start)s and l.contact_date < %(end)s and {who} and {where}
			and l.customer not in (select hc.name from {statistics.CUSTOMER} hc where hc.is_hidden = 1)
			group by l.employee, l.method, l.direction""",
			params,
		)
	]


def sent_mail_counts(filters, start, end) -> list[tuple]:
	if (filters.get("method") and filters.method != SENT_MAIL) or filters.get("direction") == "Inbound":
		return []
	params = {"start": start, "end": end}
	who = statistics.employees_condition("m.assigned_employee", filters, params=params)
	where = statistics.region_condition("m.reference_name", filters, params)
	index = statistics.mail_index(
		"stats_sender" if statistics.one_employee(filters) else "stats_direction_period"
	)
	return [
		(employee, SENT_MAIL, "Outbound", count)
		for employee, count in frappe.db.sql(
			f"""select m.assigned_employee, count(*) from `tabECRM Mail` m {index}
			where m.received_at >= %(start)s and m.received_at < %(end)s and m.direction = 'Outbound'
			and {statistics.sent_condition("m")} and {who} and {where}
			and m.reference_name in (select vc.name from {statistics.CUSTOMER} vc where vc.is_hidden = 0)
			and m.name not in (select cl.mail from `tabECRM Contact Log` cl where cl.mail is not null)
			group by m.assigned_employee""",
			params,
		)
	]


def columns(methods) -> list[dict]:
	return [
		{
			"label": _("Salesperson"),
			"fieldname": "employee",
			"fieldtype": "Link",
			"options": "ECRM Employee",
			"width": 110,
		},
		{"label": _("Employee Name"), "fieldname": "employee_name", "fieldtype": "Data", "width": 140},
		{
			"label": _("Department"),
			"fieldname": "department",
			"fieldtype": "Link",
			"options": "ECRM Department",
			"width": 130,
		},
		*({"label": label, "fieldname": key, "fieldtype": "Int", "width": 100} for key, label in methods),
		{"label": _("Outbound"), "fieldname": "outbound", "fieldtype": "Int", "width": 100},
		{"label": _("Inbound"), "fieldname": "inbound", "fieldtype": "Int", "width": 100},
		{"label": _("Follow-ups"), "fieldname": "total", "fieldtype": "Int", "width": 100},
	]


def chart(data, methods) -> dict | None:
	"""Stacked bars: each salesperson's follow-ups by method (the 20 busiest)."""
	if not data:
		return None
	top = data[:20]
	return {
		"data": {
			"labels": [row.employee_name for row in top],
			"datasets": [{"name": label, "values": [row[key] for row in top]} for key, label in methods],
		},
		"type": "bar",
		"barOptions": {"stacked": 1},
		"fieldtype": "Int",
	}


def summary(data, start, end) -> list[dict]:
	total = sum(row.total for row in data)
	days = max((end - start).days, 1)
	return [
		statistics.card(total, _("Follow-ups"), "Blue"),
		statistics.card(sum(row.outbound for row in data), _("Outbound"), "Green"),
		statistics.card(sum(row.inbound for row in data), _("Inbound"), "Purple"),
		statistics.card(round(total / days, 1), _("Per Day"), "Grey", "Float"),
	]
