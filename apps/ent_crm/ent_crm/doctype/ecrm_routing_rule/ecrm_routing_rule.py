# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

import frappe
from frappe import _
from frappe.model.document import Document

from ent_crm.core.addresses import is_valid, normalise


class ECRMRoutingRule(Document):
	"""Mail from an address not on file goes to this salesperson's stranger queue (D9)."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		address: DF.Data
		employee: DF.Link
		employee_name: DF.Data | None
		note: DF.SmallText | None
		user: DF.Link | None
	# end: auto-generated types

	def autoname(self):
		self.name = normalise(self.address)

	def validate(self):
		self.address = normalise(self.address)
		if not is_valid(self.address):
			frappe.throw(_("{0} is not a valid e-mail address.").format(self.address))
		employee = frappe.db.get_value(
			"ECRM Employee", self.employee, ["status", "is_salesperson", "user"], as_dict=True
		)
		if not employee or employee.status != "In Service" or not employee.is_salesperson:
			frappe.throw(_("Mail can only be routed to a salesperson who is in service."))
		self.user = employee.user
