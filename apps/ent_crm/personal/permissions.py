"""Who may use personal settings: the permission hooks of ECRM Personal Settings (hooks.py) — a user
reads and writes only their own row, System Managers every row — and the check of the personal page's
callers (users with a CRM role)."""

import frappe
from frappe import _

from ent_crm.core.rights import is_crm_user

DOCTYPE = "ECRM Personal Settings"
ADMIN_ROLE = "System Manager"


def is_admin(user: str) -> bool:
	return user == "Administrator" or ADMIN_ROLE in frappe.get_roles(user)


def query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	user = user or frappe.session.user
	if is_admin(user):
		return ""
	return f"`tab{DOCTYPE}`.`user` = {frappe.db.escape(user)}"


def has_permission(doc, ptype: str | None = None, user: str | None = None, debug=False):
	user = user or frappe.session.user
	if is_admin(user):
		return None
	return None if doc.user == user else False


def check_desk_user() -> str:
	"""The personal functions belong to the CRM's modules (J3): users of the CRM only."""
	user = frappe.session.user
	if not is_crm_user(user):
		frappe.throw(_("Only users of the CRM have personal settings."), frappe.PermissionError)
	return user
