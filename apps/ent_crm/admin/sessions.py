"""Who is online and the cap on people online at once (A3: the product is licensed by concurrent users).

"Online" = a Frappe session (tabSessions) active within the settings' idle minutes. Frappe writes a
session's lastupdate at most every 10 minutes, so the idle time is never taken below 15 minutes.
Administrator is neither counted nor refused, so an administrator can always get in to end sessions.

The cap is checked at login, race-safe: a MariaDB named lock (GET_LOCK) is taken before counting and held
until Frappe has committed the new session (it commits inside Session.start, right after the on_login
hooks) or the login is rolled back; the count is a locking read, so it sees every session committed
before the lock was granted even though the request's snapshot is older.
"""

import frappe
from frappe import _
from frappe.utils import add_to_date, cint, now_datetime

from ent_crm.admin.refusals import refuse
from ent_crm.core.roles import ADMIN_ROLES

EXEMPT = ("Administrator", "Guest")
LOCK_TIMEOUT = 20  # seconds a login waits for others that are being counted


def cap() -> int:
	return cint(frappe.db.get_single_value("ECRM Settings", "max_concurrent_sessions"))


def idle_minutes() -> int:
	return max(15, cint(frappe.db.get_single_value("ECRM Settings", "online_idle_minutes")) or 60)


def online_since():
	return add_to_date(now_datetime(), minutes=-idle_minutes())


def online_users(for_update: bool = False) -> list[str]:
	"""Distinct users (not Administrator) with a session active within the idle time."""
	lock = " lock in share mode" if for_update else ""
	return frappe.db.sql_list(
		f"""select distinct user from `tabSessions`
		where status = 'Active' and lastupdate > %s and user not in %s{lock}""",
		(online_since(), EXEMPT),
	)


def lock_name() -> str:
	return f"ecrm_session_cap:{frappe.conf.db_name}"[:64]


def release_lock() -> None:
	if getattr(frappe.local, "db", None):
		frappe.db.sql("select release_lock(%s)", lock_name())


def take_lock() -> None:
	got = frappe.db.sql("select get_lock(%s, %s)", (lock_name(), LOCK_TIMEOUT))[0][0]
	if not got:
		frappe.throw(
			_("Too many people are logging in at this moment. Please try again."), frappe.AuthenticationError
		)
	frappe.db.after_commit.add(release_lock)
	frappe.db.after_rollback.add(release_lock)


def check_session_cap(login_manager) -> None:
	"""on_login (through ent_crm.admin.login.check_login), the last login check: refuse a login that would
	bring more people online than the cap in ECRM Settings."""
	user = login_manager.user
	limit = cap()
	if not limit or user in EXEMPT:
		return
	take_lock()  # released when Frappe commits the new session, or rolls the login back
	online = online_users(for_update=True)
	if user in online or len(online) < limit:
		return
	release_lock()
	refuse(
		user,
		_(
			"The licence allows {0} users online at the same time and {1} are online now. Please try again later."
		).format(limit, len(online)),
		_("Too Many Users Online"),
	)


# --- Online Users page (A3): who is online, and ending a session ---------------------------------


def check_admin() -> None:
	"""The administration pages are for system managers and CRM managers."""
	if not set(ADMIN_ROLES) & set(frappe.get_roles()):
		raise frappe.PermissionError(_("Only administrators may see who is online or end sessions."))


def session_key(sid: str) -> str:
	"""The page never sees a session id (it would let a reader take the session over), only this key."""
	import hashlib

	return hashlib.sha256(f"ecrm-session:{sid}".encode()).hexdigest()[:20]


def get_online_users() -> dict:
	"""Every session active within the idle time, newest first, with the login time and address
	(ent_crm.admin.api checks the caller first)."""
	rows = frappe.db.sql(
		"""select s.sid, s.user, s.lastupdate, s.sessiondata, u.full_name
		from `tabSessions` s left join `tabUser` u on u.name = s.user
		where s.status = 'Active' and s.lastupdate > %s and s.user != 'Guest'
		order by s.lastupdate desc""",
		(online_since(),),
		as_dict=True,
	)
	logins = last_logins({r.user for r in rows})
	sessions = []
	for row in rows:
		try:
			data = frappe.safe_eval(row.sessiondata or "{}") or {}
		except Exception:
			data = {}
		ip = data.get("session_ip")
		sessions.append(
			{
				"key": session_key(row.sid),
				"user": row.user,
				"full_name": row.full_name or row.user,
				"ip_address": ip,
				"login_time": logins.get((row.user, ip)) or logins.get((row.user, None)),
				"last_active": row.lastupdate,
				"is_current": row.sid == frappe.session.sid,
			}
		)
	people = {s["user"] for s in sessions if s["user"] not in EXEMPT}
	return {"sessions": sessions, "users_online": len(people), "cap": cap(), "idle_minutes": idle_minutes()}


def last_logins(users: set) -> dict:
	"""(user, address) -> time of the latest successful login (Frappe's Activity Log), and (user, None)."""
	if not users:
		return {}
	rows = frappe.db.sql(
		"""select user, ip_address, max(creation) as at from `tabActivity Log`
		where operation = 'Login' and status = 'Success' and user in %s group by user, ip_address""",
		(tuple(users),),
		as_dict=True,
	)
	found = {}
	for row in rows:
		found[(row.user, row.ip_address)] = row.at
		if row.at and (found.get((row.user, None)) is None or row.at > found[(row.user, None)]):
			found[(row.user, None)] = row.at
	return found


def end_session(key: str) -> str:
	"""Log a session out (Frappe writes the logout to the Activity Log). A CRM manager who is not a system
	manager cannot end a system manager's session (ent_crm.admin.api checks the caller is an
	administrator first)."""
	for sid, user in frappe.db.sql("select sid, user from `tabSessions` where user != 'Guest'"):
		if session_key(sid) != key:
			continue
		if "System Manager" in frappe.get_roles(user) and "System Manager" not in frappe.get_roles():
			raise frappe.PermissionError(_("Only a system manager may end a system manager's session."))
		from frappe.sessions import delete_session

		delete_session(sid, user=user, reason=_("Ended by {0}").format(frappe.session.user))
		return user
	frappe.throw(_("This session has already ended."))
