"""E5 mail approval (审核): a salesperson with an approver submits mail instead of sending it.

An administrator sets the approver (a User) on the salesperson's ECRM Employee record. Their outgoing
mail waits as "Pending Approval", shared read-only with the approver, whose queue is the ECRM Mail list
filtered on that status and approver = me. The approver approves (the mail goes out, or waits for its
scheduled time) or rejects with a reason that the author sees in their notifications and on the mail.
Nobody approves their own mail.

No route may bypass this: `guard_email_queue` runs before every Email Queue row is inserted (Frappe's
Communication composer, frappe.sendmail, newsletters, our own sending) and refuses mail to outside
addresses from a user who has an approver, unless this module released it (`released()`), which it does
only for mail that was approved (or for the author without an approver). Mail to colleagues' own
accounts (Frappe's notifications) is not held.
"""

import re
from contextlib import contextmanager

import frappe
from frappe import _

MAIL = "ECRM Mail"
PENDING = "Pending Approval"
REJECTED = "Rejected"


class ApprovalRequired(frappe.ValidationError):
	pass


def approver_of(user: str | None = None) -> str | None:
	"""The approver set on the user's (in-service) employee record, if any."""
	user = user or frappe.session.user
	if user in ("Administrator", "Guest"):
		return None
	return frappe.db.get_value("ECRM Employee", {"user": user, "status": "In Service"}, "approver") or None


def needs_approval(user: str | None = None) -> bool:
	return bool(approver_of(user))


# --- the release flag: set only around sending that this app has checked --------------------------------


@contextmanager
def released():
	"""Mail queued inside this block passes the guard: callers have checked approval already."""
	depth = frappe.flags.get("ecrm_mail_released") or 0
	frappe.flags.ecrm_mail_released = depth + 1
	try:
		yield
	finally:
		frappe.flags.ecrm_mail_released = depth


def is_released() -> bool:
	return bool(frappe.flags.get("ecrm_mail_released"))


def internal_addresses(addresses: list[str]) -> set[str]:
	"""The addresses that belong to enabled system users (Frappe's own notifications go to them)."""
	if not addresses:
		return set()
	found = frappe.get_all("User", filters={"email": ("in", addresses), "enabled": 1}, pluck="email")
	return {a.lower() for a in found}


def guard_email_queue(doc, method=None) -> None:
	"""doc_event Email Queue before_insert: outgoing mail of a user with an approver needs our release."""
	if is_released():
		return
	user = frappe.session.user
	if not needs_approval(user):
		return
	recipients = [(r.recipient or "").strip().lower() for r in doc.get("recipients") or []]
	outside = [r for r in recipients if r and r not in internal_addresses(recipients)]
	if not outside:
		return
	frappe.throw(
		_(
			"Your mail to customers needs approval by {0}. Submit it for approval instead of sending it."
		).format(approver_of(user)),
		ApprovalRequired,
		title=_("Approval Required"),
	)


# --- submit, approve, reject ----------------------------------------------------------------------------


def submit(doc) -> None:
	"""Put the author's mail into their approver's queue (the caller saved it and checked its content)."""
	approver = approver_of(doc.owner)
	if not approver:
		frappe.throw(_("You have no approver; send the mail directly."))
	if approver == doc.owner:
		frappe.throw(_("You cannot approve your own mail. Ask an administrator to set another approver."))
	doc.db_set(
		{"outbound_status": PENDING, "approver": approver, "rejection_reason": None, "approved_by": None}
	)
	frappe.share.add_docshare(
		MAIL, doc.name, approver, read=1, write=0, share=0, flags={"ignore_share_permission": True}, notify=0
	)
	notify(
		approver,
		doc,
		_("Mail waiting for your approval: {0}").format(doc.subject or ""),
		_("From {0}").format(frappe.utils.get_fullname(doc.owner)),
	)


def get_pending(mail: str):
	doc = frappe.get_doc(MAIL, mail)
	if doc.direction != "Outbound" or doc.outbound_status != PENDING:
		frappe.throw(_("This mail is not waiting for approval."))
	return require_approver(doc)


def require_approver(doc):
	"""Only the approver named on a mail or mass mailing decides on it, and never on their own."""
	user = frappe.session.user
	if doc.owner == user:
		frappe.throw(_("You cannot approve your own mail."), frappe.PermissionError)
	if doc.approver != user:
		frappe.throw(_("Only the approver of this mail can approve or reject it."), frappe.PermissionError)
	return doc


def plain_reason(reason) -> str:
	"""The rejection reason as plain text: tags (script, links, images) removed, since it is stored as
	the approver typed it and shown to the author (escaped there too). Refused when nothing is left."""
	reason = reason if isinstance(reason, str) else ""
	reason = re.sub(r"<[^>]*>", "", re.sub(r"(?is)<(script|style)\b.*?</\1\s*>", "", reason)).strip()
	if not reason:
		frappe.throw(_("Give the reason for rejecting the mail, so that the author can correct it."))
	return reason


def require_reader() -> None:
	if not frappe.has_permission(MAIL, "read"):
		frappe.throw(_("You cannot read mail."), frappe.PermissionError)


def pending_for_me() -> list[dict]:
	"""The approver's queue: mail waiting for the session user's approval. Being its approver is the right
	to see it (the mail is shared with them; Frappe's lists do not add shared rows for users whose role
	may read the doctype, so this reads by the approver column)."""
	require_reader()
	return frappe.get_all(
		MAIL,
		filters={"direction": "Outbound", "outbound_status": PENDING, "approver": frappe.session.user},
		fields=["name", "subject", "owner", "recipients", "reference_title", "received_at"],
		order_by="received_at asc",
	)


def notify(user: str, doc, subject: str, text: str = "") -> None:
	frappe.get_doc(
		{
			"doctype": "Notification Log",
			"for_user": user,
			"from_user": frappe.session.user,
			"type": "Alert",
			"document_type": doc.doctype,
			"document_name": doc.name,
			"subject": frappe.utils.escape_html(subject),
			"email_content": frappe.utils.escape_html(text),
		}
	).insert(ignore_permissions=True)
