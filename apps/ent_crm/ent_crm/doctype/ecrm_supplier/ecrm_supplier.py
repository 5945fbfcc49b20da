# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

import frappe
from frappe.model.document import Document
from frappe.model.naming import make_autoname

from ent_crm import address_index
from ent_crm.ownership import employee_of
from ent_crm.utils.addresses import phone_digits


class ECRMSupplier(Document):
	"""A supplier, owned by a merchandiser; its addresses share the customers' address index."""

	def autoname(self):
		# Frappe's series counter: atomic under concurrent inserts. Named here rather than through the
		# DocType's autoname so that deleting the newest record never hands its code out again.
		self.name = make_autoname("S.######", doc=self)

	def before_insert(self):
		if not self.merchandiser:
			me = employee_of()
			if me and frappe.db.get_value("ECRM Employee", me, "is_merchandiser"):
				self.merchandiser = me

	def validate(self):
		address_index.normalise_record(self)
		self.merchandiser_user = (
			frappe.db.get_value("ECRM Employee", self.merchandiser, "user") if self.merchandiser else None
		)
		self.phone_digits = phone_digits(self.phone) or None
		self.mnemonic = (self.mnemonic or "").strip().upper() or None

	def on_update(self):
		address_index.sync(self)

	def on_trash(self):
		address_index.remove(self)

	def after_rename(self, old, new, merge=False):
		address_index.rename(self.doctype, old, new)
