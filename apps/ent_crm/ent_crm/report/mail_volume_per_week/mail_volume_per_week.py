# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

"""Mail Volume per Week (beyond the manual): inbound and outbound mail per week (weeks start on Monday).

Counts the mail the user may see (the same rule as the mail list), received or sent in the period, without
blocked mail (recycle bin), auto-replies, bounces and mail of hidden customers. The salesperson and
department filters keep mail assigned to them or of customers they own; the region filter keeps customers'
mail of that region. Outbound mail counts once it has been sent (or was imported as sent).
"""

from datetime import timedelta

import frappe
from frappe import _

from ent_crm.statistics import reports as statistics

WEEKS = 12


def execute(filters=None):
	filters = frappe._dict(filters or {})
	if not filters.get("from_date"):  # the last 12 whole weeks, this one included
		end_day = frappe.utils.getdate(filters.get("to_date") or frappe.utils.today())
		filters.from_date = statistics.week_start(end_day) - timedelta(weeks=WEEKS - 1)
	start, end = statistics.checked_period(filters, None)
	params: dict = {}
	source, where = statistics.mail_source(filters, start, end, params=params)
	mail = "`tabECRM Mail`"
	counted = frappe.db.sql(
		f"""select date_sub(date({mail}.received_at), interval weekday({mail}.received_at) day), {mail}.direction, count(*)
		from {source} where {where} and ({mail}.direction = 'Inbound' or {statistics.sent_condition(mail)})
		group by 1, 2""",
		params,
	)
	weeks = {
		week: frappe._dict(week=week, inbound=0, outbound=0, total=0)
		for week in statistics.weeks_between(start, end)
	}
	for week, direction, count in counted:
		row = weeks.setdefault(week, frappe._dict(week=week, inbound=0, outbound=0, total=0))
		row["inbound" if direction == "Inbound" else "outbound"] += count
		row.total += count
	data = [weeks[week] for week in sorted(weeks)]
	return columns(), data, None, chart(data), summary(data)


def columns() -> list[dict]:
	return [
		{"label": _("Week Starting"), "fieldname": "week", "fieldtype": "Date", "width": 130},
		{"label": _("Inbound"), "fieldname": "inbound", "fieldtype": "Int", "width": 110},
		{"label": _("Outbound"), "fieldname": "outbound", "fieldtype": "Int", "width": 110},
		{"label": _("All Mail"), "fieldname": "total", "fieldtype": "Int", "width": 110},
	]


def chart(data) -> dict | None:
	if not data:
		return None
	return {
		"data": {
			"labels": [
				row.week.strftime("%m-%d") for row in data
			],  # (short: twelve and more labels share the width)
			"datasets": [
				{"name": _("Inbound"), "values": [row.inbound for row in data]},
				{"name": _("Outbound"), "values": [row.outbound for row in data]},
			],
		},
		"type": "line",
		"fieldtype": "Int",
		"colors": ["#5e64ff", "#29cd42"],
	}


def summary(data) -> list[dict]:
	inbound, outbound = sum(row.inbound for row in data), sum(row.outbound for row in data)
	busiest = max(data, key=lambda row: row.total) if data else None
	return [
		statistics.card(inbound, _("Inbound"), "Blue"),
		statistics.card(outbound, _("Outbound"), "Green"),
		statistics.card(
			round((inbound + outbound) / len(data), 1) if data else 0, _("Mails per Week"), "Grey", "Float"
		),
		statistics.card(
			frappe.utils.formatdate(busiest.week) if busiest and busiest.total else "-",
			_("Busiest Week"),
			"Orange",
			"Data",
		),
	]
