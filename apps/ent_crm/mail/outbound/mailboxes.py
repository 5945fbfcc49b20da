"""Sending mail: its states, the mailboxes a user may send from, and the rights to write and to read
what a mail answers."""

import frappe
from frappe import _
from frappe.utils import escape_html

from ent_crm.personal import settings as personal

MAIL = "ECRM Mail"
CUSTOMER = "ECRM Customer"
DRAFT, PENDING, REJECTED, SCHEDULED, SENT, FAILED, CANCELLED = (
	"Draft",
	"Pending Approval",
	"Rejected",
	"Scheduled",
	"Sent",
	"Failed",
	"Cancelled",
)
QUEUED = "Queued"  # handed to Frappe's Email Queue, no server has accepted it yet
EDITABLE = (DRAFT, REJECTED, SCHEDULED, FAILED)
MODES = {
	"new": "New Mail",
	"reply": "Reply",
	"reply_all": "Reply All",
	"forward": "Forward Mail",
	"forward_attachment": "Forward as Attachment",
}


# --- mailboxes and defaults ------------------------------------------------------------------------------


def sending_mailboxes(user: str | None = None) -> list[str]:
	"""Email Accounts the user may send from: every sending account except other people's personal ones."""
	return personal.sending_mailboxes(user or frappe.session.user)


def default_mailbox(user: str | None = None) -> str | None:
	user = user or frappe.session.user
	usable = sending_mailboxes(user)
	chosen = personal.default_sending_mailbox(user)
	if chosen in usable:
		return chosen
	default = frappe.db.get_value("Email Account", {"enable_outgoing": 1, "default_outgoing": 1})
	if default in usable:
		return default
	return usable[0] if usable else None


# --- compose --------------------------------------------------------------------------------------------


def require_mail_rights() -> None:
	"""Writing mail is for those whose role may create ECRM Mail (salespeople, managers, mail admins)."""
	if not frappe.has_permission(MAIL, "create"):
		frappe.throw(_("You cannot send mail."), frappe.PermissionError)


def readable_mail(name: str):
	doc = frappe.get_doc(MAIL, name)
	if not frappe.has_permission(MAIL, "read", doc=doc):
		frappe.throw(_("You cannot read this mail."), frappe.PermissionError)
	return doc


def authored_mail(name: str, refusal: str):
	"""The caller's own outgoing mail; anybody else is refused with `refusal`."""
	doc = frappe.get_doc(MAIL, name)
	if doc.direction != "Outbound" or doc.owner != frappe.session.user:
		frappe.throw(refusal, frappe.PermissionError)
	return doc


def readable_customer(name: str):
	if not frappe.db.exists(CUSTOMER, name):
		frappe.throw(_("Customer {0} does not exist.").format(escape_html(name)), frappe.DoesNotExistError)
	doc = frappe.get_doc(CUSTOMER, name)
	if not frappe.has_permission(CUSTOMER, "read", doc=doc):
		frappe.throw(_("You cannot write to this customer: it is not yours."), frappe.PermissionError)
	return doc
