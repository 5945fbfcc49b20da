"""Sending mail (E1–E4): reply, reply all, forward, forward as attachment, new mail, scheduled mail.

Every outgoing mail is first an ECRM Mail row with direction "Outbound" and a sending status (Draft,
Pending Approval, Rejected, Scheduled, Queued, Sent, Failed, Cancelled), seen by its author (assigned to their
employee record) and, for the company mailbox, by the customer's owners. `send` saves the draft and
commits it before checking the mail, so a refusal (bad address, attachment too big, unknown customer, a
template that does not render) loses nothing.

Sending goes through Frappe: a Communication (on the customer's timeline, threaded with In-Reply-To and
References from the mail answered) and Frappe's Email Queue, sent by the chosen mailbox. Scheduled mail
stays in our row until it is due (Frappe purges its queue after 30 days, and the row stays editable and
cancellable); `release_due` (scheduler, every few minutes) hands due mail to the Email Queue.

A mail handed to the Email Queue is "Queued"; it becomes "Sent" only when the mail server accepted it, or
"Failed" with the server's answer once Frappe gives up (`delivery_changed`, on every change of the queue's
delivery status; `sync_delivery` hourly as a backstop).
"""

from email.utils import formataddr

import frappe
from frappe import _
from frappe.utils import get_datetime, now_datetime

from ent_crm.core.addresses import split_line
from ent_crm.followup.reminders import schedule
from ent_crm.mail import approval, headers
from ent_crm.mail.outbound.checks import check_sendable
from ent_crm.mail.outbound.drafts import upsert_draft
from ent_crm.mail.outbound.mailboxes import (
	CANCELLED,
	CUSTOMER,
	DRAFT,
	FAILED,
	MAIL,
	MODES,
	PENDING,
	QUEUED,
	REJECTED,
	SCHEDULED,
	authored_mail,
)
from ent_crm.mail.triage import followed_by_reply


def send(values: dict) -> dict:
	"""Send the mail (or submit it for approval, or schedule it): `values` are the composer's fields
	(ent_crm.mail.api.send). Returns {name, status}."""
	if not frappe.has_permission(MAIL, "create"):
		frappe.throw(_("You cannot send mail."), frappe.PermissionError)
	doc = upsert_draft(values)
	problems = doc.flags.problems
	frappe.db.commit()  # nosemgrep: the draft survives whatever the checks below refuse
	doc = frappe.get_doc(MAIL, doc.name)
	doc.flags.problems = problems
	check_sendable(doc)
	if approval.needs_approval(frappe.session.user):
		approval.submit(doc)
		return {"name": doc.name, "status": PENDING}
	with approval.released():
		status = release(doc)
	return {"name": doc.name, "status": status}


def release(doc, approved: bool = False) -> str:
	"""Hand the (checked, approved where needed) mail on: scheduled for later, or to the Email Queue now."""
	if doc.send_after and get_datetime(doc.send_after) > now_datetime():
		doc.db_set("outbound_status", SCHEDULED)
		close_loop(doc)
		return SCHEDULED
	status = dispatch(doc)
	close_loop(doc)
	return status


def close_loop(doc) -> None:
	"""A reply accepted for sending (sent now, or scheduled; after approval where one is needed) marks the
	pending mail it answers followed, with the reply's contact purpose and next contact date: the mail
	leaves the Known/Stranger Pending queue at once. A draft marks nothing."""
	if not doc.reply_to_mail or doc.compose_mode not in (MODES["reply"], MODES["reply_all"]):
		return
	if followed_by_reply(doc.reply_to_mail, doc) and doc.outbound_status == SCHEDULED:
		schedule_next_contact(doc)  # now, not when it goes: the mail has left the pending queue


def cancel(name: str) -> str:
	"""The author takes back a scheduled, pending or draft mail; it stays as a cancelled row."""
	doc = authored_mail(name, _("Only the author can cancel this mail."))
	if doc.outbound_status not in (DRAFT, SCHEDULED, PENDING, REJECTED, FAILED):
		frappe.throw(_("This mail can no longer be cancelled: it is {0}.").format(_(doc.outbound_status)))
	doc.db_set("outbound_status", CANCELLED)
	return CANCELLED


def reopen(name: str) -> str:
	"""A scheduled or cancelled mail back to Draft, to change it (schedule it again by sending it)."""
	doc = authored_mail(name, _("Only the author can change this mail."))
	if doc.outbound_status not in (SCHEDULED, CANCELLED, REJECTED, FAILED):
		frappe.throw(_("This mail can no longer be changed: it is {0}.").format(_(doc.outbound_status)))
	doc.db_set("outbound_status", DRAFT)
	return DRAFT


def release_due(now=None, email_account: str | None = None) -> int:
	"""Scheduler: hand every scheduled mail whose time has come to the Email Queue (of one mailbox when
	given). Returns how many."""
	now = get_datetime(now) if now else now_datetime()
	filters = {"direction": "Outbound", "outbound_status": SCHEDULED, "send_after": ("<=", now)}
	if email_account:
		filters["email_account"] = email_account
	due = frappe.get_all(
		MAIL,
		filters=filters,
		pluck="name",
		order_by="send_after asc",
		limit=500,
	)
	for name in due:
		doc = frappe.get_doc(MAIL, name)
		try:
			with approval.released():
				dispatch(doc)
			frappe.db.commit()  # nosemgrep: one mail at a time, like Frappe's own queue
		except Exception:
			frappe.db.rollback()
			frappe.db.set_value(
				MAIL, name, {"outbound_status": FAILED, "send_error": frappe.get_traceback()[-1000:]}
			)
			frappe.db.commit()  # nosemgrep
	return len(due)


