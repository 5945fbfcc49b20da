"""Mailbox health (issue 11): a CRM mailbox must never go quiet without someone noticing.

Every pull of a CRM mailbox (the scheduler's, and "Receive Now", both through Email Account.receive) is
recorded in `ECRM Mailbox Health`, one row per mailbox: when it last pulled successfully and how many mails
that pull stored, or the last error in plain words (with the server's own words kept for a technician).
Mail admins and System Managers see the table on the workbench, and a warning banner when a mailbox has not
pulled successfully for longer than ECRM Settings allows, or when the site's scheduler is off (new sites
start with it off: then nothing pulls by itself). A mailbox that stays quiet also rings their bell, once per
incident (`notify_stale_mailboxes`, scheduler).

Only the stored words are English; they are translated where they are shown.
"""

import functools

import frappe
from frappe import _
from frappe.utils import add_to_date, cint, get_datetime, now_datetime

from ent_crm.core.roles import MAIL_ADMIN
from ent_crm.mail.errors import (  # noqa: F401 (the words belong to this module's interface)
	AUTH_FAILED,
	CONNECTION_REFUSED,
	DETAIL_LENGTH,
	INVALID_SEARCH,
	NO_FOLDER,
	PULL_STOPPED,
	SSL_FAILED,
	TIMEOUT,
	UNKNOWN,
	UNKNOWN_HOST,
	UNREACHABLE,
	error_text,
	plain_words,
)

HEALTH = "ECRM Mailbox Health"
MAIL = "ECRM Mail"
FAILURE = "ECRM Mail Failure"
DEFAULT_STALE_MINUTES = 60


# --- recording -------------------------------------------------------------------------------------------


def recorded_pull(receive):
	"""Decorator of Email Account.receive: a CRM mailbox's pull is recorded, as a success with what it
	stored, or as an error (then re-raised, so the job still fails as before)."""

	@functools.wraps(receive)
	def wrapper(account, *args, **kwargs):
		if not (account.get("ecrm_mailbox_kind") and account.get("enable_incoming")):
			return receive(account, *args, **kwargs)
		account.flags.ecrm_stored = account.flags.ecrm_failed = 0  # counted by ent_crm.mail.inbound
		account.flags.ecrm_pull_skipped = account.flags.ecrm_pull_stopped = None
		account.flags.ecrm_folder_problems = None
		try:
			result = receive(account, *args, **kwargs)
		except Exception as error:
			frappe.db.rollback()  # the mail stored before the error is committed, one at a time
			record_pull_error(account.name, error, account_doc=account)
			raise
		if account.flags.get("ecrm_pull_skipped"):
			return result  # another pull of the mailbox was running: it records what it did
		stopped = account.flags.get("ecrm_pull_stopped")
		if account.flags.get("ecrm_folder_problems") and stopped:  # a folder the server would not open
			record_pull_error(account.name, stopped, words=NO_FOLDER)
			return result
		if stopped:  # a mail could not even be kept in the failure queue: the pull stopped before it
			record_pull_error(account.name, stopped, words=PULL_STOPPED)
			return result
		record_pull_success(account.name, account.flags.ecrm_stored, account.flags.ecrm_failed)
		return result

	return wrapper


def record_pull_success(account: str, stored_count: int = 0, failed_count: int = 0) -> None:
	"""A pull that reached the server and read the mailbox up to date; the incident (if any) is over."""
	now = now_datetime()
	save(
		account,
		{
			"last_pull_at": now,
			"last_success_at": now,
			"last_stored": cint(stored_count),
			"last_failed": cint(failed_count),
			"last_error": None,
			"failing_since": None,
			"warned_at": None,
		},
	)


def record_pull_error(account: str, error, account_doc=None, words: str | None = None) -> str:
	"""A pull that failed: the error in plain words (returned) and its own words as detail. With the
	Email Account document, an error not recognised asks the server once more for the real cause: Frappe
	swallows a failed connection and the pull then fails on a later command."""
	words = words or plain_words(error)
	detail = error_text(error)
	if words == UNKNOWN:
		cause = connection_error(account_doc) if account_doc is not None else None
		if cause and plain_words(cause) != UNKNOWN:
			words, detail = plain_words(cause), f"{error_text(cause)}\n{detail}"[:DETAIL_LENGTH]
	now = now_datetime()
	failing_since = (
		frappe.db.get_value(HEALTH, account, "failing_since") if frappe.db.exists(HEALTH, account) else None
	)
	save(
		account,
		{
			"last_pull_at": now,
			"last_error": words,
			"last_error_at": now,
			"error_detail": detail,
			"failing_since": failing_since or now,
		},
	)
	return words


