# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

from frappe.model.document import Document


class ECRMMessage(Document):
	"""An internal message (J1, J2). Sent, read and deleted through ent_crm.messages.service only."""

	def validate(self):
		from ent_crm.messages import service as messages

		messages.validate_message(self)
