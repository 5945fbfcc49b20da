"""What the statistics reports (I1–I7 and beyond) share: filters, who sees which numbers, indexes.

Every report takes the same filters — a period (`from_date`, `to_date`), a salesperson (ECRM Employee), a
department (with its sub-departments) and a region (with everything below it) — and leaves hidden
customers out.

Who sees what, by reusing the app's visibility rules instead of writing new ones:
- reports about customers count the customers the user may see in the customer list
  (`ent_crm.core.visibility.customer_query_conditions`): a salesperson counts the customers they own;
- reports about people's work (follow-ups, first response) count every salesperson for those who see all
  customers (`ent_crm.core.rights.sees_all_customers`: managers, ECRM All Customers) and only the user's own
  employee record for everybody else;
- the mail volume counts the mail the user may see (`ent_crm.core.visibility.mail_query_conditions`).

The pure rules (periods, weeks, shares, region drill-down, first response) live in
ent_crm.statistics.rules (tests/unit/test_statistics_rules.py); the SQL builders here return a
condition and fill its parameters, to be joined into a report's query.
"""

from datetime import date

import frappe
from frappe import _
from frappe.utils import getdate, today

from ent_crm.core.rights import employee_of, mail_rights, sees_all_customers
from ent_crm.core.visibility import customer_query_conditions, mail_parts, mail_query_conditions
from ent_crm.statistics.rules import (  # noqa: F401 (the reports use them through this module)
	first_response,
	next_at_or_after,
	period,
	response_summary,
	share,
	subtree_counts,
	week_start,
	weeks_between,
)

CUSTOMER = "`tabECRM Customer`"
FOLLOW_UP_METHOD = "ECRM Follow-up Method"

# --- filters ---------------------------------------------------------------------------------------------


def checked_period(filters, default_days: int | None) -> tuple[date | None, date | None]:
	try:
		return period(filters.get("from_date"), filters.get("to_date"), default_days, getdate(today()))
	except ValueError:
		frappe.throw(_("The start of the period must not be after its end."), title=_("Invalid Period"))


def tree_bounds(doctype: str, name: str) -> tuple[int, int]:
	bounds = frappe.db.get_value(doctype, name, ["lft", "rgt"])
	if not bounds:
		frappe.throw(_("{0} {1} does not exist.").format(_(doctype), name))
	return bounds


def employees_condition(column: str, filters, user: str | None = None, params: dict | None = None) -> str:
	"""Condition on an employee column for reports about people's work: the user's own record unless they
	see all customers, narrowed by the salesperson and department filters."""
	user = user or frappe.session.user
	params = params if params is not None else {}
	conditions = []
	if not sees_all_customers(user):
		params["me"] = employee_of(user) or ""
		conditions.append(f"{column} = %(me)s")
	if filters.get("salesperson"):
		params["salesperson"] = filters.salesperson
		conditions.append(f"{column} = %(salesperson)s")
	if filters.get("department"):
		params["dept_lft"], params["dept_rgt"] = tree_bounds("ECRM Department", filters.department)
		conditions.append(
			f"{column} in (select e.name from `tabECRM Employee` e join `tabECRM Department` d on d.name = e.department"
			" where d.lft >= %(dept_lft)s and d.rgt <= %(dept_rgt)s)"
		)
	return " and ".join(conditions) or "1=1"


def region_condition(customer_column: str, filters, params: dict) -> str:
	"""Customers in the region filter (and everything below it), by the column holding the customer."""
	if not filters.get("region"):
		return "1=1"
	params["region_lft"], params["region_rgt"] = tree_bounds("ECRM Region", filters.region)
	return (
		f"{customer_column} in (select rc.name from `tabECRM Customer` rc join `tabECRM Region` rr on rr.name = rc.region"
		" where rr.lft >= %(region_lft)s and rr.rgt <= %(region_rgt)s)"
	)