def connection_error(account) -> Exception | None:
	"""The error a fresh login to the mailbox's server gives now (None when the login works)."""
	messages = len(frappe.local.message_log or [])
	try:
		account.get_incoming_server(in_receive=False)  # logs in and out again; raises what the server said
		return None
	except Exception as error:
		return error
	finally:
		del frappe.local.message_log[messages:]  # "Invalid Mail Server" pop-ups of the probe


def save(account: str, values: dict) -> None:
	"""Write the mailbox's row (made on its first pull) and commit: the record must outlive the job."""
	if frappe.db.exists(HEALTH, account):
		frappe.db.set_value(HEALTH, account, values, update_modified=True)
	else:
		try:
			frappe.get_doc({"doctype": HEALTH, "email_account": account, **values}).insert(
				ignore_permissions=True
			)
		except frappe.DuplicateEntryError:  # a second pull of the same mailbox got there first
			frappe.db.set_value(HEALTH, account, values)
	frappe.db.commit()  # nosemgrep: the pull commits mail by mail; its record goes with it


def forget_mailbox(doc, method=None) -> None:
	"""doc_event Email Account on_trash: its health record goes with it."""
	frappe.db.delete(HEALTH, {"email_account": doc.name})


# --- reading ---------------------------------------------------------------------------------------------


def can_see_health(user: str | None = None) -> bool:
	user = user or frappe.session.user
	return user == "Administrator" or bool({MAIL_ADMIN, "System Manager"} & set(frappe.get_roles(user)))


def require_health_viewer() -> None:
	if not can_see_health():
		frappe.throw(
			_("Only mail admins and System Managers can see the health of the mailboxes."),
			frappe.PermissionError,
		)


def stale_minutes() -> int:
	"""ECRM Settings' limit; the default until someone saves it (a single's Int reads 0 when never set)."""
	value = frappe.db.get_value(
		"Singles", {"doctype": "ECRM Settings", "field": "mailbox_stale_minutes"}, "value", order_by=None
	)
	return DEFAULT_STALE_MINUTES if value in (None, "") else cint(value)


def scheduler_off() -> bool:
	from frappe.utils.scheduler import is_scheduler_inactive

	return bool(is_scheduler_inactive(verbose=False))


def crm_mailboxes() -> list[frappe._dict]:
	rows = frappe.db.sql(
		"""select a.name, a.email_id, a.ecrm_mailbox_kind as kind, a.ecrm_employee as employee,
			a.enable_incoming, a.awaiting_password, a.creation,
			h.last_pull_at, h.last_success_at, h.last_stored, h.last_failed, h.last_error, h.last_error_at,
			h.failing_since, h.warned_at, h.error_detail
		from `tabEmail Account` a left join `tabECRM Mailbox Health` h on h.email_account = a.name
		where ifnull(a.ecrm_mailbox_kind, '') != '' order by a.ecrm_mailbox_kind desc, a.name""",
		as_dict=True,
	)
	return rows


