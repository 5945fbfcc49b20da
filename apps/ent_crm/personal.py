"""Personal options of one user (J3, C2): default sending mailbox, reminder digest by e-mail.

Stored in `ECRM Personal Settings`, one row per user named after the user. Language and signature are
Frappe's own fields on User (`language`, `email_signature`). A user reads and writes only their own row
(System Managers every row).
"""

import frappe
from frappe import _

DOCTYPE = "ECRM Personal Settings"
ADMIN_ROLE = "System Manager"


def default_sending_mailbox(user: str) -> str | None:
	"""The Email Account `user`'s new mail goes out from, or None (the caller uses the site's default).

	The saved choice while it can still send for this user; otherwise the user's own personal mailbox
	when they have exactly one that sends."""
	chosen = frappe.db.get_value(DOCTYPE, user, "default_sending_mailbox")
	usable = sending_mailboxes(user)
	if chosen and chosen in usable:
		return chosen
	own = [name for name in usable if name in personal_mailboxes(user)]
	return own[0] if len(own) == 1 else None


def wants_reminder_email(user: str) -> bool:
	"""Whether `user` gets the daily digest of their due follow-up reminders by e-mail (on by default)."""
	value = frappe.db.get_value(DOCTYPE, user, "reminder_email")
	return True if value is None else bool(value)


def personal_mailboxes(user: str) -> list[str]:
	"""Email Accounts marked as `user`'s personal CRM mailbox (through their ECRM Employee)."""
	employees = frappe.get_all("ECRM Employee", filters={"user": user}, pluck="name")
	if not employees:
		return []
	return frappe.get_all(
		"Email Account",
		filters={"ecrm_mailbox_kind": "Personal Mailbox", "ecrm_employee": ("in", employees)},
		pluck="name",
		order_by="name",
	)


def sending_mailboxes(user: str) -> list[str]:
	"""Email Accounts `user` may send from: every sending account except other people's personal mailboxes."""
	own = set(personal_mailboxes(user))
	rows = frappe.get_all(
		"Email Account",
		filters={"enable_outgoing": 1},
		fields=["name", "ecrm_mailbox_kind"],
		order_by="name",
	)
	return [r.name for r in rows if r.ecrm_mailbox_kind != "Personal Mailbox" or r.name in own]


def settings_for(user: str):
	"""The user's settings document, created (unsaved) with the defaults when they have none yet."""
	if frappe.db.exists(DOCTYPE, user):
		return frappe.get_doc(DOCTYPE, user)
	return frappe.get_doc({"doctype": DOCTYPE, "user": user})


def validate_settings(doc) -> None:
	if doc.default_sending_mailbox and doc.default_sending_mailbox not in sending_mailboxes(doc.user):
		frappe.throw(
			_("You cannot send mail from {0}: it does not send mail, or it is someone else's personal mailbox.").format(
				doc.default_sending_mailbox
			)
		)


def is_admin(user: str) -> bool:
	return user == "Administrator" or ADMIN_ROLE in frappe.get_roles(user)


def query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	user = user or frappe.session.user
	if is_admin(user):
		return ""
	return f"`tab{DOCTYPE}`.`user` = {frappe.db.escape(user)}"


def has_permission(doc, ptype: str | None = None, user: str | None = None, debug=False):
	user = user or frappe.session.user
	if is_admin(user):
		return True
	return doc.user == user
