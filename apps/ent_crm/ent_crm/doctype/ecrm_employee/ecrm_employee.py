# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import today

from ent_crm.core.codes import is_valid_employee_code, next_employee_code


class ECRMEmployee(Document):
	"""A member of staff (B2), named by their four-digit employee number."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		approver: DF.Link | None
		date_left: DF.Date | None
		department: DF.Link
		email: DF.Data | None
		employee_code: DF.Data | None
		employee_name: DF.Data
		is_document_clerk: DF.Check
		is_merchandiser: DF.Check
		is_salesperson: DF.Check
		mobile_no: DF.Data | None
		status: DF.Literal["In Service", "Left Company"]
		user: DF.Link
	# end: auto-generated types

	def autoname(self):
		if not self.employee_code:
			self.employee_code = next_free_employee_code()
		self.name = self.employee_code

	def validate(self):
		self.validate_employee_code()
		self.validate_user()
		self.set_date_left()

	def on_update(self):
		if self.has_value_changed("status"):
			update_user_enabled(self)

	def validate_employee_code(self):
		if not is_valid_employee_code(self.employee_code):
			frappe.throw(
				_("The employee number must be exactly four digits, for example 0007."),
				title=_("Invalid Employee Number"),
			)
		holder = frappe.db.get_value(
			"ECRM Employee", {"employee_code": self.employee_code, "name": ("!=", self.name)}
		)
		if holder:
			frappe.throw(
				_("Employee number {0} is already used.").format(self.employee_code),
				frappe.DuplicateEntryError,
			)

	def validate_user(self):
		if self.user in ("Administrator", "Guest"):
			frappe.throw(_("The built-in account {0} cannot be an employee.").format(self.user))
		holder = frappe.db.get_value("ECRM Employee", {"user": self.user, "name": ("!=", self.name)})
		if holder:
			frappe.throw(
				_("User {0} already belongs to employee {1}.").format(self.user, holder),
				frappe.DuplicateEntryError,
			)

	def set_date_left(self):
		if self.status == "Left Company" and not self.date_left:
			self.date_left = today()
		elif self.status != "Left Company":
			self.date_left = None


def next_free_employee_code() -> str:
	codes = frappe.get_all("ECRM Employee", pluck="employee_code")
	try:
		return next_employee_code(codes)
	except ValueError:
		frappe.throw(_("All employee numbers from 0001 to 9999 are in use."))


def update_user_enabled(employee) -> None:
	"""Someone who has left can no longer log in; coming back in service enables the account again."""
	enabled = 0 if employee.status == "Left Company" else 1
	if frappe.db.get_value("User", employee.user, "enabled") != enabled:
		user = frappe.get_doc("User", employee.user)
		user.enabled = enabled
		user.save(ignore_permissions=True)
