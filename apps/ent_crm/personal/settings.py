"""Personal options of one user (J3, C2): default sending mailbox, reminder digest by e-mail.

Stored in `ECRM Personal Settings`, one row per user named after the user. Language and signature are
Frappe's own fields on User (`language`, `email_signature`). A user reads and writes only their own row
(System Managers every row).
"""

import frappe
from frappe import _

DOCTYPE = "ECRM Personal Settings"


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


def signature_of(user: str | None = None) -> str:
	"""The user's mail signature (User.email_signature, edited on the personal page)."""
	return frappe.db.get_value("User", user or frappe.session.user, "email_signature") or ""


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
	doc = frappe.new_doc(DOCTYPE)  # with the defaults of the DocType
	doc.user = user
	return doc


def validate_settings(doc) -> None:
	if doc.default_sending_mailbox and doc.default_sending_mailbox not in sending_mailboxes(doc.user):
		frappe.throw(
			_(
				"You cannot send mail from {0}: it does not send mail, or it is someone else's personal mailbox."
			).format(doc.default_sending_mailbox)
		)


# --- C2: personal mailbox parameters checked on save ---------------------------------------------------


def check_personal_mailbox(doc, method=None) -> None:
	"""Email Account before_validate: a personal mailbox that receives or sends logs in to its servers now,
	so wrong parameters are refused with a clear message instead of failing later. Frappe's own check
	follows (it is skipped under tests; `doc.flags.ecrm_check_connection` asks for ours there too)."""
	if doc.get("ecrm_mailbox_kind") != "Personal Mailbox":
		return
	if frappe.flags.in_test and not doc.flags.ecrm_check_connection:
		return
	if (
		frappe.flags.in_install
		or frappe.flags.in_patch
		or doc.awaiting_password
		or doc.get("auth_method") == "OAuth"
	):
		return
	if not (doc.enable_incoming or doc.enable_outgoing):
		return
	if not (doc.password or (not doc.is_new() and doc.get_password(raise_exception=False))):
		frappe.throw(
			_("Enter the password of the mailbox {0}.").format(doc.email_id), title=_("Mailbox Not Checked")
		)
	check_mailbox_connection(doc)


def check_mailbox_connection(doc) -> None:
	"""Log in to the incoming (IMAP/POP3) and outgoing (SMTP) servers of an Email Account, or throw."""
	in_test = frappe.flags.in_test
	frappe.flags.in_test = False  # Frappe's connection helpers pretend to succeed under tests
	try:
		if doc.enable_incoming:
			try:
				doc.get_incoming_server()
			except Exception as e:
				frappe.clear_last_message()
				throw_connection_failed(doc, _("incoming (IMAP/POP3)"), doc.email_server, e)
		if doc.enable_outgoing:
			try:
				if not doc.smtp_server:
					frappe.throw(_("Enter the outgoing (SMTP) server."))
				doc.get_smtp_server().session
			except Exception as e:
				frappe.clear_last_message()
				throw_connection_failed(doc, _("outgoing (SMTP)"), doc.smtp_server, e)
	finally:
		frappe.flags.in_test = in_test


def throw_connection_failed(doc, which: str, server: str | None, error: Exception) -> None:
	detail = frappe.utils.strip_html(str(error) or error.__class__.__name__)[:300]
	frappe.throw(
		_(
			"Could not log in to the {0} server {1} of the mailbox {2}. Check the server, port, user name and password. The server said: {3}"
		).format(which, server or "?", doc.email_id, detail),
		title=_("Mailbox Not Saved"),
	)


# --- the personal page (J3; ent_crm.personal.api checks the caller and passes them in as `user`) -------

MAILBOX_FIELDS = (
	"email_server",
	"incoming_port",
	"use_ssl",
	"use_starttls",
	"smtp_server",
	"smtp_port",
	"use_tls",
	"use_ssl_for_outgoing",
	"login_id",
)


def get_my_settings(user: str) -> dict:
	"""Everything the personal page shows for `user`."""
	settings = settings_for(user)
	language, signature = frappe.db.get_value("User", user, ["language", "email_signature"])
	mailboxes = []
	for name in personal_mailboxes(user):
		row = frappe.db.get_value(
			"Email Account",
			name,
			["name", "email_id", "enable_incoming", "enable_outgoing", *MAILBOX_FIELDS],
			as_dict=True,
		)
		mailboxes.append(row)
	return {
		"user": user,
		"language": language,
		"email_signature": signature,
		"default_sending_mailbox": settings.default_sending_mailbox,
		"reminder_email": settings.reminder_email,
		"sending_mailboxes": sending_mailboxes(user),
		"personal_mailboxes": mailboxes,
		"has_stock_phrases": bool(frappe.db.exists("DocType", "ECRM Stock Phrase")),
	}


def save_my_settings(
	user: str,
	language: str | None = None,
	email_signature: str | None = None,
	default_sending_mailbox: str | None = None,
	reminder_email: int | None = None,
) -> dict:
	"""Save `user`'s own options: language and signature on their User, the rest in their settings."""
	if language and not frappe.db.get_value("Language", {"name": language, "enabled": 1}):
		frappe.throw(_("{0} is not an available language.").format(language))
	user_doc = frappe.get_doc("User", user)
	user_doc.language = language or None
	user_doc.email_signature = email_signature or None
	user_doc.flags.ignore_permissions = True  # their own record; only these two fields change
	user_doc.save()

	settings = settings_for(user)
	settings.default_sending_mailbox = default_sending_mailbox or None
	if reminder_email is not None:
		settings.reminder_email = frappe.utils.cint(reminder_email)
	settings.flags.ignore_permissions = True  # their own row (has_permission would say the same)
	settings.save()
	return get_my_settings(user)


def save_my_mailbox(user: str, account: str, changes: dict) -> dict:
	"""Change the parameters of `user`'s own personal mailbox (C2) to `changes` (the personal page's fields,
	ent_crm.personal.api.save_my_mailbox: the mailbox fields and `password`); the servers are logged in to
	before anything is saved, and a failure says what went wrong. Parameters left out (None) stay as they are."""
	password = changes.get("password")
	fields = {k: v for k, v in changes.items() if k in MAILBOX_FIELDS and v is not None}
	if account not in personal_mailboxes(user):
		frappe.throw(_("{0} is not your personal mailbox.").format(account), frappe.PermissionError)
	doc = frappe.get_doc("Email Account", account)
	for field in MAILBOX_FIELDS:
		if field in fields:
			value = fields[field]
			if field in ("use_ssl", "use_starttls", "use_tls", "use_ssl_for_outgoing"):
				value = frappe.utils.cint(value)
			doc.set(field, value if value not in ("",) else None)
	if "login_id" in fields:
		doc.login_id_is_different = 1 if fields.get("login_id") else 0
	if password:
		doc.password = password
		doc.awaiting_password = 0
	doc.flags.ecrm_check_connection = True
	doc.flags.ignore_permissions = True  # Email Account is admin-only; the ownership check above replaces it
	doc.save()
	return get_my_settings(user)
