"""Pulling the CRM mailboxes: on demand (C3 "receive now") and on a quiet site too."""

import frappe
from frappe import _

from ent_crm.core.rights import employee_of, is_mail_admin

# Frappe runs a site's scheduled jobs only once a day when nobody has logged in for `dormant_days`
# (4 by default): a CRM's mailbox would then be read once a day. The app raises it once, on install.
DORMANT_DAYS = 3650


def crm_mailboxes_for(user: str | None = None) -> list[str]:
	"""The CRM mailboxes this user may pull: all of them for mail admins, else their personal one."""
	filters = {"ecrm_mailbox_kind": ("is", "set"), "enable_incoming": 1}
	if not is_mail_admin(user):
		employee = employee_of(user)
		if not employee:
			return []
		filters.update({"ecrm_mailbox_kind": "Personal Mailbox", "ecrm_employee": employee})
	return frappe.get_all("Email Account", filters=filters, pluck="name")


def pullable(email_account: str | None = None) -> list[str]:
	"""The mailboxes to pull: the given one, or every CRM mailbox the user may pull; refused otherwise."""
	allowed = crm_mailboxes_for()
	accounts = [email_account] if email_account else allowed
	if not accounts or any(a not in allowed for a in accounts):
		frappe.throw(_("You cannot receive mail for this mailbox."), frappe.PermissionError)
	return accounts


def receive_now(email_account: str | None = None) -> list[str]:
	"""Pull now (C3): the given mailbox, or every CRM mailbox the user may pull, in background jobs."""
	from frappe.email.doctype.email_account.email_account import pull_from_email_account

	accounts = pullable(email_account)
	for account in accounts:
		frappe.enqueue(
			pull_from_email_account,
			queue="short",
			job_id=f"pull_from_email_account|{account}",
			deduplicate=True,
			now=frappe.flags.in_test,
			email_account=account,
		)
	return accounts


def create_mailbox(address: str, kind: str | None = "System Mailbox", employee: str | None = None) -> str:
	"""An Email Account that is a CRM mailbox but does not connect anywhere yet (incoming and outgoing off):
	for the demo, tests and benchmarks, and as the first step of setting a real one up."""
	doc = frappe.get_doc(
		{
			"doctype": "Email Account",
			"email_account_name": address,
			"email_id": address,
			"enable_incoming": 0,
			"enable_outgoing": 0,
			"create_contact": 0,
			"ecrm_mailbox_kind": kind,
			"ecrm_employee": employee,
		}
	)
	return doc.insert(ignore_permissions=True).name
