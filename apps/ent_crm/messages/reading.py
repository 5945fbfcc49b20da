"""Reading internal messages (J2): inbox, sent messages, one message, read marks and receipts.

Each party deletes a message for themselves only; the message itself goes when nobody keeps it any more.
The desk calls these through ent_crm.messages.api, which checks the caller first.
"""

import frappe
from frappe import _
from frappe.utils import cint, now_datetime

from ent_crm.messages.delivery import popup_payload
from ent_crm.messages.recipients import parse_users

MESSAGE = "ECRM Message"
RECIPIENT = "ECRM Message Recipient"
RECEIPT_EVENT = "ecrm_message_receipt"


def my_row(name: str, user: str | None = None):
	user = user or frappe.session.user
	return frappe.db.get_value(
		RECIPIENT,
		{"parent": name, "parenttype": MESSAGE, "user": user, "deleted": 0},
		["name", "read_on", "receipt_on"],
		as_dict=True,
	)


def can_read(name: str, user: str | None = None) -> bool:
	user = user or frappe.session.user
	if frappe.db.get_value(MESSAGE, {"name": name, "sender": user, "sender_deleted": 0}):
		return True
	return bool(my_row(name, user))


def inbox(start: int = 0, page_length: int = 50, unread_only: int = 0) -> list[dict]:
	"""Messages the caller received and has not deleted, newest first."""
	message = frappe.qb.DocType(MESSAGE)
	row = frappe.qb.DocType(RECIPIENT)
	query = (
		frappe.qb.from_(row)
		.join(message)
		.on(message.name == row.parent)
		.select(
			message.name,
			message.subject,
			message.body,
			message.sender,
			message.sent_on,
			message.request_receipt,
			message.attachment,
			message.reference_doctype,
			message.reference_name,
			message.deliver_in_system,
			row.read_on,
			row.receipt_on,
		)
		.where((row.user == frappe.session.user) & (row.deleted == 0) & (row.parenttype == MESSAGE))
		.orderby(message.sent_on, order=frappe.qb.desc)
		.limit(min(cint(page_length) or 50, 500))
		.offset(cint(start))
	)
	if cint(unread_only):
		query = query.where(row.read_on.isnull() & (message.deliver_in_system == 1))
	rows = query.run(as_dict=True)
	for r in rows:
		r.sender_name = frappe.utils.get_fullname(r.sender)
	return rows


def sent(start: int = 0, page_length: int = 50) -> list[dict]:
	"""Messages the caller sent and has not deleted, with how many read and confirmed them."""
	rows = frappe.get_all(
		MESSAGE,
		filters={"sender": frappe.session.user, "sender_deleted": 0},
		fields=[
			"name",
			"subject",
			"body",
			"audience",
			"user_group",
			"sent_on",
			"request_receipt",
			"attachment",
			"deliver_in_system",
			"deliver_by_email",
		],
		order_by="sent_on desc",
		start=cint(start),
		page_length=min(cint(page_length) or 50, 500),
	)
	if not rows:
		return rows
	counts = frappe.db.sql(
		"""select parent, count(*), count(read_on), count(receipt_on)
		from `tabECRM Message Recipient` where parenttype=%(dt)s and parent in %(names)s group by parent""",
		{"dt": MESSAGE, "names": [r.name for r in rows]},
	)
	by_name = {c[0]: c[1:] for c in counts}
	for r in rows:
		r.recipient_count, r.read_count, r.receipt_count = by_name.get(r.name, (0, 0, 0))
	return rows


def get_message(name: str) -> dict:
	"""One message for the caller; reading it as a recipient marks it read. The sender sees who read it."""
	doc = frappe.get_doc(MESSAGE, name)
	out = popup_payload(doc)
	out.update(
		{
			"audience": doc.audience,
			"user_group": doc.user_group,
			"deliver_by_email": doc.deliver_by_email,
			"deliver_in_system": doc.deliver_in_system,
			"deliver_by_sms": doc.deliver_by_sms,
		}
	)
	mine = my_row(name)
	if mine:
		if not mine.read_on:
			mine.read_on = now_datetime()
			frappe.db.set_value(RECIPIENT, mine.name, "read_on", mine.read_on, update_modified=False)
		out["read_on"] = str(mine.read_on)
		out["receipt_on"] = str(mine.receipt_on) if mine.receipt_on else None
	if doc.sender == frappe.session.user and not doc.sender_deleted:
		out["recipients"] = [
			{
				"user": r.user,
				"full_name": r.full_name or frappe.utils.get_fullname(r.user),
				"read_on": r.read_on,
				"receipt_on": r.receipt_on,
				"emailed": r.emailed,
				"texted": r.texted,
			}
			for r in doc.recipients
		]
	return out


def mark_read(names: str | list) -> int:
	"""Mark the caller's copies of these messages read; returns how many changed."""
	changed = 0
	for name in parse_users(names):
		mine = my_row(name)
		if mine and not mine.read_on:
			frappe.db.set_value(RECIPIENT, mine.name, "read_on", now_datetime(), update_modified=False)
			changed += 1
	return changed


def confirm_receipt(name: str) -> str:
	"""The recipient's one click answering a receipt request; the sender is told at once."""
	mine = my_row(name)
	if not mine:
		frappe.throw(_("This message does not exist or is not yours."), frappe.PermissionError)
	if not frappe.db.get_value(MESSAGE, name, "request_receipt"):
		frappe.throw(_("The sender did not ask for a receipt."))
	now = now_datetime()
	if not mine.receipt_on:
		frappe.db.set_value(
			RECIPIENT, mine.name, {"receipt_on": now, "read_on": mine.read_on or now}, update_modified=False
		)
		sender, subject = frappe.db.get_value(MESSAGE, name, ["sender", "subject"])
		frappe.publish_realtime(
			RECEIPT_EVENT,
			{
				"name": name,
				"subject": subject,
				"user": frappe.session.user,
				"full_name": frappe.utils.get_fullname(frappe.session.user),
			},
			user=sender,
			after_commit=True,
		)
	return str(mine.receipt_on or now)


def delete_messages(names: str | list, box: str = "inbox") -> int:
	"""Delete messages for the caller only (J2): from their inbox or from their sent messages."""
	if box not in ("inbox", "sent"):
		frappe.throw(_("Delete from the inbox or from the sent messages."))
	user = frappe.session.user
	deleted = 0
	for name in parse_users(names):
		if box == "inbox":
			mine = my_row(name, user)
			if not mine:
				continue
			frappe.db.set_value(RECIPIENT, mine.name, "deleted", 1, update_modified=False)
		else:
			if not frappe.db.get_value(MESSAGE, {"name": name, "sender": user, "sender_deleted": 0}):
				continue
			frappe.db.set_value(MESSAGE, name, "sender_deleted", 1, update_modified=False)
		deleted += 1
		remove_if_nobody_keeps(name)
	return deleted


def remove_if_nobody_keeps(name: str) -> None:
	if frappe.db.get_value(MESSAGE, name, "sender_deleted") and not frappe.db.exists(
		RECIPIENT, {"parent": name, "parenttype": MESSAGE, "deleted": 0}
	):
		frappe.delete_doc(MESSAGE, name, ignore_permissions=True, force=True, delete_permanently=True)
