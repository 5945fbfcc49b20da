"""Row-level visibility of customers and suppliers (G3, A5(4)).

A salesperson sees and changes only the customers they own, and a merchandiser only their suppliers;
managers and holders of ECRM All Customers see everything. One SQL condition serves lists, link search,
reports and the REST API (`permission_query_conditions`), and `has_permission` applies the same rule to a
single document, so the two cannot drift apart.
"""

import frappe

from ent_crm.ownership import sees_all_customers


def customer_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	user = user or frappe.session.user
	if sees_all_customers(user):
		return ""
	return (
		"exists (select 1 from `tabECRM Customer Owner` o where o.parenttype = 'ECRM Customer' "
		f"and o.parent = `tabECRM Customer`.`name` and o.user = {frappe.db.escape(user)})"
	)


def customer_has_permission(doc, ptype: str | None = None, user: str | None = None, debug=False):
	user = user or frappe.session.user
	if ptype == "create" or sees_all_customers(user):
		return None
	if doc.is_new():
		return None
	owners = frappe.get_all(
		"ECRM Customer Owner",
		filters={"parenttype": "ECRM Customer", "parent": doc.name, "user": user},
		limit=1,
		pluck="name",
	)
	return None if owners else False


def supplier_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	user = user or frappe.session.user
	if sees_all_customers(user):
		return ""
	return f"`tabECRM Supplier`.`merchandiser_user` = {frappe.db.escape(user)}"


def supplier_has_permission(doc, ptype: str | None = None, user: str | None = None, debug=False):
	user = user or frappe.session.user
	if ptype == "create" or sees_all_customers(user) or doc.is_new():
		return None
	merchandiser_user = frappe.db.get_value("ECRM Supplier", doc.name, "merchandiser_user")
	return None if merchandiser_user == user else False
