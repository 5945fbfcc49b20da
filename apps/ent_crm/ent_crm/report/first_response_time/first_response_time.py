# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

"""First Response Time (beyond the manual): how fast salespeople answer customers' mail.

Definition (also shown on the report): every inbound mail from a known customer received in the period
(auto-replies and bounces left out) is answered at the earlier of
- the first outbound mail to the same customer sent at or after it arrived, and
- the moment it was marked followed (the answer went by phone, fax, a visit …).
The response time is that moment minus the arrival, in hours; answers are looked for until 30 days after
the end of the period. A mail is counted for each salesperson who
owns its customer now. Unanswered mails count in "Inbound" and lower "Answered within 24 h".
Hidden customers are left out; a salesperson sees only their own row, managers and ECRM All Customers
everyone's.
"""

from datetime import timedelta

import frappe
from frappe import _

from ent_crm.statistics import reports as statistics

DEFAULT_DAYS = 30
LOOK_AHEAD_DAYS = 30  # answers are looked for until this many days after the period


def execute(filters=None):
	filters = frappe._dict(filters or {})
	start, end = statistics.checked_period(filters, DEFAULT_DAYS)
	mails = inbound_mails(filters, start, end)
	answers = sent_mail_times(filters, start, end + timedelta(days=LOOK_AHEAD_DAYS))
	per_employee: dict[str, list] = {}
	per_mail: dict[str, float | None] = {}
	for mail, employee, customer, received_at, followed_at in mails:
		next_outbound = statistics.next_at_or_after(answers.get(customer, []), received_at)
		answered = statistics.first_response(received_at, next_outbound, followed_at)
		hours = (answered - received_at) / 3600 if answered is not None else None
		per_employee.setdefault(employee, []).append(hours)
		per_mail[mail] = hours
	people = statistics.employee_names(per_employee)
	data = []
	for employee, hours in per_employee.items():
		person = people.get(employee) or frappe._dict()
		numbers = statistics.response_summary(
			[h for h in hours if h is not None], sum(1 for h in hours if h is None)
		)
		data.append(
			frappe._dict(
				employee=employee,
				employee_name=person.get("employee_name") or employee,
				department=person.get("department"),
				**numbers,
			)
		)
	data.sort(key=lambda row: (-row.inbound, row.employee_name))
	overall = statistics.response_summary(
		[h for h in per_mail.values() if h is not None], sum(1 for h in per_mail.values() if h is None)
	)
	return columns(), data, definition(), chart(data), summary(overall)


def inbound_mails(filters, start, end) -> list[tuple]:
	"""(mail, owner employee, customer, received_at, followed_at) of the customers' mail of the period
	(moments in seconds, see `seconds`).
	Joining the customer owners keeps customers' mail only (that child table serves ECRM Customer alone)."""
	params = {"start": start, "end": end}
	who = statistics.employees_condition("o.employee", filters, params=params)
	where = statistics.region_condition("m.reference_name", filters, params)
	# a salesperson's own numbers start from their customers; everybody's scan the period on the covering index
	index = "" if statistics.one_employee(filters) else statistics.mail_index("stats_direction_period")
	return frappe.db.sql(
		f"""select m.name, o.employee, m.reference_name, {seconds("m.received_at")}, {seconds("m.followed_at")}
		from `tabECRM Mail` m {index}
		join `tabECRM Customer Owner` o on o.parent = m.reference_name
		where m.received_at >= %(start)s and m.received_at < %(end)s and m.direction = 'Inbound'
			and m.is_auto_reply = 0 and m.is_bounce = 0 and m.queue != 'Recycle Bin' and {who} and {where}
			and m.reference_name not in (select hc.name from {statistics.CUSTOMER} hc where hc.is_hidden = 1)""",
		params,
	)


def sent_mail_times(filters, start, until) -> dict[str, list]:
	"""customer -> sorted moments (seconds) mail was sent to it between `start` and `until` (the possible answers)."""
	params = {"start": start, "until": until}
	if statistics.one_employee(filters):  # only the customers of that salesperson can matter
		params["employee"] = filters.get("salesperson") or statistics.employee_of(frappe.session.user) or ""
		scope, index = (
			"m.reference_name in (select so.parent from `tabECRM Customer Owner` so where so.employee = %(employee)s)",
			"",
		)
	else:
		scope, index = "m.reference_name is not null", statistics.mail_index("stats_direction_period")
	times: dict[str, list] = {}
	for customer, sent_at in frappe.db.sql(
		f"""select m.reference_name, {seconds("m.received_at")} from `tabECRM Mail` m {index}
		where m.direction = 'Outbound' and m.received_at >= %(start)s and m.received_at < %(until)s
			and {statistics.sent_condition("m")} and {scope}""",
		params,
	):
		times.setdefault(customer, []).append(sent_at)
	for moments in times.values():  # (sorting here: the database would sort every row on long keys)
		moments.sort()
	return times


def seconds(column: str) -> str:
	"""A Datetime column as whole seconds since 1970 (integers reach Python far faster than datetimes)."""
	return f"cast(unix_timestamp({column}) as signed)"


def definition() -> str:
	return _(
		"Response time: from the arrival of a customer's mail to the first mail sent to that customer afterwards (up to 30 days after the period), or to the moment the mail was marked followed, whichever came first. Each mail counts for every owner of the customer."
	)


def columns() -> list[dict]:
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
		{"label": _("Customer Mails"), "fieldname": "inbound", "fieldtype": "Int", "width": 120},
		{"label": _("Answered"), "fieldname": "answered", "fieldtype": "Int", "width": 100},
		{"label": _("Unanswered"), "fieldname": "unanswered", "fieldtype": "Int", "width": 110},
		{
			"label": _("Average Hours"),
			"fieldname": "average_hours",
			"fieldtype": "Float",
			"precision": 1,
			"width": 120,
		},
		{
			"label": _("Median Hours"),
			"fieldname": "median_hours",
			"fieldtype": "Float",
			"precision": 1,
			"width": 120,
		},
		{
			"label": _("Answered within 24 h (%)"),
			"fieldname": "within_24h",
			"fieldtype": "Percent",
			"width": 170,
		},
	]


def chart(data) -> dict | None:
	ranked = [row for row in data if row.median_hours is not None][:20]
	if not ranked:
		return None
	return {
		"data": {
			"labels": [row.employee_name for row in ranked],
			"datasets": [
				{"name": _("Median Hours"), "values": [row.median_hours for row in ranked]},
				{"name": _("Average Hours"), "values": [row.average_hours for row in ranked]},
			],
		},
		"type": "bar",
		"fieldtype": "Float",
	}


def summary(overall: dict) -> list[dict]:
	return [
		statistics.card(overall["inbound"], _("Customer Mails"), "Blue"),
		statistics.card(overall["answered"], _("Answered"), "Green"),
		statistics.card(
			overall["unanswered"], _("Unanswered"), "Orange" if overall["unanswered"] else "Grey"
		),
		statistics.card(overall["median_hours"] or 0, _("Median Hours"), "Grey", "Float"),
		statistics.card(overall["within_24h"], _("Answered within 24 h (%)"), "Green", "Percent"),
	]
