# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

from frappe.model.document import Document

from ent_crm.messages.limits import validate_message


class ECRMMessage(Document):
	"""An internal message (J1, J2). Sent, read and deleted through ent_crm.messages only."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from ent_crm.ent_crm.doctype.ecrm_message_recipient.ecrm_message_recipient import ECRMMessageRecipient

		attachment: DF.Attach | None
		audience: DF.Literal["Chosen People", "Group", "Everyone Online", "Everyone", "Administrators"]
		body: DF.SmallText
		deliver_by_email: DF.Check
		deliver_by_sms: DF.Check
		deliver_in_system: DF.Check
		recipients: DF.Table[ECRMMessageRecipient]
		reference_doctype: DF.Link | None
		reference_name: DF.DynamicLink | None
		request_receipt: DF.Check
		sender: DF.Link | None
		sender_deleted: DF.Check
		sent_on: DF.Datetime | None
		subject: DF.Data
		user_group: DF.Link | None
	# end: auto-generated types

	def validate(self):
		validate_message(self)
