"""Fields the server decides on mail and contact logs (issue 19, item 6).

A mail's stored text, attachments, status, customer, owner and source (its Communication, mailbox, queue,
approval …) are set by the app's own code: receiving, the composer (`ent_crm.mail.outbound`), approval,
triage and the importer. Through Frappe's generic routes (frappe.client.insert / save / set_value, REST,
the desk form's savedocs) a user may not make a mail at all, and may change only its folder, within its
customer. A contact log is written by its user through those routes, but its owner and the mail it
came from stay, and it cannot be moved onto a customer or a mail the user may not read.

The app's own code writes with `ignore_permissions` (every such write in this app does, or bypasses
the controller), which the generic routes never set: that is how the two are told apart.
"""

import frappe
from frappe import _
from frappe.model import no_value_fields, table_fields
from frappe.utils import cint, cstr, flt, get_datetime

MAIL = "ECRM Mail"
CONTACT_LOG = "ECRM Contact Log"
FOLDER = "ECRM Customer Folder"
CUSTOMER = "ECRM Customer"

MAIL_USER_FIELDS = {"folder"}  # what a user may change on a mail through the generic routes


def is_server_write(doc) -> bool:
	"""Written by the app's own code (or while installing or migrating), not through a generic route."""
	flags = frappe.flags
	return bool(doc.flags.ignore_permissions or flags.in_install or flags.in_migrate or flags.in_patch)


# --- mail ---------------------------------------------------------------------------------------------


def check_mail(doc) -> None:
	"""ECRMMail.validate: a generic write may not make a mail or change what the server decides."""
	if is_server_write(doc):
		return
	if doc.is_new():
		frappe.throw(
			_("Mail is written with the mail composer, not created directly."), frappe.PermissionError
		)
	before = doc.get_doc_before_save()
	if not before:
		return
	changed = [f for f in changed_fields(doc, before) if f not in MAIL_USER_FIELDS]
	if changed:
		labels = ", ".join(_(doc.meta.get_label(f)) for f in changed)
		frappe.throw(
			_("These fields of the mail are set by the system and cannot be changed: {0}").format(
				frappe.utils.escape_html(labels)
			),
			frappe.PermissionError,
		)
	customer = doc.reference_name if doc.reference_doctype == CUSTOMER else None
	check_folder(doc, customer)


# --- contact log ----------------------------------------------------------------------------------------


def check_contact_log(doc) -> None:
	"""ECRMContactLog.validate: the log stays with its author, its mail and customers the user may read."""
	if is_server_write(doc):
		return
	before = None if doc.is_new() else doc.get_doc_before_save()
	if before and cstr(doc.owner) != cstr(before.owner):
		frappe.throw(_("The author of a contact log cannot be changed."), frappe.PermissionError)
	if before and cstr(doc.mail) != cstr(before.mail):
		frappe.throw(_("The mail a contact log was made from cannot be changed."), frappe.PermissionError)
	if doc.mail and not before and not frappe.has_permission(MAIL, "read", doc=doc.mail):
		frappe.throw(_("You cannot log a contact from a mail you cannot read."), frappe.PermissionError)
	if doc.customer and (not before or cstr(doc.customer) != cstr(before.customer)):
		if not frappe.has_permission(CUSTOMER, "read", doc=doc.customer):
			frappe.throw(
				_("You cannot log a contact with a customer you cannot see."), frappe.PermissionError
			)
	check_folder(doc, doc.customer)


# --- shared ---------------------------------------------------------------------------------------------


def check_folder(doc, customer: str | None) -> None:
	"""A mail or log goes only into a folder of its own customer."""
	if not doc.get("folder"):
		return
	before = None if doc.is_new() else doc.get_doc_before_save()
	if before and before.get("folder") == doc.folder:
		return
	if frappe.db.get_value(FOLDER, doc.folder, "customer") != customer:
		frappe.throw(
			_("{0} does not belong to the customer of this folder.").format(
				frappe.utils.escape_html(doc.get("subject") or doc.name)
			)
		)


def changed_fields(doc, before) -> list[str]:
	"""Fields (and the owner) whose value differs from the stored one, compared by field type, so that a
	form sending back what it loaded ("2026-01-02 10:00:00" for a datetime, "" for None) changes nothing."""
	changed = []
	if cstr(doc.owner) != cstr(before.owner):
		changed.append("owner")
	for df in doc.meta.fields:
		if df.fieldtype in table_fields:
			if _rows(doc.get(df.fieldname)) != _rows(before.get(df.fieldname)):
				changed.append(df.fieldname)
		elif df.fieldtype in no_value_fields:
			continue
		elif _value(df.fieldtype, doc.get(df.fieldname)) != _value(df.fieldtype, before.get(df.fieldname)):
			changed.append(df.fieldname)
	return changed


def _value(fieldtype: str, value):
	if value in (None, ""):
		return None
	if fieldtype in ("Check", "Int"):
		return cint(value)
	if fieldtype in ("Float", "Currency", "Percent"):
		return flt(value)
	if fieldtype in ("Date", "Datetime"):
		try:
			return get_datetime(value)
		except Exception:
			return cstr(value)
	return cstr(value)


def _rows(rows) -> list[tuple]:
	out = []
	for row in rows or []:
		values = row.as_dict() if hasattr(row, "as_dict") else dict(row)
		meta = frappe.get_meta(values.get("doctype")) if values.get("doctype") else None
		fields = [df.fieldname for df in meta.fields if df.fieldtype not in no_value_fields] if meta else []
		out.append(tuple(cstr(values.get(f)) for f in fields))
	return out
