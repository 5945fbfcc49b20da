# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import validate_email_address


class ECRMAddressBookEntry(Document):
	"""One entry of a user's personal address book (J3, E7); only its owner sees it."""

	def validate(self):
		self.full_name = (self.full_name or "").strip()
		self.email = (self.email or "").strip().lower()
		if self.email and not validate_email_address(self.email):
			frappe.throw(_("{0} is not a valid e-mail address.").format(self.email))
