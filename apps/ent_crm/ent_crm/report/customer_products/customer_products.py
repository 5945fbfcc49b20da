# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

"""Customer Products (I5, 客户经营产品明细查询): which customer deals in which product, one row per pair.

Filter by product (and the statistics filters). The list shows at most ROW_LIMIT rows, the cards and the
chart always count everything that matches. Hidden customers are left out; a salesperson sees their own
customers.
"""

import frappe
from frappe import _

from ent_crm import statistics

ROW_LIMIT = 2000


def execute(filters=None):
	filters = frappe._dict(filters or {})
	params: dict = {}
	where = statistics.customer_conditions(filters, params=params)
	if filters.get("product"):
		params["product"] = filters.product
		where += " and pi.product = %(product)s"
	join = (
		f"from `tabECRM Product Item` pi join {statistics.CUSTOMER} on {statistics.CUSTOMER}.name = pi.parent"
		f" where pi.parenttype = 'ECRM Customer' and pi.parentfield = 'products' and {where}"
	)
	per_product = frappe.db.sql(f"select pi.product, count(*) {join} group by pi.product", params)
	total = sum(count for _product, count in per_product)
	customers = frappe.db.sql(f"select count(distinct pi.parent) {join}", params)[0][0]
	rows = frappe.db.sql(
		f"""select pi.parent as customer, {statistics.CUSTOMER}.customer_name, {statistics.CUSTOMER}.region,
			{statistics.CUSTOMER}.customer_type, {statistics.CUSTOMER}.customer_level, pi.product,
			{statistics.CUSTOMER}.owner_names
		{join} order by pi.parent, pi.idx limit {ROW_LIMIT}""",
		params,
		as_dict=True,
	)
	for row in rows:
		row.product_label = _(row.product)
		row.region_label = _(row.region) if row.region else ""
		row.customer_type_label = _(row.customer_type) if row.customer_type else ""
		row.customer_level_label = _(row.customer_level) if row.customer_level else ""
	message = None
	if total > len(rows):
		message = _("Showing the first {0} of {1} rows. Narrow the filters (product, salesperson, region) to see the rest.").format(
			len(rows), total
		)
	chart = statistics.pie_chart([_(product) for product, _count in per_product], [c for _p, c in per_product], _("Customers"))
	if chart:
		chart["type"] = "bar"
		chart["colors"] = ["#29cd42"]
	summary = [
		statistics.card(customers, _("Customers"), "Blue"),
		statistics.card(len(per_product), _("Products"), "Green"),
		statistics.card(total, _("Customer Product Rows"), "Grey"),
	]
	return columns(), rows, message, chart, summary


def columns():
	return [
		{"label": _("Customer Code"), "fieldname": "customer", "fieldtype": "Link", "options": "ECRM Customer", "width": 120},
		{"label": _("Customer Name"), "fieldname": "customer_name", "fieldtype": "Data", "width": 240},
		{"label": _("Product"), "fieldname": "product_label", "fieldtype": "Data", "width": 160},
		{"label": _("Region"), "fieldname": "region_label", "fieldtype": "Data", "width": 130},
		{"label": _("Customer Type"), "fieldname": "customer_type_label", "fieldtype": "Data", "width": 120},
		{"label": _("Customer Level"), "fieldname": "customer_level_label", "fieldtype": "Data", "width": 110},
		{"label": _("Owned By"), "fieldname": "owner_names", "fieldtype": "Data", "width": 180},
	]
