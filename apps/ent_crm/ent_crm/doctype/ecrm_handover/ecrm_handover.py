# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

from frappe.model.document import Document

from ent_crm.customers import handover


class ECRMHandover(Document):
	"""Hands all customers of a salesperson over at once (G6). The work is done by ent_crm.customers.handover."""

	def validate(self):
		handover.validate_handover(self)

	def on_trash(self):
		handover.check_deletable(self)
