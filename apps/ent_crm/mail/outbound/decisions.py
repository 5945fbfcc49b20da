"""The approver's decision on a mail waiting for approval (E5)."""

import frappe
from frappe import _

from ent_crm.mail import approval
from ent_crm.mail.outbound.mailboxes import DRAFT, REJECTED
from ent_crm.mail.outbound.sending import release


def approve(mail: str) -> str:
	"""The approver lets the mail go: it is sent now, or waits in the outbox for its scheduled time."""
	doc = approval.get_pending(mail)
	doc.db_set({"approved_by": frappe.session.user, "outbound_status": DRAFT})
	with approval.released():
		status = release(doc, approved=True)
	approval.notify(doc.owner, doc, _("Your mail was approved: {0}").format(doc.subject or ""))
	return status


def reject(mail: str, reason: str) -> str:
	"""Send the mail back to its author with the reason; they can change it and submit it again."""
	reason = approval.plain_reason(reason)
	doc = approval.get_pending(mail)
	doc.db_set({"outbound_status": REJECTED, "rejection_reason": reason, "approved_by": None})
	approval.notify(doc.owner, doc, _("Your mail was rejected: {0}").format(doc.subject or ""), reason)
	return REJECTED
