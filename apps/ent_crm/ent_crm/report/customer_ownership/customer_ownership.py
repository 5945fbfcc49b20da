# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

"""Customer Ownership (G5, 客户分管查询): who owns which customer, filtered by a saved query.

The rows come from ent_crm.customers.ownership_query, which also limits a salesperson to their own customers
(Script Reports bypass permission_query_conditions).
"""

import frappe
from frappe import _

from ent_crm.customers import ownership_query


def execute(filters=None):
	filters = frappe._dict(filters or {})
	data = ownership_query.get_rows(ownership_query.query_conditions(filters.get("query")))
	return get_columns(), data, None, get_chart(data), get_report_summary(data)


def get_columns() -> list[dict]:
	return [
		{
			"label": _("Customer Code"),
			"fieldname": "customer",
			"fieldtype": "Link",
			"options": "ECRM Customer",
			"width": 120,
		},
		{"label": _("Customer Name"), "fieldname": "customer_name", "fieldtype": "Data", "width": 220},
		{
			"label": _("Region"),
			"fieldname": "region",
			"fieldtype": "Link",
			"options": "ECRM Region",
			"width": 130,
		},
		{
			"label": _("Employee Code"),
			"fieldname": "employee",
			"fieldtype": "Link",
			"options": "ECRM Employee",
			"width": 110,
		},
		{"label": _("Employee Name"), "fieldname": "employee_name", "fieldtype": "Data", "width": 140},
		{"label": _("Assignment Date"), "fieldname": "assigned_on", "fieldtype": "Date", "width": 120},
		{"label": _("Latest Assignment"), "fieldname": "is_latest", "fieldtype": "Check", "width": 120},
	]


def customers_per_owner(data: list[dict]) -> dict[str, set]:
	"""employee -> the customers of `data` they own."""
	owned: dict[str, set] = {}
	for row in data:
		owned.setdefault(row.employee, set()).add(row.customer)
	return owned


def get_chart(data: list[dict]) -> dict | None:
	"""Bar chart: how many of the listed customers each owner has, most first."""
	owned = customers_per_owner(data)
	if not owned:
		return None
	names = {row.employee: row.employee_name or row.employee for row in data}
	ranked = sorted(owned, key=lambda employee: (-len(owned[employee]), names[employee]))
	return {
		"data": {
			"labels": [names[employee] for employee in ranked],
			"datasets": [{"name": _("Customers"), "values": [len(owned[employee]) for employee in ranked]}],
		},
		"type": "bar",
		"fieldtype": "Int",
		"colors": ["#5e64ff"],
	}


def get_report_summary(data: list[dict]) -> list[dict]:
	customers = {row.customer for row in data}
	return [
		{"value": len(customers), "label": _("Customers"), "datatype": "Int", "indicator": "Blue"},
		{
			"value": len(customers_per_owner(data)),
			"label": _("Owners"),
			"datatype": "Int",
			"indicator": "Green",
		},
		{"value": len(data), "label": _("Ownership Records"), "datatype": "Int", "indicator": "Grey"},
	]
