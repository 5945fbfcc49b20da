# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

from frappe.model.document import Document
from frappe.model.naming import make_autoname

from ent_crm import address_index, ownership
from ent_crm.utils.addresses import phone_digits


class ECRMCustomer(Document):
	"""A customer (G1). Address rules live in ent_crm.address_index, ownership in ent_crm.ownership."""

	def autoname(self):
		# Frappe's series counter: atomic under concurrent inserts. Named here rather than through the
		# DocType's autoname so that deleting the newest record never hands its code out again.
		self.name = make_autoname("C.######", doc=self)

	def before_insert(self):
		ownership.apply_region_rules_on_create(self)

	def validate(self):
		address_index.normalise_record(self)
		ownership.set_owner_fields(self)
		self.phone_digits = phone_digits(self.phone) or None
		self.mnemonic = (self.mnemonic or "").strip().upper() or None

	def on_update(self):
		address_index.sync(self)

	def on_trash(self):
		address_index.remove(self)

	def after_rename(self, old, new, merge=False):
		address_index.rename(self.doctype, old, new)
