# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

"""Product Statistics (I6): for each product, how many customers deal in it (a customer with three
products counts once for each; a product is listed once per customer). Hidden customers are left out; a salesperson counts their own customers."""

import frappe
from frappe import _

from ent_crm.statistics import reports as statistics


def execute(filters=None):
	filters = frappe._dict(filters or {})
	params: dict = {}
	source, where, with_products = statistics.customer_products(filters, params)
	counted = frappe.db.sql(
		f"select pi.product, count(*) from {source} where {where} group by pi.product", params
	)
	with_products = frappe.db.sql(
		f"select count(*) from {statistics.CUSTOMER} where {with_products}", params
	)[0][0]
	customer_where = statistics.customer_conditions(filters, params=params)
	customers = frappe.db.sql(f"select count(*) from {statistics.CUSTOMER} where {customer_where}", params)[
		0
	][0]
	rows = sorted(
		(
			frappe._dict(
				product=product,
				product_label=_(product),
				customers=count,
				share=statistics.share(count, customers),
			)
			for product, count in counted
		),
		key=lambda row: (-row.customers, row.product_label),
	)
	chart = None
	if rows:
		top = rows[:15]
		chart = {
			"data": {
				"labels": [row.product_label for row in top],
				"datasets": [{"name": _("Customers"), "values": [row.customers for row in top]}],
			},
			"type": "bar",
			"fieldtype": "Int",
			"colors": ["#29cd42"],
		}
	summary = [
		statistics.card(len(rows), _("Products in Use"), "Blue"),
		statistics.card(with_products, _("Customers with Products"), "Green"),
		statistics.card(
			customers - with_products,
			_("Customers Without Products"),
			"Orange" if customers - with_products else "Grey",
		),
	]
	return columns(), rows, None, chart, summary


def columns():
	return [
		{"label": _("Product"), "fieldname": "product_label", "fieldtype": "Data", "width": 220},
		{"label": _("Customers"), "fieldname": "customers", "fieldtype": "Int", "width": 120},
		{"label": _("Share of Customers (%)"), "fieldname": "share", "fieldtype": "Percent", "width": 170},
		{
			"label": _("Product Code"),
			"fieldname": "product",
			"fieldtype": "Link",
			"options": "ECRM Product",
			"width": 160,
		},
	]
