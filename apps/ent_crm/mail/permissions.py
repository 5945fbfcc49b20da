"""Permission hooks of the mail package (hooks.py permission_query_conditions / has_permission).

ECRM Mail: thin adapters over the mail rule in ent_crm.core.visibility, which stays there because the
follow-up, statistics and workbench packages apply the same SQL. Email Template: personal templates (E1)
are seen by their author only, company templates by everyone.
"""

import frappe

from ent_crm.core import visibility


def mail_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	return visibility.mail_query_conditions(user, doctype)


def mail_has_permission(doc, ptype: str | None = None, user: str | None = None, debug=False):
	return visibility.mail_has_permission(doc, ptype, user, debug)


def template_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""Personal templates are seen by their author only (company templates by everyone)."""
	user = user or frappe.session.user
	if user == "Administrator":
		return ""
	return f"(ifnull(`tabEmail Template`.`ecrm_personal`, 0) = 0 or `tabEmail Template`.`owner` = {frappe.db.escape(user)})"


def template_has_permission(doc, ptype: str | None = None, user: str | None = None, debug=False):
	user = user or frappe.session.user
	if user == "Administrator" or not doc.get("ecrm_personal"):
		return None
	return None if doc.owner == user else False
