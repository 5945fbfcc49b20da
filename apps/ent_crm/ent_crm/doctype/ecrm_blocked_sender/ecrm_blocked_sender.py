# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

import re

import frappe
from frappe import _
from frappe.model.document import Document

from ent_crm.core.addresses import is_valid, normalise

DOMAIN = re.compile(r"^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


class ECRMBlockedSender(Document):
	"""An address or a whole domain whose mail goes straight to the recycle bin (D5)."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		block_kind: DF.Literal["Address", "Whole Domain"]
		reason: DF.SmallText | None
		sender: DF.Data
	# end: auto-generated types

	def autoname(self):
		self.name = normalise(self.sender).lstrip("@")

	def validate(self):
		self.sender = normalise(self.sender).lstrip("@")
		if "@" in self.sender:
			if not is_valid(self.sender):
				frappe.throw(_("{0} is not a valid e-mail address.").format(self.sender))
			self.block_kind = "Address"
		else:
			if not DOMAIN.match(self.sender):
				frappe.throw(_("{0} is neither an e-mail address nor a domain.").format(self.sender))
			self.block_kind = "Whole Domain"
