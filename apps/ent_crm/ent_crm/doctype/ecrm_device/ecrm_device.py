# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

from frappe.model.document import Document

from ent_crm.admin.devices import on_status_change


class ECRMDevice(Document):
	"""A browser a user bound to approved devices may log in from once approved (A7)."""

	def validate(self):
		on_status_change(self)
