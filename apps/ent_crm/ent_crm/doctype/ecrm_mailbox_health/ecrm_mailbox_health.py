# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

from frappe.model.document import Document


class ECRMMailboxHealth(Document):
	"""How a CRM mailbox's pulls went (one row per Email Account); written by ent_crm.mail.health only."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		email_account: DF.Data
		error_detail: DF.Code | None
		failing_since: DF.Datetime | None
		last_error: DF.SmallText | None
		last_error_at: DF.Datetime | None
		last_failed: DF.Int
		last_pull_at: DF.Datetime | None
		last_stored: DF.Int
		last_success_at: DF.Datetime | None
		warned_at: DF.Datetime | None
	# end: auto-generated types
