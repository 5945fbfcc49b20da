"""Refusing a login and keeping the refusal on record (A3, A5, A7), shared by every login rule.

A refused request is rolled back; its record is written to Frappe's Activity Log (operation Login,
status Failed) right after that rollback, so it appears in the CRM Logs page.
"""

import frappe
from frappe import _


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
			{
				"doctype": "Activity Log",
				"user": user,
				"status": "Failed",
				"operation": "Login",
				"subject": subject,
			}
		).insert(ignore_permissions=True, ignore_links=True)

	write_after_rollback(write)


def refuse(user: str, message: str, title: str | None = None) -> None:
	log_refused_login(user, message)
	frappe.throw(message, frappe.AuthenticationError, title=title or _("Login Not Allowed"))
