# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

from frappe.model.document import Document

from ent_crm.core.input_types import CheckedInput
from ent_crm.customers import ownership
from ent_crm.customers.address_index import AddressRecord


class ECRMCustomer(CheckedInput, AddressRecord, Document):
	"""A customer (G1). Address rules live in ent_crm.customers.address_index, ownership in ent_crm.customers.ownership."""

	code_prefix = "C"

	def before_insert(self):
		ownership.apply_region_rules_on_create(self)

	def validate(self):
		ownership.check_owner_change(self)
		self.validate_address_record()
		ownership.set_owner_fields(self)
