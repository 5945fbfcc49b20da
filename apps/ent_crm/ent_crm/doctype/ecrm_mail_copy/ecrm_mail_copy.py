# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

from frappe.model.document import Document


class ECRMMailCopy(Document):
	"""Where else a stored mail arrived (another mailbox, or the same folder renumbered): written by
	ent_crm.mail.inbound.record_copy, read by the mail visibility rule and by each folder's progress."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		email_account: DF.Link | None
		imap_folder: DF.Data | None
		imap_uid: DF.Int
		mail: DF.Link | None
		user: DF.Link | None
	# end: auto-generated types
