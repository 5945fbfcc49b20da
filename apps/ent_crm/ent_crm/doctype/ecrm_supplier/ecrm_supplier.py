# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

import frappe
from frappe.model.document import Document

from ent_crm.core.input_types import CheckedInput
from ent_crm.core.rights import employee_of
from ent_crm.customers.address_index import AddressRecord


class ECRMSupplier(CheckedInput, AddressRecord, Document):
	"""A supplier, owned by a merchandiser; its addresses share the customers' address index."""

	code_prefix = "S"

	def before_insert(self):
		if not self.merchandiser:
			me = employee_of()
			if me and frappe.db.get_value("ECRM Employee", me, "is_merchandiser"):
				self.merchandiser = me

	def validate(self):
		self.validate_address_record()
		self.merchandiser_user = (
			frappe.db.get_value("ECRM Employee", self.merchandiser, "user") if self.merchandiser else None
		)
