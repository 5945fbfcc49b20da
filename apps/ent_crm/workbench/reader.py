"""The workbench's mail reader (manual ch.1 §8): one mail's headers, safe HTML, plain text, attachments
and the triage actions the caller may take on it (the server checks each again)."""

import frappe
from frappe import _
from frappe.utils import escape_html

from ent_crm.core.rights import is_mail_admin
from ent_crm.mail import routing
from ent_crm.workbench.target import in_view

MAIL = "ECRM Mail"


def mail_view(target: frappe._dict, mail: str) -> dict:
	"""One mail for the reader, as the target's workbench shows it."""
	doc = frappe.get_doc(MAIL, mail)
	if not frappe.has_permission(MAIL, "read", doc=doc):
		frappe.throw(_("You cannot read this mail."), frappe.PermissionError)
	if target.inspecting and not in_view(target, mail):
		frappe.throw(
			_("This mail is not in {0}'s mail.").format(target.employee_name), frappe.PermissionError
		)
	html, text, comm = "", "", frappe._dict()
	if doc.communication:
		comm = (
			frappe.db.get_value(
				"Communication",
				doc.communication,
				["content", "recipients", "cc", "communication_date"],
				as_dict=True,
			)
			or frappe._dict()
		)
		html, text = mail_bodies(comm.content or "")
	attachments = frappe.get_all(
		"File",
		filters={
			"attached_to_doctype": ("in", ["Communication", MAIL]),
			"attached_to_name": ("in", [doc.communication or "", doc.name]),
		},
		fields=["name", "file_name", "file_url", "file_size"],
		order_by="creation asc",
	)
	return {
		"name": doc.name,
		"subject": doc.subject,
		"sender": doc.sender,
		"sender_name": doc.sender_name,
		"recipients": comm.get("recipients"),
		"cc": comm.get("cc"),
		"received_at": doc.received_at,
		"direction": doc.direction,
		"queue": doc.queue,
		"queue_label": _(doc.queue),
		"reference_doctype": doc.reference_doctype,
		"reference_name": doc.reference_name,
		"reference_title": doc.reference_title,
		"contact_name": doc.contact_name,
		"suggested_customer": doc.suggested_customer,
		"is_personal": doc.is_personal,
		"is_auto_reply": doc.is_auto_reply,
		"is_bounce": doc.is_bounce,
		"notes": doc.notes,
		"followed_by": doc.followed_by,
		"followed_at": doc.followed_at,
		"read_receipt_at": doc.get("read_receipt_at"),
		"communication": doc.communication,
		"html": html,
		"text": text,
		"attachments": attachments,
		"actions": mail_actions(doc),
	}


def mail_bodies(content: str) -> tuple[str, str]:
	"""(HTML safe to show, plain text) of a Communication's content, which is HTML or plain text."""
	from bs4 import BeautifulSoup
	from frappe.utils.html_utils import sanitize_html
	from markdownify import markdownify

	if "<" in content and ">" in content:
		soup = BeautifulSoup(content, "html.parser")
		for element in soup(["script", "noscript", "iframe", "object", "embed", "form"]):
			element.decompose()  # gone, not shown escaped
		html = sanitize_html(str(soup), always_sanitize=True)
		text = markdownify(
			html, heading_style="ATX", strip=["a", "img", "b", "strong", "i", "em", "u", "span", "font"]
		)
		return html, text.strip()
	return f'<div style="white-space: pre-wrap">{escape_html(content)}</div>', content


def mail_actions(doc) -> list[str]:
	"""The triage actions that fit the mail's queue and the caller's rights (as on the mail form)."""
	if not frappe.has_permission(MAIL, "write", doc=doc):
		return []
	admin, queue = is_mail_admin(), doc.queue
	actions = []
	if queue == routing.UNASSIGNED and admin:
		actions.append("distribute")
	if queue in (routing.UNASSIGNED, routing.STRANGER):
		actions += ["merge", "new_customer", "new_supplier"]
	if queue == routing.STRANGER:
		actions.append("forward_to_salesperson")
	if queue in (routing.UNASSIGNED, routing.KNOWN, routing.STRANGER, "Handled"):
		actions += [
			"mark_followed",
			"copy_to_colleagues",
			"trash",
			"recycle_bin",
			"block_address",
			"block_domain",
		]
	if queue in ("Trash", routing.RECYCLE_BIN):
		actions.append("restore")
		if admin:
			actions.append("delete_forever")
	if doc.communication:
		actions += ["reply", "reply_all", "forward", "forward_attachment"]
	if doc.reference_doctype == "ECRM Customer" and doc.reference_name:
		actions.append("contact_log")
	return actions