def thread_headers(doc) -> tuple[str | None, str | None, str | None]:
	"""(parent Communication, In-Reply-To, References) for a reply to `doc.reply_to_mail`."""
	if not doc.reply_to_mail:
		return None, None, None
	parent = frappe.db.get_value(MAIL, doc.reply_to_mail, ["communication", "dedup_key"], as_dict=True)
	comm = (
		frappe.db.get_value(
			"Communication", parent.communication, ["name", "message_id", "in_reply_to"], as_dict=True
		)
		if parent and parent.communication
		else None
	)
	message_id = (comm and comm.message_id) or (parent and headers.key_message_id(parent.dedup_key))
	if not message_id:
		return (comm and comm.name), None, None
	references = []
	if comm and comm.in_reply_to:
		earlier = frappe.db.get_value("Communication", comm.in_reply_to, "message_id")
		if earlier:
			references.append(f"<{earlier}>")
	references.append(f"<{message_id}>")
	return (comm and comm.name), f"<{message_id}>", " ".join(references)


def dispatch(doc, *, unsubscribe: bool = False) -> str:
	"""The Communication (timeline, thread) and the Email Queue row for one checked mail."""
	from frappe.email.email_body import get_message_id
	from frappe.utils import get_string_between

	account = frappe.get_cached_doc("Email Account", doc.email_account)
	sender = formataddr((doc.sender_name or account.name, account.email_id))
	parent, in_reply_to, references = thread_headers(doc)
	message_id = get_string_between("<", get_message_id(), ">")
	files = frappe.get_all(
		"File",
		filters={"attached_to_doctype": MAIL, "attached_to_name": doc.name},
		fields=["name", "file_url", "file_name", "is_private"],
	)
	comm = frappe.get_doc(
		{
			"doctype": "Communication",
			"communication_type": "Communication",
			"communication_medium": "Email",
			"sent_or_received": "Sent",
			"subject": doc.subject,
			"content": doc.content or "",
			"sender": sender,
			"sender_full_name": doc.sender_name,
			"recipients": doc.recipients,
			"cc": doc.cc,
			"bcc": doc.bcc,
			"email_account": account.name,
			"reference_doctype": MAIL,
			"reference_name": doc.name,
			"message_id": message_id,
			"in_reply_to": parent,
			"read_receipt": doc.read_receipt,
			"has_attachment": 1 if files else 0,
			"timeline_links": [{"link_doctype": doc.reference_doctype, "link_name": doc.reference_name}]
			if doc.reference_name
			else [],
		}
	)
	comm.flags.skip_add_signature = True
	comm.insert(ignore_permissions=True)
	if references:
		frappe.flags.setdefault("ecrm_references", {})[message_id] = references
	frappe.sendmail(
		recipients=split_line(doc.recipients),
		cc=split_line(doc.cc),
		bcc=split_line(doc.bcc),
		sender=sender,
		subject=doc.subject,
		content=doc.content or "",
		reference_doctype=CUSTOMER if unsubscribe else MAIL,
		reference_name=doc.reference_name if unsubscribe else doc.name,
		unsubscribe_message=_("Unsubscribe") if unsubscribe else None,
		attachments=[{"fid": f.name} for f in files],
		message_id=message_id,
		in_reply_to=in_reply_to,
		communication=comm.name,
		read_receipt=1 if doc.read_receipt else None,
		expose_recipients="header",
		delayed=True,
	)
	doc.db_set(
		{
			"outbound_status": QUEUED,
			"communication": comm.name,
			"dedup_key": message_id,
			"received_at": now_datetime(),
			"send_error": None,
		}
	)
	schedule_next_contact(doc)
	return QUEUED


def add_references(doc, method=None) -> None:
	"""doc_event Email Queue before_insert: Frappe sets In-Reply-To; we add References for threading."""
	refs = (
		(frappe.flags.get("ecrm_references") or {}).pop(doc.message_id or "", None)
		if doc.message_id
		else None
	)
	if not refs or not doc.message:
		return
	for separator in ("\r\n\r\n", "\n\n"):
		head, found, body = doc.message.partition(separator)
		if found:
			newline = separator[: len(separator) // 2]
			doc.message = f"{head}{newline}References: {refs}{separator}{body}"
			return


def schedule_next_contact(doc) -> None:
	"""A sent mail with a next contact date makes a reminder for the customer's owners (F2, H2's API)."""
	if not (doc.next_contact_date and doc.reference_doctype == CUSTOMER and doc.reference_name):
		return
	# the author chose the customer (checked when the draft was saved); the reminders go to its owners
	schedule(
		doc.reference_name, doc.next_contact_date, MAIL, doc.name, doc.subject or "", ignore_permissions=True
	)
