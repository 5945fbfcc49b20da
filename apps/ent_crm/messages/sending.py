"""Sending internal messages (J1): one `ECRM Message` per sending, one `ECRM Message Recipient` row per
person. The sender may ask for a receipt, which the recipient gives with one click. One file of at most
5 MB may travel with a message, stored as a private Frappe File attached to it (readable by its sender
and recipients).

Other code sends with `send_system_message(recipients, subject, body, reference_doctype, reference_name)`.
The desk calls these through ent_crm.messages.api, which checks the caller first.
"""

import frappe
from frappe import _
from frappe.utils import cint, now_datetime

from ent_crm.messages.delivery import check_outgoing_mail, deliver, outgoing_available, sms_available
from ent_crm.messages.limits import MAX_ATTACHMENT_BYTES, decode_attachment, max_length
from ent_crm.messages.recipients import (
	AUDIENCES,
	CHOSEN,
	GROUP,
	online_users,
	resolve_recipients,
	system_users,
)
from ent_crm.messages.retention import retention_days

MESSAGE = "ECRM Message"


def send_message(subject: str, body: str, options: dict) -> str:
	"""Send a message (J1); returns its name. `options` are the sending form's choices (audience,
	recipients, user_group, deliver_in_system/by_email/by_sms, request_receipt, attachment =
	{"filename", "content": base64}), as ent_crm.messages.api.send_message takes them."""
	audience = options.get("audience") or CHOSEN
	recipients, user_group, attachment = (
		options.get("recipients"),
		options.get("user_group"),
		options.get("attachment"),
	)
	deliver_in_system = options.get("deliver_in_system", 1)
	deliver_by_email, deliver_by_sms = options.get("deliver_by_email", 0), options.get("deliver_by_sms", 0)
	request_receipt = options.get("request_receipt", 0)
	if audience not in AUDIENCES:
		frappe.throw(_("Unknown audience {0}.").format(audience))
	file = decode_attachment(attachment)  # refuse a large file before anything else
	people = resolve_recipients(audience, recipients, user_group)
	if not people:
		frappe.throw(_("Nobody would receive this message."), title=_("No Recipients"))
	if cint(deliver_by_email):
		check_outgoing_mail()
	if cint(deliver_by_sms) and not sms_available():
		frappe.throw(
			_("No SMS gateway is set up (SMS Settings), so the message cannot go by SMS."),
			title=_("SMS Not Available"),
		)
	doc = frappe.get_doc(
		{
			"doctype": MESSAGE,
			"subject": subject,
			"body": body,
			"audience": audience,
			"user_group": user_group if audience == GROUP else None,
			"deliver_in_system": cint(deliver_in_system),
			"deliver_by_email": cint(deliver_by_email),
			"deliver_by_sms": cint(deliver_by_sms),
			"request_receipt": cint(request_receipt),
			"sender": frappe.session.user,
			"sent_on": now_datetime(),
			"recipients": [{"user": u} for u in people],
		}
	)
	doc.insert(ignore_permissions=True)
	if file:
		attach_file(doc, *file)
	deliver(doc)
	return doc.name


def send_system_message(
	recipients: list[str],
	subject: str,
	body: str,
	reference_doctype: str | None = None,
	reference_name: str | None = None,
) -> str | None:
	"""A message from code (e.g. a mail distribution note), delivered in the system, from the session user.

	Disabled or non-desk users are skipped, an over-long body is shortened; returns the message name, or
	None when nobody is left to receive it. No permission check: callers decide who is told what."""
	allowed = set(system_users())
	people = sorted({u for u in recipients or [] if u in allowed})
	if not people:
		return None
	limit = max_length()
	body = (body or "").strip() or subject
	if len(body) > limit:
		body = body[: limit - 1] + "…"
	doc = frappe.get_doc(
		{
			"doctype": MESSAGE,
			"subject": (subject or "").strip()[:140] or _("Internal Message"),
			"body": body,
			"audience": CHOSEN,
			"deliver_in_system": 1,
			"deliver_by_email": 0,
			"request_receipt": 0,
			"sender": frappe.session.user,
			"sent_on": now_datetime(),
			"reference_doctype": reference_doctype,
			"reference_name": reference_name,
			"recipients": [{"user": u} for u in people],
		}
	)
	doc.insert(ignore_permissions=True)
	deliver(doc)
	return doc.name


def attach_file(doc, filename: str, content: bytes) -> None:
	file = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": filename,
			"attached_to_doctype": MESSAGE,
			"attached_to_name": doc.name,
			"attached_to_field": "attachment",
			"is_private": 1,
			"content": content,
		}
	)
	file.flags.ignore_permissions = True
	file.insert()
	doc.db_set("attachment", file.file_url, update_modified=False)


def options() -> dict:
	"""What the message window needs: limits, audiences and how many people are online."""
	return {
		"max_length": max_length(),
		"max_attachment_bytes": MAX_ATTACHMENT_BYTES,
		"online_count": len(set(online_users()) - {frappe.session.user}),
		"retention_days": retention_days(),
		"can_email": bool(outgoing_available()),
		"can_sms": sms_available(),
	}
