"""Limits of an internal message: subject and body length, delivery chosen, and the one attached file
(at most 5 MB, sent as base64 or a data: URL)."""

import base64
import binascii
import json

import frappe
from frappe import _
from frappe.utils import cint, escape_html

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_LENGTH = 2000


def max_length() -> int:
	return cint(frappe.db.get_single_value("ECRM Settings", "message_max_length")) or DEFAULT_MAX_LENGTH


def validate_message(doc) -> None:
	"""Controller validation of ECRM Message (thin: called by the DocType class)."""
	doc.subject = (doc.subject or "").strip()
	doc.body = (doc.body or "").strip()
	if not doc.subject:
		frappe.throw(_("The message needs a subject."))
	if len(doc.subject) > 140:
		frappe.throw(
			_("The subject is {0} characters long; at most 140 are allowed.").format(len(doc.subject))
		)
	if not doc.body:
		frappe.throw(_("The message is empty."))
	limit = max_length()
	if len(doc.body) > limit:
		frappe.throw(
			_(
				"The message is {0} characters long; at most {1} are allowed. Shorten it or send a file."
			).format(len(doc.body), limit),
			title=_("Message Too Long"),
		)
	if not (cint(doc.deliver_in_system) or cint(doc.deliver_by_email) or cint(doc.get("deliver_by_sms"))):
		frappe.throw(_("Deliver the message in the system, by e-mail or by SMS."))
	if not doc.recipients:
		frappe.throw(_("Nobody would receive this message."), title=_("No Recipients"))


def decode_attachment(attachment) -> tuple[str, bytes] | None:
	"""{"filename", "content" (base64 or a data: URL)} -> (file name, bytes); refuses more than 5 MB."""
	if not attachment:
		return None
	if isinstance(attachment, str):
		try:
			attachment = json.loads(attachment)
		except ValueError:
			frappe.throw(_("The attached file could not be read."), title=_("Invalid Input"))
	if not isinstance(attachment, dict) or not isinstance(attachment.get("filename") or "", str):
		frappe.throw(_("The attached file could not be read."), title=_("Invalid Input"))
	filename = (attachment.get("filename") or "").strip().replace("/", "_").replace("\\", "_")
	content = attachment.get("content") or ""
	if not isinstance(content, str | bytes):
		frappe.throw(
			_("The attached file {0} could not be read.").format(escape_html(filename)),
			title=_("Invalid Input"),
		)
	if not filename:
		frappe.throw(_("The attached file has no name."))
	if isinstance(content, str):
		if content.startswith("data:") and "," in content:
			content = content.split(",", 1)[1]
		# size before decoding: 4 base64 characters carry 3 bytes
		if len(content) * 3 // 4 > MAX_ATTACHMENT_BYTES + 3:
			refuse_size(filename, len(content) * 3 // 4)
		try:
			content = base64.b64decode(content, validate=True)
		except (binascii.Error, ValueError):
			frappe.throw(_("The attached file {0} could not be read.").format(escape_html(filename)))
	if len(content) > MAX_ATTACHMENT_BYTES:
		refuse_size(filename, len(content))
	if not content:
		frappe.throw(_("The attached file {0} is empty.").format(escape_html(filename)))
	return filename, content


def refuse_size(filename: str, size: int) -> None:
	frappe.throw(
		_(
			"The file {0} is {1} MB; a message can carry at most 5 MB. Send a smaller file or share it another way."
		).format(escape_html(filename), f"{size / 1024 / 1024:.1f}"),
		title=_("File Too Large"),
	)
