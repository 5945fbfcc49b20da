# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

from frappe.model.document import Document


class ECRMMassMailing(Document):
	"""A mass mailing; picking customers and sending live in ent_crm.mail.mass_mail."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from ent_crm.ent_crm.doctype.ecrm_mass_mailing_recipient.ecrm_mass_mailing_recipient import (
			ECRMMassMailingRecipient,
		)

		approved_by: DF.Link | None
		approver: DF.Link | None
		content: DF.TextEditor
		customer_level: DF.Link | None
		customer_type: DF.Link | None
		email_account: DF.Literal[None]
		email_template: DF.Link | None
		failed: DF.Int
		owner_employee: DF.Link | None
		ownership_query: DF.Link | None
		product: DF.Link | None
		recipients: DF.Table[ECRMMassMailingRecipient]
		region: DF.Link | None
		rejection_reason: DF.SmallText | None
		sent: DF.Int
		skipped: DF.Int
		status: DF.Literal[
			"Draft", "Pending Approval", "Rejected", "Queued", "Sending", "Completed", "Failed"
		]
		subject: DF.Data
		total: DF.Int
	# end: auto-generated types

	def validate(self):
		from ent_crm.mail import mass_mail

		mass_mail.validate_mailing(self)
