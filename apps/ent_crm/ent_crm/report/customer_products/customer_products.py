# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

"""Customer Products (I5, 客户经营产品明细查询): which customer deals in which product, one row per pair.

Filter by product (and the statistics filters). The list shows at most ROW_LIMIT rows, the cards and the
chart always count everything that matches. Hidden customers are left out; a salesperson sees their own
customers.
"""

import frappe
from frappe import _

from ent_crm.statistics import reports as statistics

ROW_LIMIT = 2000


def execute(filters=None):
	filters = frappe._dict(filters or {})
	params: dict = {}
	source, where, with_products = statistics.customer_products(filters, params)
	per_product = frappe.db.sql(
		f"select pi.product, count(*) from {source} where {where} group by pi.product", params
	)
	total = sum(count for _product, count in per_product)
	customers = frappe.db.sql(f"select count(*) from {statistics.CUSTOMER} where {with_products}", params)[0][
		0
	]
	pairs = first_pairs(filters)
	details = (
		{
			c.name: c
			for c in frappe.get_all(
				"ECRM Customer",
				filters={"name": ("in", list({customer for customer, _product in pairs}))},
				fields=["name", "customer_name", "region", "customer_type", "customer_level", "owner_names"],
			)
		}
		if pairs
		else {}
	)
	rows = []
	for customer, product in pairs:
		c = details[customer]
		rows.append(
			frappe._dict(
				customer=customer,
				customer_name=c.customer_name,
				product=product,
				product_label=_(product),
				region_label=_(c.region) if c.region else "",
				customer_type_label=_(c.customer_type) if c.customer_type else "",
				customer_level_label=_(c.customer_level) if c.customer_level else "",
				owner_names=c.owner_names,
			)
		)
	message = None
	if total > len(rows):
		message = _(
			"Showing the first {0} of {1} rows. Narrow the filters (product, salesperson, region) to see the rest."
		).format(len(rows), total)
	chart = statistics.pie_chart(
		[_(product) for product, _count in per_product], [c for _p, c in per_product], _("Customers")
	)
	if chart:
		chart["type"] = "bar"
		chart["colors"] = ["#29cd42"]
	summary = [
		statistics.card(customers, _("Customers"), "Blue"),
		statistics.card(len(per_product), _("Products"), "Green"),
		statistics.card(total, _("Customer Product Rows"), "Grey"),
	]
	return columns(), rows, message, chart, summary


def first_pairs(filters) -> list[tuple[str, str]]:
	"""The first ROW_LIMIT (customer, product) pairs in customer order: customers are read in code order and
	the reading stops as soon as enough rows are found (no sort of every pair)."""
	params: dict = {}
	source, where, _with_products = statistics.customer_products(filters, params)
	source = source.replace(statistics.CUSTOMER, f"{statistics.CUSTOMER} force index (primary)", 1)
	return frappe.db.sql(
		f"select {statistics.CUSTOMER}.name, pi.product from {source} where {where}"
		f" order by {statistics.CUSTOMER}.name limit {ROW_LIMIT}",
		params,
	)


def columns():
	return [
		{
			"label": _("Customer Code"),
			"fieldname": "customer",
			"fieldtype": "Link",
			"options": "ECRM Customer",
			"width": 120,
		},
		{"label": _("Customer Name"), "fieldname": "customer_name", "fieldtype": "Data", "width": 240},
		{"label": _("Product"), "fieldname": "product_label", "fieldtype": "Data", "width": 160},
		{"label": _("Region"), "fieldname": "region_label", "fieldtype": "Data", "width": 130},
		{"label": _("Customer Type"), "fieldname": "customer_type_label", "fieldtype": "Data", "width": 120},
		{
			"label": _("Customer Level"),
			"fieldname": "customer_level_label",
			"fieldtype": "Data",
			"width": 110,
		},
		{"label": _("Owned By"), "fieldname": "owner_names", "fieldtype": "Data", "width": 180},
	]
