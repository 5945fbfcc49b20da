# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

from frappe.model.document import Document


class ECRMMessage(Document):
	"""An internal message (J1, J2). Sent, read and deleted through ent_crm.messages only."""

	def validate(self):
		from ent_crm import messages

		messages.validate_message(self)