def mailbox_warning(row: frappe._dict, minutes: int, now=None) -> str | None:
	"""Why this mailbox needs a person's attention (translated), or None."""
	now = get_datetime(now or now_datetime())
	if not row.enable_incoming:
		if row.last_error_at and (
			not row.last_success_at or get_datetime(row.last_error_at) > get_datetime(row.last_success_at)
		):
			return _("{0} no longer receives mail: receiving was switched off after errors.").format(row.name)
		return None
	if row.awaiting_password:
		return _("{0} waits for its password: no mail is pulled until it is entered again.").format(row.name)
	if not minutes:
		return None
	success = get_datetime(row.last_success_at) if row.last_success_at else None
	if success and success < get_datetime(row.creation):
		success = None  # the record of an earlier mailbox of the same name
	since = success or get_datetime(row.creation)
	if since > add_to_date(now, minutes=-minutes):
		return None
	if success:
		return _("{0} has not pulled mail successfully for {1} minutes (since {2}).").format(
			row.name, int((now - since).total_seconds() // 60), frappe.utils.format_datetime(since)
		)
	return _("{0} has not pulled mail successfully yet.").format(row.name)


def warnings(rows: list | None = None) -> list[str]:
	"""The banner's lines: the scheduler first, then each mailbox that needs attention."""
	out = []
	if scheduler_off():
		out.append(
			_(
				"The site's scheduler is off, so no mailbox pulls mail by itself (mail only comes with Receive Now). A System Manager turns it on with: bench --site {0} enable-scheduler"
			).format(frappe.local.site)
		)
	minutes = stale_minutes()
	for row in rows if rows is not None else crm_mailboxes():
		warning = mailbox_warning(row, minutes)
		if warning and row.last_error and row.failing_since:
			warning = " ".join((warning, _("Last error: {0}").format(_(row.last_error))))
		if warning:
			out.append(warning)
	return out


def stored_counts(accounts: list[str]) -> dict[str, frappe._dict]:
	"""account -> {total, last_24h}: inbound mail stored from each mailbox."""
	if not accounts:
		return {}
	rows = frappe.db.sql(
		"""select email_account, count(*) as total, sum(creation >= %(since)s) as last_24h
		from `tabECRM Mail` where email_account in %(accounts)s and direction = 'Inbound'
		group by email_account""",
		{"accounts": accounts, "since": add_to_date(now_datetime(), hours=-24)},
		as_dict=True,
	)
	return {r.email_account: frappe._dict(total=cint(r.total), last_24h=cint(r.last_24h)) for r in rows}


def mailbox_health() -> dict:
	"""Every CRM mailbox with its last successful pull, what it stored, its last error in plain words and
	a warning where one is due; and whether the scheduler runs."""
	rows = crm_mailboxes()
	minutes = stale_minutes()
	counts = stored_counts([r.name for r in rows])
	mailboxes = []
	for row in rows:
		count = counts.get(row.name) or frappe._dict(total=0, last_24h=0)
		warning = mailbox_warning(row, minutes)
		mailboxes.append(
			{
				"name": row.name,
				"email_id": row.email_id,
				"kind": row.kind,
				"kind_label": _(row.kind),
				"employee": row.employee,
				"receiving": cint(row.enable_incoming),
				"last_pull_at": row.last_pull_at,
				"last_success_at": row.last_success_at,
				"last_stored": cint(row.last_stored),
				"last_failed": cint(row.last_failed),
				"total": count.total,
				"last_24h": count.last_24h,
				"last_error": _(row.last_error) if row.last_error else None,
				"last_error_at": row.last_error_at,
				"error_detail": row.error_detail if row.last_error else None,
				"warning": warning,
				"status": "Warning" if warning else ("OK" if row.enable_incoming else "Off"),
			}
		)
	off = scheduler_off()
	banner = warnings(rows)
	return {"scheduler_off": off, "stale_minutes": minutes, "mailboxes": mailboxes, "warnings": banner}


def get_mailbox_health() -> dict:
	"""The health panel (mail admins and System Managers)."""
	require_health_viewer()
	return mailbox_health()


# --- the bell, once per incident (scheduler) --------------------------------------------------------------


def people_to_warn() -> list[str]:
	users = frappe.get_all(
		"Has Role",
		filters={
			"parenttype": "User",
			"role": ("in", [MAIL_ADMIN, "System Manager"]),
			"parent": ("not in", ["Administrator", "Guest"]),
		},
		pluck="parent",
		distinct=True,
	)
	if not users:
		return []
	return frappe.get_all(
		"User", filters={"name": ("in", users), "enabled": 1, "user_type": "System User"}, pluck="name"
	)


def notify_stale_mailboxes() -> int:
	"""Scheduler: a mailbox that needs attention rings the bell of mail admins and System Managers, once
	until it pulls successfully again. Returns how many mailboxes were reported."""
	minutes = stale_minutes()
	reported = 0
	for row in crm_mailboxes():
		if row.warned_at or not mailbox_warning(row, minutes):
			continue
		for user in people_to_warn():
			lang = frappe.db.get_value("User", user, "language") or None
			subject = _("Mailbox {0} needs attention: it does not receive mail.", lang=lang).format(row.name)
			detail = _(row.last_error, lang=lang) if row.last_error else ""
			frappe.get_doc(
				{
					"doctype": "Notification Log",
					"for_user": user,
					"from_user": "Administrator",
					"type": "Alert",
					"subject": subject,
					"email_content": frappe.utils.escape_html(detail or subject),
					"link": "/app/ecrm-workbench",
					"document_type": HEALTH,
				}
			).insert(ignore_permissions=True)
		save(row.name, {"warned_at": now_datetime()})
		reported += 1
	return reported
