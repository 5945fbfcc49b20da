# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

from frappe.model.document import Document

from ent_crm.followup import folders


class ECRMCustomerFolder(Document):
	"""A custom folder of one customer's history (F5); rules in ent_crm.followup.folders."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		customer: DF.Link
		description: DF.SmallText | None
		folder_kind: DF.Literal["Project", "Contract", "Other"]
		folder_name: DF.Data
	# end: auto-generated types

	def validate(self):
		folders.validate(self)

	def on_trash(self):
		folders.on_trash(self)
