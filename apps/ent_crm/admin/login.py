"""Login rules of the CRM (on_login hooks), in the order they run:

1. office networks and the Remote Access role (A5(2));
2. machine binding (A7): Frappe's User.restrict_ip (Frappe refuses; we log it) and approved browsers
   (ent_crm.admin.devices);
3. the cap on people online at once (A3, ent_crm.admin.sessions), last, because it holds a lock until
   the new session is written.

Every refusal is written to Frappe's Activity Log (operation Login, status Failed) once the refused
request has been rolled back, so it appears in the CRM Logs page.
"""

import frappe
from frappe import _

from ent_crm.admin.devices import check_device
from ent_crm.admin.refusals import refuse
from ent_crm.admin.sessions import check_session_cap
from ent_crm.core.network import address_allowed, parse_networks
from ent_crm.core.roles import REMOTE_ACCESS


def check_office_network(login_manager) -> None:
	"""on_login hook: refuse a login from outside the office networks unless the user may work remotely."""
	user = login_manager.user
	if user == "Administrator":
		return
	networks, _invalid = parse_networks(frappe.db.get_single_value("ECRM Settings", "office_networks"))
	if address_allowed(frappe.local.request_ip, networks) or REMOTE_ACCESS in frappe.get_roles(user):
		return
	refuse(
		user,
		_(
			"You can only log in from the office network. Ask your administrator for the role ECRM Remote Access."
		),
		title=_("Login Not Allowed Here"),
	)


def check_registered_address(login_manager) -> None:
	"""on_login hook (A7): the same check as Frappe's User.restrict_ip, run first so that a refusal is logged.
	Frappe runs its own check right after the on_login hooks and refuses the same logins."""
	from frappe.auth import validate_ip_address

	user = login_manager.user
	try:
		validate_ip_address(user)
	except frappe.AuthenticationError:
		frappe.clear_last_message()
		refuse(
			user,
			_("This account may only log in from its registered addresses; {0} is not one of them.").format(
				frappe.local.request_ip
			),
		)


def check_login(login_manager) -> None:
	"""on_login hook: machine binding (addresses, then browsers), then the cap on people online."""
	check_registered_address(login_manager)
	check_device(login_manager)
	check_session_cap(login_manager)
