# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

from frappe.model.document import Document

from ent_crm.customers import handover


class ECRMHandover(Document):
	"""Hands all customers of a salesperson over at once (G6). The work is done by ent_crm.customers.handover."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		customers_affected: DF.Int
		error: DF.SmallText | None
		executed_by: DF.Link | None
		finished_at: DF.Datetime | None
		from_employee: DF.Link
		mode: DF.Literal["Revoke", "Transfer"]
		remarks: DF.SmallText | None
		started_at: DF.Datetime | None
		status: DF.Literal["Draft", "Queued", "Running", "Completed", "Failed"]
		to_employee: DF.Link | None
	# end: auto-generated types

	def validate(self):
		handover.validate_handover(self)

	def on_trash(self):
		handover.check_deletable(self)
