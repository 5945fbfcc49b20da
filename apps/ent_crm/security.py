"""Login rules of the CRM (on_login hooks), in the order they run:

1. office networks and the Remote Access role (A5(2));
2. machine binding (A7): Frappe's User.restrict_ip (Frappe refuses; we log it) and approved browsers
   (ent_crm.devices);
3. the cap on people online at once (A3, ent_crm.sessions_cap), last, because it holds a lock until
   the new session is written.

Every refusal is written to Frappe's Activity Log (operation Login, status Failed) once the refused
request has been rolled back, so it appears in the CRM Logs page.
"""

import frappe
from frappe import _

from ent_crm.setup.roles import REMOTE_ACCESS
from ent_crm.utils.network import address_allowed, parse_networks


def write_after_rollback(write) -> None:
	"""Run `write` right after the refused request's rollback, then commit once. (One callback for all
	writes: a commit inside Frappe's after_rollback queue would drop the callbacks still waiting.)"""
	pending = frappe.flags.ecrm_after_refusal
	if pending is None or pending[0] not in getattr(frappe.db.after_rollback, "_functions", ()):
		# none yet in this request, or a commit since has dropped the callback (a long-lived process)

		def flush():
			writes, frappe.flags.ecrm_after_refusal = pending[1:], None
			for fn in writes:
				fn()
			frappe.db.commit()  # nosemgrep: the refused request was rolled back; these rows are its record

		pending = frappe.flags.ecrm_after_refusal = [flush]
		frappe.db.after_rollback.add(flush)
	pending.append(write)


def log_refused_login(user: str, reason: str) -> None:
	"""Keep a refused login in the Activity Log (written after the refused request's rollback)."""
	subject = _("Login refused for {0}: {1}").format(user, reason)

	def write():  # Activity Log takes the request's address itself
		frappe.get_doc(
			{"doctype": "Activity Log", "user": user, "status": "Failed", "operation": "Login", "subject": subject}
		).insert(ignore_permissions=True, ignore_links=True)

	write_after_rollback(write)


def refuse(user: str, message: str, title: str | None = None) -> None:
	log_refused_login(user, message)
	frappe.throw(message, frappe.AuthenticationError, title=title or _("Login Not Allowed"))


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
		_("You can only log in from the office network. Ask your administrator for the role ECRM Remote Access."),
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
	from ent_crm.devices import check_device
	from ent_crm.sessions_cap import check_session_cap

	check_registered_address(login_manager)
	check_device(login_manager)
	check_session_cap(login_manager)
