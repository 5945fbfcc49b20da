"""Who may do what, read from a user's roles: the one definition of each right the app checks.

Row rules built on these (which customers, suppliers and mail a user sees) are in `core.visibility`.
"""

import frappe

from ent_crm.core.roles import ALL_CUSTOMERS, MAIL_ADMIN, MANAGER, PERSONAL_MAIL_READER, SALESPERSON

SEES_ALL_CUSTOMERS = {MANAGER, ALL_CUSTOMERS, "System Manager"}
# a user of the CRM holds one of its roles (or is a System Manager): the workbench, personal functions and
# colleagues a mail can be copied to are theirs
CRM_ROLES = frozenset(
	{MANAGER, SALESPERSON, MAIL_ADMIN, ALL_CUSTOMERS, PERSONAL_MAIL_READER, "System Manager"}
)


def is_desk_user(user: str | None = None) -> bool:
	"""A logged-in desk user (System User): whoever may use the in-house messages (J1)."""
	user = user or frappe.session.user
	return user != "Guest" and frappe.db.get_value("User", user, "user_type") == "System User"


def is_crm_user(user: str | None = None) -> bool:
	"""A user of the CRM: a desk user with one of CRM_ROLES (Administrator always)."""
	user = user or frappe.session.user
	if user == "Administrator":
		return True
	return is_desk_user(user) and bool(CRM_ROLES & set(frappe.get_roles(user)))


def sees_all_customers(user: str | None = None) -> bool:
	"""Managers, holders of ECRM All Customers and System Managers see and change every customer."""
	user = user or frappe.session.user
	return user == "Administrator" or bool(SEES_ALL_CUSTOMERS & set(frappe.get_roles(user)))


def reads_all_customers(user: str | None = None) -> bool:
	"""Those who see every customer, and mail admins, who read them all (to file mail) but change nothing."""
	user = user or frappe.session.user
	return sees_all_customers(user) or MAIL_ADMIN in frappe.get_roles(user)


def employee_of(user: str | None = None) -> str | None:
	"""The in-service ECRM Employee record of `user` (None for users who are no employee)."""
	return frappe.db.get_value("ECRM Employee", {"user": user or frappe.session.user, "status": "In Service"})


def mail_rights(user: str | None = None) -> tuple[bool, bool]:
	"""(reads all system-mailbox mail, reads all personal-mailbox mail) for `user`."""
	user = user or frappe.session.user
	roles = set(frappe.get_roles(user))
	all_system = (
		user == "Administrator" or bool({MAIL_ADMIN, "System Manager"} & roles) or sees_all_customers(user)
	)
	all_personal = user == "Administrator" or bool({PERSONAL_MAIL_READER, "System Manager"} & roles)
	return all_system, all_personal


def is_mail_admin(user: str | None = None) -> bool:
	"""Who works the unassigned queue and every system-mailbox mail: mail admins, System Managers and
	those who see every customer — the same people who read all system mail (`mail_rights`)."""
	return mail_rights(user)[0]
