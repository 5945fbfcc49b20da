# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

from frappe.model.document import Document

from ent_crm.followup import contact_log
from ent_crm.mail import field_guard


class ECRMContactLog(Document):
	"""One contact with a customer (F1, E8); the rules live in ent_crm.followup.contact_log."""

	def validate(self):
		field_guard.check_contact_log(self)
		contact_log.validate(self)

	def after_insert(self):
		contact_log.after_insert(self)

	def on_update(self):
		contact_log.on_update(self)