def customer_conditions(
	filters, user: str | None = None, params: dict | None = None, region: bool = True
) -> str:
	"""Conditions on `tabECRM Customer` (not aliased: the visibility rule names the table) for reports about
	customers: not hidden, visible to the user, created in the period, owned by the salesperson or by
	someone of the department, in the region."""
	user = user or frappe.session.user
	params = params if params is not None else {}
	conditions = [f"{CUSTOMER}.is_hidden = 0"]
	visibility = customer_query_conditions(user)
	owned = f"{CUSTOMER}.name in (select so.parent from `tabECRM Customer Owner` so where so.parenttype = 'ECRM Customer' and so.{{}})"
	if visibility:
		conditions.append(visibility)
		# the same customers once more, as a list the database can start from (it runs the rule row by row)
		params["visible_to"] = user
		conditions.append(owned.format("user = %(visible_to)s"))
	start, end = checked_period(filters, None)
	if filters.get("from_date"):
		params["from_date"] = start
		conditions.append(f"{CUSTOMER}.creation >= %(from_date)s")
	if filters.get("to_date"):
		params["to_date"] = end
		conditions.append(f"{CUSTOMER}.creation < %(to_date)s")
	if filters.get("salesperson"):
		params["salesperson"] = filters.salesperson
		conditions.append(owned.format("employee = %(salesperson)s"))
	if filters.get("department"):
		params["dept_lft"], params["dept_rgt"] = tree_bounds("ECRM Department", filters.department)
		conditions.append(
			owned.format(
				"employee in (select e.name from `tabECRM Employee` e join `tabECRM Department` d"
				" on d.name = e.department where d.lft >= %(dept_lft)s and d.rgt <= %(dept_rgt)s)"
			)
		)
	if region and filters.get("region"):
		params["region_lft"], params["region_rgt"] = tree_bounds("ECRM Region", filters.region)
		conditions.append(
			f"{CUSTOMER}.region in (select rr.name from `tabECRM Region` rr where rr.lft >= %(region_lft)s and rr.rgt <= %(region_rgt)s)"
		)
	return " and ".join(conditions)


def sent_condition(alias: str = "m") -> str:
	"""Outbound mail that left (or was imported as sent) or is queued to leave: not a draft, waiting for
	approval, scheduled, rejected, failed or cancelled. Mail rows from before outbound sending existed have
	no status."""
	if not frappe.db.has_column("ECRM Mail", "outbound_status"):
		return "1=1"
	return f"ifnull({alias}.outbound_status, '') in ('', 'Queued', 'Sent')"


def mail_source(
	filters, start: date, end: date, user: str | None = None, params: dict | None = None
) -> tuple[str, str]:
	"""(from clause, conditions) over `tabECRM Mail` for the mail volume: mail the user may see
	(`mail_query_conditions`), received in the period, not blocked (recycle bin), no auto-replies or
	bounces, not of a hidden customer; the salesperson and department filters keep mail assigned to them or
	of customers they own; the region keeps customers' mail of that region.

	The conditions decide; the from clause only makes it fast: a salesperson's view or the salesperson filter
	starts from the few mails that can match (of the customers owned, assigned), everything else scans the
	period on the covering index."""
	user = user or frappe.session.user
	params = params if params is not None else {}
	mail = "`tabECRM Mail`"
	params["start"], params["end"] = start, end
	period = "cm.received_at >= %(start)s and cm.received_at < %(end)s"
	conditions = [
		f"{mail}.received_at >= %(start)s and {mail}.received_at < %(end)s",
		f"{mail}.queue != 'Recycle Bin' and {mail}.is_auto_reply = 0 and {mail}.is_bounce = 0",
		f"({mail}.reference_name is null or {mail}.reference_name not in (select hc.name from {CUSTOMER} hc where hc.is_hidden = 1))",
	]
	visibility = mail_query_conditions(user)
	if visibility:
		conditions.append(visibility)
	people = None
	if filters.get("salesperson"):
		params["salesperson"] = filters.salesperson
		people = "%(salesperson)s"
		conditions.append(people_condition(mail, people))
	if filters.get("department"):
		params["dept_lft"], params["dept_rgt"] = tree_bounds("ECRM Department", filters.department)
		department = (
			"select e.name from `tabECRM Employee` e join `tabECRM Department` d on d.name = e.department"
			" where d.lft >= %(dept_lft)s and d.rgt <= %(dept_rgt)s"
		)
		conditions.append(people_condition(mail, department))  # (a department's mail: the scan is faster)
	if filters.get("region"):
		conditions.append(region_condition(f"{mail}.reference_name", filters, params))

	if people:  # (the customer owner table serves ECRM Customer only)
		candidates = (
			f"select cm.name from `tabECRM Customer Owner` co join {mail} cm on cm.reference_name = co.parent"
			f" where co.employee in ({people}) and {period}"
			f" union select cm.name from {mail} cm where cm.assigned_employee in ({people}) and {period}"
		)
	elif not mail_rights(user)[0]:  # limited to their own system mail: each part of the mail rule
		candidates = " union ".join(
			f"select cm.name from {mail} cm where ({part}) and {period}"
			for _name, part in mail_parts(user, alias="cm")
		)
	else:
		return f"{mail} {mail_index('stats_direction_period')}", " and ".join(conditions)
	return f"({candidates}) candidate join {mail} on {mail}.name = candidate.name", " and ".join(conditions)


def people_condition(mail: str, people: str) -> str:
	"""Mail assigned to one of `people` (employees) or of a customer one of them owns."""
	return (
		f"({mail}.assigned_employee in ({people}) or exists (select 1 from `tabECRM Customer Owner` mo"
		f" where mo.parent = {mail}.reference_name and mo.employee in ({people})))"
	)


