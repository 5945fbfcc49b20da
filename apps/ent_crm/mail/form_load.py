"""Frappe's form loading without other people's personal-mailbox mail (issue 19, item 7).

The form timeline of a customer lists every Communication linked to it (`frappe.desk.form.load`), read
straight from the database: a colleague's personal-mailbox mail would show in full on a shared customer.
These wrappers (hooks.py `override_whitelisted_methods`) call Frappe's own functions and then drop the
Communications of personal mail the user may not read (`ent_crm.core.visibility.hidden_communications`).
"""

import frappe
from frappe.desk.form import load

from ent_crm.core.visibility import hidden_communications


def without_hidden(communications: list) -> list:
	hidden = hidden_communications([c.get("name") for c in communications or []])
	if not hidden:
		return communications
	return [c for c in communications if c.get("name") not in hidden]


def _filter_docinfo() -> None:
	docinfo = frappe.response.get("docinfo")
	if not docinfo:
		return
	for key in ("communications", "automated_messages"):
		if docinfo.get(key):
			docinfo[key] = without_hidden(docinfo[key])


@frappe.whitelist()
def getdoc(doctype: str, name: str, user: str | None = None):
	load.getdoc(doctype, name, user)
	_filter_docinfo()


@frappe.whitelist()
def get_docinfo(doctype: str, name: str):
	load.get_docinfo(doctype=doctype, name=name)
	_filter_docinfo()


@frappe.whitelist()
def get_communications(doctype: str, name: str, start: int = 0, limit: int = 20):
	return without_hidden(load.get_communications(doctype, name, start, limit))
