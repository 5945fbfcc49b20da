"""Who may use and read internal messages: the desk-user check and the ECRM Message permission hooks
(hooks.py). Only the sender and the recipients read a message; nobody edits it through the desk."""

import frappe
from frappe import _

from ent_crm.core.rights import is_desk_user
from ent_crm.messages.reading import MESSAGE, can_read


def check_desk_user(user: str | None = None) -> None:
	if not is_desk_user(user):
		frappe.throw(_("Only users of the CRM can use messages."), frappe.PermissionError)


def check_read(name: str) -> None:
	check_desk_user()
	if not frappe.db.exists(MESSAGE, name) or not can_read(name):
		frappe.throw(_("This message does not exist or is not yours."), frappe.PermissionError)


def query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	user = frappe.db.escape(user or frappe.session.user)
	return (
		f"((`tabECRM Message`.`sender` = {user} and `tabECRM Message`.`sender_deleted` = 0) or exists ("
		f"select 1 from `tabECRM Message Recipient` r where r.`parent` = `tabECRM Message`.`name` "
		f"and r.`parenttype` = 'ECRM Message' and r.`user` = {user} and r.`deleted` = 0))"
	)


def has_permission(doc, ptype: str | None = None, user: str | None = None, debug=False):
	"""Only the sender and the recipients read a message; nobody edits it through the desk."""
	user = user or frappe.session.user
	if user == "Administrator":
		return None
	if ptype not in ("read", "select", "print"):
		return False
	if doc.is_new():
		return False
	return None if can_read(doc.name, user) else False
