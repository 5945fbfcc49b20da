"""The desk's API of internal messages (J1, J2): every whitelisted function of the package.

Each checks the caller first (a desk account, and for one message: its sender or a recipient), then
hands over to the module doing the work. Every desk account may use messages, not only CRM roles; each
function works on the caller's own inbox and sent messages only.
"""

import frappe

from ent_crm.messages import reading, sending
from ent_crm.messages.permissions import check_desk_user, check_read
from ent_crm.messages.recipients import CHOSEN


@frappe.whitelist(methods=["POST"])
def send_message(
	subject: str,
	body: str,
	audience: str = CHOSEN,
	recipients: str | list | None = None,
	user_group: str | None = None,
	deliver_in_system: int = 1,
	deliver_by_email: int = 0,
	request_receipt: int = 0,
	attachment: str | dict | None = None,
	deliver_by_sms: int = 0,
) -> str:
	"""Send a message (J1); returns its name. `attachment` = {"filename", "content": base64}."""
	options = dict(locals())
	check_desk_user()
	return sending.send_message(options.pop("subject"), options.pop("body"), options)


@frappe.whitelist(methods=["GET", "POST"])
def inbox(start: int = 0, page_length: int = 50, unread_only: int = 0) -> list[dict]:
	"""Messages the caller received and has not deleted, newest first."""
	check_desk_user()
	return reading.inbox(start, page_length, unread_only)


@frappe.whitelist(methods=["GET", "POST"])
def unread() -> list[dict]:
	"""Unread in-system messages of the caller (shown as pop-ups after login)."""
	check_desk_user()
	return reading.inbox(0, 20, unread_only=1)


@frappe.whitelist(methods=["GET", "POST"])
def sent(start: int = 0, page_length: int = 50) -> list[dict]:
	"""Messages the caller sent and has not deleted, with how many read and confirmed them."""
	check_desk_user()
	return reading.sent(start, page_length)


@frappe.whitelist(methods=["GET", "POST"])
def get_message(name: str) -> dict:
	"""One message for the caller; reading it as a recipient marks it read. The sender sees who read it."""
	check_read(name)
	return reading.get_message(name)


@frappe.whitelist(methods=["POST"])
def mark_read(names: str | list) -> int:
	"""Mark the caller's copies of these messages read; returns how many changed."""
	check_desk_user()
	return reading.mark_read(names)


@frappe.whitelist(methods=["POST"])
def confirm_receipt(name: str) -> str:
	"""The recipient's one click answering a receipt request; the sender is told at once."""
	check_desk_user()
	return reading.confirm_receipt(name)


@frappe.whitelist(methods=["POST"])
def delete_messages(names: str | list, box: str = "inbox") -> int:
	"""Delete messages for the caller only (J2): from their inbox or from their sent messages."""
	check_desk_user()
	return reading.delete_messages(names, box)


@frappe.whitelist(methods=["GET", "POST"])
def options() -> dict:
	"""What the message window needs: limits, audiences and how many people are online."""
	check_desk_user()
	return sending.options()