def one_employee(filters, user: str | None = None) -> bool:
	"""Whether a report about people's work is limited to a single salesperson."""
	return bool(filters.get("salesperson")) or not sees_all_customers(user or frappe.session.user)


# --- shared report pieces --------------------------------------------------------------------------------


def distribution(field: str, filters, label: str, options: str) -> tuple:
	"""A report of customers counted by one Link field (type, source, industry): columns, rows, chart,
	summary. Customers without a value are one row, "(not set)". `options` is the code list (kept in
	the rows' `value` for links)."""
	params: dict = {}
	where = customer_conditions(filters, params=params)
	counted = frappe.db.sql(
		f"select {CUSTOMER}.`{field}`, count(*) from {CUSTOMER} where {where} group by {CUSTOMER}.`{field}`",
		params,
	)
	total = sum(count for _value, count in counted)
	rows = sorted(
		(
			frappe._dict(
				value=value,
				label=_(value) if value else _("(not set)"),
				customers=count,
				share=share(count, total),
			)
			for value, count in counted
		),
		key=lambda row: (-row.customers, row.label),
	)
	columns = [
		{"label": label, "fieldname": "label", "fieldtype": "Data", "width": 200},
		{"label": _("Customers"), "fieldname": "customers", "fieldtype": "Int", "width": 120},
		{"label": _("Share (%)"), "fieldname": "share", "fieldtype": "Percent", "width": 120},
	]
	chart = pie_chart([row.label for row in rows], [row.customers for row in rows], _("Customers"))
	with_value = sum(row.customers for row in rows if row.value)
	summary = [
		card(total, _("Customers"), "Blue"),
		card(sum(1 for row in rows if row.value), _("Values in Use"), "Green"),
		card(total - with_value, _("Customers Without a Value"), "Orange" if total - with_value else "Grey"),
	]
	return columns, rows, None, chart, summary


def customer_products(filters, params: dict) -> tuple[str, str, str]:
	"""For the product reports: (from clause, conditions, has-products condition). The from clause pairs the
	customers the statistics filters keep (`tabECRM Customer`) with their products (`pi.product`), read from
	the customers first and the product index after; the has-products condition keeps customers with at least
	one (of the product filter)."""
	where = customer_conditions(filters, params=params)
	product = ""
	if filters.get("product"):
		params["product"] = filters.product
		product = " and pi.product = %(product)s"
	source = f"{CUSTOMER} straight_join `tabECRM Product Item` pi on pi.parent = {CUSTOMER}.name and pi.parenttype = 'ECRM Customer'"
	has_products = (
		f"exists (select 1 from `tabECRM Product Item` pi where pi.parent = {CUSTOMER}.name"
		f" and pi.parenttype = 'ECRM Customer'{product})"
	)
	return source, where + product, f"{where} and {has_products}"


def card(value, label: str, indicator: str = "Blue", datatype: str = "Int") -> dict:
	"""A summary card; a Float shows one decimal (the desk would show the system's three)."""
	if datatype == "Float":
		value, datatype = f"{value or 0:,.1f}", "Data"
	return {"value": value, "label": label, "datatype": datatype, "indicator": indicator}


def pie_chart(labels: list, values: list, name: str, limit: int = 8) -> dict | None:
	"""A pie chart of the biggest `limit` slices, the rest as one "Other" slice (a pie of more slices cannot be read)."""
	if not labels:
		return None
	pairs = sorted(zip(labels, values), key=lambda pair: -pair[1])
	if len(pairs) > limit:
		pairs = pairs[: limit - 1] + [(_("Other"), sum(value for _label, value in pairs[limit - 1 :]))]
	return {
		"data": {
			"labels": [label for label, _value in pairs],
			"datasets": [{"name": name, "values": [v for _l, v in pairs]}],
		},
		"type": "pie",
		# no "fieldtype": the desk would format the legend's numbers as HTML (a right-aligned <div>),
		# and a pie's legend shows that markup as text
	}


def employee_names(employees) -> dict:
	names = [e for e in employees if e]
	if not names:
		return {}
	return {
		row.name: row
		for row in frappe.get_all(
			"ECRM Employee", filters={"name": ("in", names)}, fields=["name", "employee_name", "department"]
		)
	}


# --- indexes ---------------------------------------------------------------------------------------------


def mail_index(name: str, table: str = "tabECRM Mail") -> str:
	"""`force index (name)` for a scan of `table` when the index exists (the optimizer otherwise prefers a
	narrower index and visits every row), else nothing."""
	cache = getattr(frappe.local, "ecrm_statistics_indexes", None)
	if cache is None:
		cache = frappe.local.ecrm_statistics_indexes = {}
	if (table, name) not in cache:
		cache[(table, name)] = bool(frappe.db.has_index(table, name))
	return f"force index (`{name}`)" if cache[(table, name)] else ""
