"""The desk's API of follow-up (F2–F5): every whitelisted function of the package.

Each checks the caller's rights first, then hands over to the module doing the work: reminders (F2, F3),
the customer search (F4), a customer's history and its folders (F5).
"""

import frappe
from frappe import _

from ent_crm.followup import folders, history, reminders
from ent_crm.followup import search as customer_search

CUSTOMER = "ECRM Customer"


# --- reminders (F2, F3) -------------------------------------------------------------------------------


@frappe.whitelist(methods=["POST"])
def postpone(todo: str, new_date: str) -> str:
	"""Move a reminder to a later day; it leaves the due list until then."""
	reminders.check_my_reminder(todo)
	return reminders.postpone(todo, new_date)


@frappe.whitelist(methods=["POST"])
def cancel(todo: str) -> None:
	"""Drop a reminder without contacting the customer."""
	reminders.check_my_reminder(todo)
	reminders.cancel(todo)


@frappe.whitelist(methods=["POST"])
def close(todo: str) -> None:
	"""Mark a reminder answered (after a mail, fax or other contact)."""
	reminders.check_my_reminder(todo)
	reminders.close(todo)


@frappe.whitelist(methods=["GET"])
def get_due(employee: str | None = None) -> dict:
	"""The F2 due list of the page: count and rows. Anybody else's list (a manager looking at one
	salesperson's) is refused unless the user sees every customer (reminders._user_for_reading)."""
	return reminders.get_due(employee)


@frappe.whitelist(methods=["GET", "POST"])
def followup_defaults() -> dict:
	"""What the contact-log form proposes (F3): the default next contact day."""
	if not frappe.has_permission("ECRM Contact Log", "create"):
		frappe.throw(_("You cannot log contacts."), frappe.PermissionError)
	return reminders.followup_defaults()


# --- the customer search (F4) -------------------------------------------------------------------------


@frappe.whitelist(methods=["POST"])
def enqueue_rebuild() -> None:
	"""Rebuild every customer's search keys in the background (System Managers only)."""
	if "System Manager" not in frappe.get_roles():
		frappe.throw(_("Only a System Manager may rebuild the customer search."), frappe.PermissionError)
	customer_search.enqueue_rebuild()


@frappe.whitelist(methods=["GET", "POST"])
def search(
	text: str = "",
	view: str = "all",
	customer_type: str = "",
	customer_level: str = "",
	customer_source: str = "",
	product: str = "",
	region: str = "",
	employee: str = "",
	start: int = 0,
	page_length: int = 50,
) -> dict:
	"""The follow-up page's customer views (F4) for the signed-in user."""
	query = dict(locals())
	if not frappe.has_permission(CUSTOMER, "read"):
		frappe.throw(_("You are not permitted to see customers."), frappe.PermissionError)
	return customer_search.search(query)


# --- a customer's history and its folders (F5) -------------------------------------------------------


@frappe.whitelist(methods=["GET"])
def get_history(
	customer: str, kinds: str | list | None = None, folder: str = "", start: int = 0, page_length: int = 50
) -> dict:
	"""The history panel of the customer form and the follow-up page (F5)."""
	frappe.has_permission(CUSTOMER, "read", customer, throw=True)
	return history.get_history(customer, kinds, folder, start, page_length)


@frappe.whitelist(methods=["GET"])
def folders_of(customer: str) -> list[dict]:
	"""The customer's folders with how much each holds (for the history filter and the move dialog)."""
	frappe.has_permission(CUSTOMER, "read", customer, throw=True)
	return folders.folders_of(customer)


@frappe.whitelist(methods=["POST"])
def create_folder(
	customer: str | None = None,
	folder_name: str | None = None,
	folder_kind: str = "Project",
	description: str = "",
) -> str:
	"""A new folder of a customer the user may read; returns its name."""
	if customer:
		frappe.has_permission(CUSTOMER, "read", customer, throw=True)
	return folders.create_folder(customer, folder_name, folder_kind, description)


@frappe.whitelist(methods=["POST"])
def move_to_folder(items: str | list | None = None, folder: str = "") -> int:
	"""Move mail (and contact logs) of one customer into one of its folders, or out of it (folder empty).
	The rights are checked item by item (read the folder, write every item) before anything moves."""
	return folders.move_to_folder(items, folder)
