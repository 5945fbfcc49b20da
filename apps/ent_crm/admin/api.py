"""The desk's API of administration (A3, A8): every whitelisted function of the package.

Each checks that the caller is an administrator (a system manager or CRM manager) first, then hands over
to the module doing the work: the logs page (logs) and the online users page (sessions).
"""

import frappe

from ent_crm.admin import logs, sessions
from ent_crm.admin.sessions import check_admin


@frappe.whitelist(methods=["GET", "POST"])
def get_logs(
	log_type: str = "login",
	user: str | None = None,
	from_date: str | None = None,
	to_date: str | None = None,
	start: int = 0,
	page_length: int = 50,
) -> dict:
	"""One page of one kind of log (A8): {"rows": [...], "has_more": bool}."""
	check_admin()
	return logs.get_logs(log_type, user, from_date, to_date, start, page_length)


@frappe.whitelist(methods=["GET"])
def get_online_users() -> dict:
	"""Every session active within the idle time, newest first, with the login time and address (A3)."""
	check_admin()
	return sessions.get_online_users()


@frappe.whitelist(methods=["POST"])
def end_session(key: str) -> str:
	"""Log a session out; returns its user. A CRM manager who is not a system manager cannot end a system
	manager's session."""
	check_admin()
	return sessions.end_session(key)
