"""Who receives an internal message (J1): the audiences and the users each one reaches.

- *Everyone* is every enabled system user (desk account).
- *Online* is every enabled system user with an active Frappe session (tabSessions, status Active) whose
  last recorded activity is within the idle time of CRM Settings (`ent_crm.admin.sessions.online_since`,
  the same definition as the "Users Online" page and the session cap: 60 minutes unless set, never
  under 15, because Frappe writes a session's `lastupdate` at login and then at most every 10 minutes).
  Logging out removes the session row at once.
- *Administrators* are the enabled system users with the role System Manager or ECRM Manager.
The sender is left out of the broadcast audiences (group, online, everyone, administrators).
"""

import json

import frappe
from frappe import _

from ent_crm.admin.sessions import online_since
from ent_crm.core.roles import ADMIN_ROLES

CHOSEN = "Chosen People"
GROUP = "Group"
ONLINE = "Everyone Online"
EVERYONE = "Everyone"
ADMINISTRATORS = "Administrators"
AUDIENCES = (CHOSEN, GROUP, ONLINE, EVERYONE, ADMINISTRATORS)


def system_users() -> list[str]:
	"""Every enabled desk account (Guest never is one)."""
	return frappe.get_all(
		"User", filters={"enabled": 1, "user_type": "System User"}, pluck="name", order_by="name"
	)


def online_users() -> list[str]:
	"""Enabled system users with an active session whose last recorded activity is recent (see module doc)."""
	sessions = frappe.qb.DocType("Sessions")
	user = frappe.qb.DocType("User")
	since = online_since()
	rows = (
		frappe.qb.from_(sessions)
		.join(user)
		.on(user.name == sessions.user)
		.select(sessions.user)
		.distinct()
		.where(
			(sessions.status == "Active")
			& (sessions.lastupdate >= since)
			& (user.enabled == 1)
			& (user.user_type == "System User")
		)
		.run(pluck=True)
	)
	return sorted(rows)


def administrators() -> list[str]:
	has_role = frappe.qb.DocType("Has Role")
	user = frappe.qb.DocType("User")
	rows = (
		frappe.qb.from_(has_role)
		.join(user)
		.on(user.name == has_role.parent)
		.select(has_role.parent)
		.distinct()
		.where(
			(has_role.parenttype == "User")
			& has_role.role.isin(ADMIN_ROLES)
			& (user.enabled == 1)
			& (user.user_type == "System User")
		)
		.run(pluck=True)
	)
	return sorted(rows)


def group_members(user_group: str) -> list[str]:
	"""Enabled system users of a Frappe User Group."""
	if not user_group or not frappe.db.exists("User Group", user_group):
		frappe.throw(_("Choose the user group to send to."))
	members = frappe.get_all("User Group Member", filters={"parent": user_group}, pluck="user")
	return [u for u in system_users() if u in set(members)]


def resolve_recipients(
	audience: str, users=None, user_group: str | None = None, sender: str | None = None
) -> list[str]:
	"""The users a message to `audience` reaches, sorted; the sender is left out of broadcasts."""
	sender = sender or frappe.session.user
	if audience == CHOSEN:
		chosen = parse_users(users)
		if not chosen:
			frappe.throw(_("Choose at least one person to send the message to."))
		allowed = set(system_users())
		unknown = [u for u in chosen if u not in allowed]
		if unknown:
			frappe.throw(_("These are not active users of the CRM: {0}").format(", ".join(unknown)))
		return sorted(set(chosen))
	if audience == GROUP:
		found = group_members(user_group)
	elif audience == ONLINE:
		found = online_users()
	elif audience == EVERYONE:
		found = system_users()
	elif audience == ADMINISTRATORS:
		found = administrators()
	else:
		frappe.throw(_("Unknown audience {0}.").format(audience))
	return sorted(set(found) - {sender})


def parse_users(users) -> list[str]:
	if not users:
		return []
	if isinstance(users, str):
		text = users.strip()
		if text.startswith("["):
			users = json.loads(text)
		else:
			users = text.replace(";", ",").replace("\n", ",").split(",")
	return [u.strip() for u in users if u and u.strip()]
