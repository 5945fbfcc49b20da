# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

from frappe.model.document import Document

from ent_crm.personal import settings as personal


class ECRMPersonalSettings(Document):
	"""One user's own CRM options (J3); the rules live in ent_crm.personal.settings."""

	def validate(self):
		personal.validate_settings(self)
