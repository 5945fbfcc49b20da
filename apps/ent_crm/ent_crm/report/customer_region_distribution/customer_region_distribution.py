# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

"""Customer Region Distribution (I2): customers per region, one level of the region tree at a time.

Without a parent region the rows are the continents; with one, the regions directly below it (countries,
then provinces and cities), each counting the customers of its whole subtree, plus a row for customers
filed on the parent region itself. Clicking a row's region in the desk runs the report one level down.
Hidden customers are left out; a salesperson counts their own customers.
"""

import frappe
from frappe import _

from ent_crm.statistics import reports as statistics

REGION = "ECRM Region"


def execute(filters=None):
	filters = frappe._dict(filters or {})
	parent = filters.get("parent_region") or None
	params: dict = {}
	where = statistics.customer_conditions(filters, params=params, region=False)
	if parent:
		params["parent_lft"], params["parent_rgt"] = statistics.tree_bounds(REGION, parent)
		where += (
			f" and {statistics.CUSTOMER}.region in (select pr.name from `tabECRM Region` pr"
			" where pr.lft >= %(parent_lft)s and pr.rgt <= %(parent_rgt)s)"
		)
	per_region = frappe.db.sql(
		f"select {statistics.CUSTOMER}.region, count(*) from {statistics.CUSTOMER} where {where} group by {statistics.CUSTOMER}.region",
		params,
	)
	lft = (
		dict(
			frappe.get_all(
				REGION,
				filters={"name": ("in", [r for r, _c in per_region])},
				fields=["name", "lft"],
				as_list=True,
			)
		)
		if per_region
		else {}
	)
	counts = [(lft[region], count) for region, count in per_region if region in lft]
	children = frappe.get_all(
		REGION,
		filters={"parent_ecrm_region": parent or ("is", "not set")},
		fields=["name", "lft", "rgt", "region_type", "is_group"],
		order_by="lft asc",
	)
	totals = statistics.subtree_counts([(c.name, c.lft, c.rgt) for c in children], counts)
	total = sum(count for _lft, count in counts)
	rows = [
		frappe._dict(
			region=child.name,
			region_label=_(child.name),
			region_type=_(child.region_type) if child.region_type else "",
			customers=totals[child.name],
			share=statistics.share(totals[child.name], total),
			can_drill=1 if child.rgt - child.lft > 1 else 0,
		)
		for child in children
		if totals[child.name]
	]
	rows.sort(key=lambda row: (-row.customers, row.region_label))
	on_parent = total - sum(row.customers for row in rows)
	if parent and on_parent:
		rows.append(
			frappe._dict(
				region=parent,
				region_label=_("{0} (itself)").format(_(parent)),
				region_type="",
				customers=on_parent,
				share=statistics.share(on_parent, total),
				can_drill=0,
			)
		)
	chart = statistics.pie_chart(
		[row.region_label for row in rows], [row.customers for row in rows], _("Customers")
	)
	if chart:
		chart["type"] = "bar"
		chart["colors"] = ["#5e64ff"]
	summary = [
		statistics.card(total, _("Customers"), "Blue"),
		statistics.card(len(rows), _("Regions with Customers"), "Green"),
	]
	if parent:
		summary.append(
			{"value": _(parent), "label": _("Within Region"), "datatype": "Data", "indicator": "Grey"}
		)
	return columns(), rows, None, chart, summary


def columns():
	return [
		{"label": _("Region"), "fieldname": "region_label", "fieldtype": "Data", "width": 220},
		{"label": _("Region Type"), "fieldname": "region_type", "fieldtype": "Data", "width": 110},
		{"label": _("Customers"), "fieldname": "customers", "fieldtype": "Int", "width": 120},
		{"label": _("Share (%)"), "fieldname": "share", "fieldtype": "Percent", "width": 120},
		{
			"label": _("Region Code"),
			"fieldname": "region",
			"fieldtype": "Link",
			"options": REGION,
			"width": 160,
		},
	]
