"""Who sees which contact log and customer folder (F1, F5, G3).

A salesperson reads and changes the logs they wrote and every log of the customers they own (so the
history follows the customer when ownership changes) and may log a contact only with a customer they may
see; managers and holders of ECRM All Customers see all logs; mail admins read all. The same SQL
condition serves lists, link search, reports and REST; `has_permission` applies it to one document.
"""

import frappe

from ent_crm.core.rights import reads_all_customers
from ent_crm.core.visibility import customer_has_permission, owned_customer


def _through_customer(doctype: str, user: str) -> str:
	"""Rows the user wrote or rows of a customer the user owns."""
	me = frappe.db.escape(user)
	return f"(`tab{doctype}`.`owner` = {me} or {owned_customer(f'`tab{doctype}`.`customer`', user)})"


def contact_log_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	user = user or frappe.session.user
	return "" if reads_all_customers(user) else _through_customer("ECRM Contact Log", user)


def folder_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	user = user or frappe.session.user
	return "" if reads_all_customers(user) else _through_customer("ECRM Customer Folder", user)


def folder_has_permission(doc, ptype: str | None = None, user: str | None = None, debug=False):
	return contact_log_has_permission(doc, ptype, user, debug)


def contact_log_has_permission(doc, ptype: str | None = None, user: str | None = None, debug=False):
	user = user or frappe.session.user
	if reads_all_customers(user):
		return None  # role permissions decide the rest (mail admins have read only)
	if doc.is_new() or ptype == "create":
		# a new log must be about a customer the user may see
		if not doc.get("customer"):
			return None
		customer = frappe.get_doc("ECRM Customer", doc.customer)
		return None if customer_has_permission(customer, "read", user) is None else False
	if doc.get("owner") == user:
		return None
	owned = frappe.db.exists(
		"ECRM Customer Owner", {"parenttype": "ECRM Customer", "parent": doc.customer, "user": user}
	)
	return None if owned else False
