# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

from frappe.model.document import Document


class ECRMMassMailing(Document):
	"""A mass mailing; picking customers and sending live in ent_crm.mail.mass_mail."""

	def validate(self):
		from ent_crm.mail import mass_mail

		mass_mail.validate_mailing(self)
