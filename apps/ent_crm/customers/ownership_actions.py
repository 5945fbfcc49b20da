"""Changing who owns customers (G3, G4): the list's bulk actions.

Only users who see every customer (ent_crm.core.rights.sees_all_customers; ent_crm.customers.api checks
it before these run) change owners, and they need write permission on every customer named (checked
here). Customers are changed one by one with doc.save(), so validation, the Version history and the
address index run as for a form save; the whole request is one transaction, so a customer that cannot be
saved leaves all of them unchanged.
"""

import json

import frappe
from frappe import _
from frappe.utils import today

from ent_crm.core.rights import sees_all_customers
from ent_crm.customers.ownership import add_owner

CUSTOMER = "ECRM Customer"
EMPLOYEE = "ECRM Employee"
MODES = ("replace", "add", "remove")
MAX_CUSTOMERS = 1000


def set_owners(customers: list | str, employees: list | str, mode: str = "add") -> dict:
	"""Replace the owners of the customers by `employees`, add them, or remove them.

	Owners who stay keep their date assigned; newly added owners get today's date.
	Returns {"changed": n, "unchanged": m}.
	"""
	names = customer_list(customers)
	mode = (mode or "").strip().lower()
	if mode not in MODES:
		frappe.throw(
			_("Unknown mode {0}: choose replace, add or remove.").format(frappe.bold(mode or "-")),
			title=_("Invalid Input"),
		)
	wanted = name_list(employees)
	if not wanted:
		frappe.throw(_("Choose at least one salesperson."), title=_("Invalid Input"))
	if mode == "remove":
		check_employees_exist(wanted)
	else:
		check_salespeople(wanted)
	check_write(names)

	changed = 0
	for name in names:
		doc = frappe.get_doc(CUSTOMER, name)
		current = [row.employee for row in doc.owners]
		if mode == "remove":
			drop = [row for row in doc.owners if row.employee in wanted]
			new = []
		else:
			drop = [row for row in doc.owners if row.employee not in wanted] if mode == "replace" else []
			new = [e for e in wanted if e not in current]
		if not drop and not new:
			continue
		# rows of owners who stay are kept as they are (date assigned, and a clean Version diff)
		for row in drop:
			doc.remove(row)
		for employee in new:
			add_owner(doc, employee, today())
		doc.save()
		changed += 1
	return {"changed": changed, "unchanged": len(names) - changed}


def move_customers(customers: list | str, from_employee: str, to_employee: str) -> dict:
	"""Hand the selected customers of one salesperson (A) to another (B).

	Only customers A owns are touched: B takes A's place (from today); where B owns the customer already,
	A is just dropped. Returns {"moved": n, "skipped": m} (skipped: customers A does not own).
	"""
	names = customer_list(customers)
	from_employee, to_employee = (from_employee or "").strip(), (to_employee or "").strip()
	if not from_employee or not to_employee:
		frappe.throw(
			_("Choose the salesperson to move from and the one to move to."), title=_("Invalid Input")
		)
	if from_employee == to_employee:
		frappe.throw(_("Choose two different salespeople."), title=_("Invalid Input"))
	# A may have left the company (the hand-over case); B must be able to take the customers on.
	check_employees_exist([from_employee])
	check_salespeople([to_employee])

	owned = set(
		frappe.get_all(
			"ECRM Customer Owner",
			filters={"parenttype": CUSTOMER, "parent": ("in", names), "employee": from_employee},
			pluck="parent",
		)
	)
	to_move = [name for name in names if name in owned]
	check_write(to_move)

	for name in to_move:
		doc = frappe.get_doc(CUSTOMER, name)
		row = next(row for row in doc.owners if row.employee == from_employee)
		if any(other.employee == to_employee for other in doc.owners):
			doc.remove(row)
		else:
			# B takes A's row: the Version history shows the owner changing from A to B
			row.update({"employee": to_employee, "assigned_on": today(), "user": None, "employee_name": None})
		doc.save()
	return {"moved": len(to_move), "skipped": len(names) - len(to_move)}


# --- helpers ---------------------------------------------------------------------------------------


def check_manager() -> None:
	if not sees_all_customers():
		frappe.throw(
			_("Only managers and users with the role ECRM All Customers may change the owners of customers."),
			frappe.PermissionError,
			title=_("Not Permitted"),
		)


def name_list(value) -> list[str]:
	"""A list of names from a list, a JSON list or a single name; stripped, without blanks or repeats."""
	if isinstance(value, str):
		text = value.strip()
		if text.startswith("["):
			try:
				value = json.loads(text)
			except ValueError:
				frappe.throw(_("The list of names could not be read."), title=_("Invalid Input"))
		else:
			value = [text]
	if not isinstance(value, list | tuple):
		frappe.throw(_("The list of names could not be read."), title=_("Invalid Input"))
	names = []
	for item in value:
		if not isinstance(item, str):
			frappe.throw(_("The list of names could not be read."), title=_("Invalid Input"))
		item = item.strip()
		if item and item not in names:
			names.append(item)
	return names


def customer_list(value) -> list[str]:
	names = name_list(value)
	if not names:
		frappe.throw(_("Select at least one customer."), title=_("Invalid Input"))
	if len(names) > MAX_CUSTOMERS:
		frappe.throw(
			_("Select at most {0} customers at a time; {1} were selected.").format(MAX_CUSTOMERS, len(names)),
			title=_("Too Many Customers"),
		)
	existing = set(frappe.get_all(CUSTOMER, filters={"name": ("in", names)}, pluck="name"))
	missing = [n for n in names if n not in existing]
	if missing:
		frappe.throw(
			_("These customers do not exist: {0}").format(", ".join(missing[:20])),
			frappe.DoesNotExistError,
			title=_("Customer Not Found"),
		)
	return names


def check_write(names: list[str]) -> None:
	"""Refuse before anything changes if any customer may not be written by the user."""
	refused = [n for n in names if not frappe.has_permission(CUSTOMER, "write", doc=n)]
	if refused:
		frappe.throw(
			_("You may not change these customers: {0}").format(", ".join(refused[:20])),
			frappe.PermissionError,
			title=_("Not Permitted"),
		)


def employees_by_name(names: list[str]) -> dict:
	return {
		e.name: e
		for e in frappe.get_all(
			EMPLOYEE,
			filters={"name": ("in", names)},
			fields=["name", "employee_name", "status", "is_salesperson"],
		)
	}


def check_employees_exist(names: list[str]) -> dict:
	found = employees_by_name(names)
	missing = [n for n in names if n not in found]
	if missing:
		frappe.throw(
			_("These employees do not exist: {0}").format(", ".join(missing)),
			frappe.DoesNotExistError,
			title=_("Employee Not Found"),
		)
	return found


def check_salespeople(names: list[str]) -> None:
	"""Every name must be an in-service employee flagged as salesperson."""
	found = check_employees_exist(names)
	for name in names:
		employee = found[name]
		label = f"{employee.employee_name} ({name})"
		if employee.status != "In Service":
			frappe.throw(
				_("{0} has left the company and cannot own customers.").format(label),
				title=_("Not a Salesperson"),
			)
		if not employee.is_salesperson:
			frappe.throw(
				_("{0} is not a salesperson; only salespeople can own customers.").format(label),
				title=_("Not a Salesperson"),
			)
