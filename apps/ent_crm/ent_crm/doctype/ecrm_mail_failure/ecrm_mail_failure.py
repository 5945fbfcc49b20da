# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

from frappe.model.document import Document


class ECRMMailFailure(Document):
	"""A message kept whole because it could not be parsed or routed; a mail admin processes it again."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		dedup_key: DF.Data | None
		email_account: DF.Link | None
		imap_folder: DF.Data | None
		mail: DF.Link | None
		raw_file: DF.Attach | None
		reason: DF.Code | None
		sender: DF.Data | None
		status: DF.Literal["To Process", "Processed"]
		subject: DF.Data | None
		uid: DF.Data | None
	# end: auto-generated types
