# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

from frappe.model.document import Document

from ent_crm.followup import folders


class ECRMCustomerFolder(Document):
	"""A custom folder of one customer's history (F5); rules in ent_crm.followup.folders."""

	def validate(self):
		folders.validate(self)

	def on_trash(self):
		folders.on_trash(self)
