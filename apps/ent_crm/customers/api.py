"""The desk's API of customers (G1, G3, G4, G6): every whitelisted function of the package.

Each checks the caller's rights first, then hands over to the module doing the work: possible duplicates
(duplicates), owners of customers (ownership_actions), region rules (ownership) and the handover of a
salesperson's customers (handover).
"""

import frappe
from frappe import _

from ent_crm.core.rights import sees_all_customers
from ent_crm.customers import duplicates, handover, ownership, ownership_actions


@frappe.whitelist(methods=["GET", "POST"])
def find_possible_duplicates(
	customer_name: str = "", primary_email: str = "", phone: str = "", exclude: str = ""
) -> dict:
	"""Existing customers and suppliers that may be the record being entered (G1): {"matches",
	"hidden", "truncated"}; only records the user may read are named, the others counted."""
	if not any(frappe.has_permission(doctype, "read") for doctype in duplicates.RECORDS):
		frappe.throw(_("You may not look up customers or suppliers."), frappe.PermissionError)
	return duplicates.find_possible_duplicates(customer_name, primary_email, phone, exclude)


@frappe.whitelist(methods=["POST"])
def set_owners(customers: list | str, employees: list | str, mode: str = "add") -> dict:
	"""Replace the owners of the customers by `employees`, add them, or remove them (G3)."""
	ownership_actions.check_manager()
	return ownership_actions.set_owners(customers, employees, mode)


@frappe.whitelist(methods=["POST"])
def move_customers(customers: list | str, from_employee: str, to_employee: str) -> dict:
	"""Hand the selected customers of one salesperson to another (G4)."""
	ownership_actions.check_manager()
	return ownership_actions.move_customers(customers, from_employee, to_employee)


@frappe.whitelist(methods=["GET", "POST"])
def get_rules_source(region: str) -> str | None:
	"""The region whose own rules apply to `region` (itself, or its nearest parent with rules), or None."""
	if not region or not frappe.db.exists("ECRM Region", region):
		frappe.throw(
			_("Region {0} does not exist.").format(frappe.bold(region or "-")), frappe.DoesNotExistError
		)
	frappe.has_permission("ECRM Region", "read", doc=region, throw=True)
	return ownership.effective_rules(region).source


@frappe.whitelist(methods=["POST"])
def push_down_rules(region: str) -> int:
	"""Copy a region's own rules to every region below it; returns how many regions were changed."""
	if not sees_all_customers() or not frappe.has_permission("ECRM Region", "write", doc=region):
		frappe.throw(_("Only a manager can push region rules down."), frappe.PermissionError)
	return ownership.push_down_rules(region)


@frappe.whitelist(methods=["GET"])
def count_customers(employee: str) -> int:
	"""How many customers `employee` owns, i.e. how many a handover of theirs would change (G6)."""
	handover.check_may_hand_over()
	return handover.count_customers(employee)


@frappe.whitelist(methods=["POST"])
def start_handover(name: str) -> str:
	"""Queue the handover `name` (Draft or Failed) for the background job; returns its new status (G6)."""
	handover.check_may_hand_over(name)
	return handover.start_handover(name)
