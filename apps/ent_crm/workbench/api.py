"""The workbench's whitelisted methods (page ecrm-workbench, the workspace's number cards and chart): each
checks that the caller is a CRM user, then hands over to the module of its concern."""

import frappe
from frappe import _

from ent_crm.core.rights import is_crm_user
from ent_crm.workbench import cards, counts, lists, reader
from ent_crm.workbench.target import resolve_target


def _require_crm_user() -> None:
	if not is_crm_user():
		frappe.throw(_("The workbench is for the CRM's users."), frappe.PermissionError)


@frappe.whitelist(methods=["GET", "POST"])
def first_paint(employee: str | None = None, queue: str | None = None) -> dict:
	"""Whose workbench, the queues with counts and the first page of the chosen (or first pending) queue."""
	_require_crm_user()
	return lists.first_paint(resolve_target(employee), queue)


@frappe.whitelist(methods=["GET", "POST"])
def queue_counts(employee: str | None = None) -> list[dict]:
	_require_crm_user()
	return counts.queues(resolve_target(employee))


@frappe.whitelist(methods=["GET", "POST"])
def list_queue(queue: str, employee: str | None = None, start: int = 0, region: str | None = None) -> dict:
	_require_crm_user()
	return lists.get_page(resolve_target(employee), queue, start, region)


@frappe.whitelist(methods=["GET", "POST"])
def regions(employee: str | None = None) -> list[dict]:
	_require_crm_user()
	return lists.customer_regions(resolve_target(employee))


@frappe.whitelist(methods=["GET", "POST"])
def read_mail(mail: str, employee: str | None = None) -> dict:
	"""One mail for the reader, with the actions the caller may take on it."""
	_require_crm_user()
	return reader.mail_view(resolve_target(employee), mail)


@frappe.whitelist(methods=["GET", "POST"])
def pending_mail_card(filters: str | dict | list | None = None) -> dict:
	"""Number card "Pending Mail"."""
	_require_crm_user()
	return cards.pending_mail()


@frappe.whitelist(methods=["GET", "POST"])
def pending_mail_chart(**kwargs) -> dict:
	"""Dashboard chart "Pending Mail by Queue"."""
	_require_crm_user()
	return cards.pending_mail_by_queue()


@frappe.whitelist(methods=["GET", "POST"])
def reminders_due_card(filters: str | dict | list | None = None) -> dict:
	"""Number card "Reminders Due"."""
	_require_crm_user()
	return cards.reminders_due()
