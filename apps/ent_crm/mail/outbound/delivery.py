"""Following a queued mail until a server accepted it (Sent) or Frappe gave up (Failed); a mass mailing's
recipient rows follow their mail the same way (`mailing_delivery`)."""

import frappe
from frappe import _
from frappe.utils import now_datetime

from ent_crm.mail.outbound.mailboxes import FAILED, MAIL, QUEUED, SENT


def sync_delivery(days: int = 31) -> int:
	"""Scheduler (hourly), a backstop for `delivery_changed`: queued mail the server accepted becomes Sent,
	mail that Frappe's queue finally could not deliver (delivery status Error or Expired) becomes Failed with
	the server's answer, here and in its mass mailing. Returns how many changed."""
	rows = frappe.db.sql(
		"""select m.name, c.name as communication from `tabECRM Mail` m
		join `tabCommunication` c on c.name = m.communication
		where m.direction = 'Outbound' and m.outbound_status in %(open)s and m.received_at > %(since)s
		and (c.delivery_status in ('Error', 'Expired') or (m.outbound_status = %(queued)s and c.delivery_status = 'Sent'))""",
		{"open": (QUEUED, SENT), "queued": QUEUED, "since": frappe.utils.add_days(now_datetime(), -days)},
		as_dict=True,
	)
	return sum(1 for row in rows if follow_delivery(row.name, row.communication))


def delivery_changed(doc, method=None) -> None:
	"""doc_event Communication on_change: Frappe sets the delivery status of a sent mail's Communication
	each time its Email Queue row changes (Sending, Sent, Error); the CRM mail follows."""
	if doc.reference_doctype == MAIL and doc.reference_name and doc.sent_or_received == "Sent":
		follow_delivery(doc.reference_name, doc.name, doc.delivery_status)


def follow_delivery(name: str, communication: str, delivery_status: str | None = None) -> bool:
	"""Queued until every Email Queue row of the mail's Communication is Sent (a server accepted it), then
	Sent; Failed with the server's answer when Frappe gave up. While Frappe retries, the last answer is kept
	on the queued mail. Returns whether the mail changed."""
	mail = frappe.db.get_value(
		MAIL,
		name,
		["name", "owner", "subject", "outbound_status", "communication", "mass_mailing", "send_error"],
		as_dict=True,
	)
	if not mail or mail.communication != communication or mail.outbound_status not in (QUEUED, SENT, FAILED):
		return False  # an older attempt of a mail sent again, or a mail taken back
	rows = frappe.get_all(
		"Email Queue",
		filters={"communication": communication},
		fields=["status", "error"],
		order_by="modified desc",
	)
	statuses = {r.status for r in rows} or {
		delivery_status or frappe.db.get_value("Communication", communication, "delivery_status")
	}
	if statuses & {"Error", "Expired"}:
		status = FAILED
	elif statuses == {"Sent"}:
		status = SENT
	else:
		status = QUEUED
	error = None
	if status != SENT:
		error = server_answer(next((r.error for r in rows if r.error), None))
		if status == FAILED and not error:
			error = _("The mail server did not accept the mail.")
	if (status, error) == (mail.outbound_status, mail.send_error or None):
		return False
	frappe.get_doc(MAIL, name).db_set(
		{"outbound_status": status, "send_error": error}, update_modified=False, notify=True
	)
	if mail.mass_mailing:
		mailing_delivery(mail.mass_mailing, name, status, error)
	if status != mail.outbound_status:
		frappe.publish_realtime(
			"ecrm_mail_status",
			{"name": name, "subject": mail.subject, "status": status, "error": error},
			user=mail.owner,
			after_commit=True,
		)
	return True


def server_answer(error: str | None) -> str | None:
	"""The mail server's answer in a Frappe traceback: its last line (e.g. the 550 refusal)."""
	lines = (error or "").strip().splitlines()
	return lines[-1].strip()[:500] if lines else None


def mailing_delivery(mailing: str, mail: str, status: str, error: str | None) -> None:
	"""A mass mailing's recipient follows its mail: Queued (with the server's answer so far), Sent once the
	server accepted it, Failed with the server's answer; the mailing's counts follow its recipients."""
	frappe.db.set_value(
		"ECRM Mass Mailing Recipient", {"parent": mailing, "mail": mail}, {"status": status, "error": error}
	)
	recount_mailing(mailing)


def recount_mailing(mailing: str) -> dict:
	"""The mailing's sent/failed/skipped counts from its recipients' status. Returns the counts by status."""
	counts = dict(
		frappe.db.sql(
			"select status, count(*) from `tabECRM Mass Mailing Recipient` where parent = %s group by status",
			mailing,
		)
	)
	frappe.db.set_value(
		"ECRM Mass Mailing",
		mailing,
		{
			"sent": counts.get(SENT, 0),
			"failed": counts.get(FAILED, 0),
			"skipped": counts.get("Unsubscribed", 0) + counts.get("No Address", 0),
		},
		update_modified=False,
	)
	return counts
