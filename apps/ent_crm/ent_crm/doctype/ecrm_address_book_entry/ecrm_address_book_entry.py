# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import validate_email_address


class ECRMAddressBookEntry(Document):
	"""One entry of a user's personal address book (J3, E7); only its owner sees it."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		company: DF.Data | None
		email: DF.Data | None
		full_name: DF.Data
		mobile_no: DF.Data | None
		notes: DF.SmallText | None
		phone: DF.Data | None
	# end: auto-generated types

	def validate(self):
		self.full_name = (self.full_name or "").strip()
		self.email = (self.email or "").strip().lower()
		if self.email and not validate_email_address(self.email):
			frappe.throw(_("{0} is not a valid e-mail address.").format(self.email))
