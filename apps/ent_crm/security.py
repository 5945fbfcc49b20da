"""Login rules of the CRM: office networks and the Remote Access role (A5(2))."""

import frappe
from frappe import _

from ent_crm.setup.roles import REMOTE_ACCESS
from ent_crm.utils.network import address_allowed, parse_networks


def check_office_network(login_manager) -> None:
	"""on_login hook: refuse a login from outside the office networks unless the user may work remotely."""
	user = login_manager.user
	if user == "Administrator":
		return
	networks, _invalid = parse_networks(frappe.db.get_single_value("ECRM Settings", "office_networks"))
	if address_allowed(frappe.local.request_ip, networks) or REMOTE_ACCESS in frappe.get_roles(user):
		return
	frappe.throw(
		_("You can only log in from the office network. Ask your administrator for the role ECRM Remote Access."),
		frappe.AuthenticationError,
		title=_("Login Not Allowed Here"),
	)
