# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

from frappe.model.document import Document

from ent_crm.personal import settings as personal


class ECRMPersonalSettings(Document):
	"""One user's own CRM options (J3); the rules live in ent_crm.personal.settings."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		default_sending_mailbox: DF.Link | None
		reminder_email: DF.Check
		user: DF.Link
	# end: auto-generated types

	def validate(self):
		personal.validate_settings(self)
