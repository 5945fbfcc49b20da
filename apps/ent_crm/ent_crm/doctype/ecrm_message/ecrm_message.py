# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

from frappe.model.document import Document

from ent_crm.messages.limits import validate_message


class ECRMMessage(Document):
	"""An internal message (J1, J2). Sent, read and deleted through ent_crm.messages only."""

	def validate(self):
		validate_message(self)
