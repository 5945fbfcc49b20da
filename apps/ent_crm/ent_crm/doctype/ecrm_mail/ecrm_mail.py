# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

import frappe
from frappe.model.document import Document

from ent_crm.mail import field_guard


class ECRMMail(Document):
	"""One mail and the queue it waits in; created by ent_crm.mail.inbound, moved by the triage actions."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from ent_crm.ent_crm.doctype.ecrm_product_item.ecrm_product_item import ECRMProductItem

		approved_by: DF.Link | None
		approver: DF.Link | None
		assigned_employee: DF.Link | None
		assigned_user: DF.Link | None
		attachments_not_stored: DF.SmallText | None
		bcc: DF.SmallText | None
		cc: DF.SmallText | None
		communication: DF.Link | None
		compose_mode: DF.Literal[
			"", "New Mail", "Reply", "Reply All", "Forward Mail", "Forward as Attachment", "Mass Mail"
		]
		contact_name: DF.Data | None
		contact_purpose: DF.Link | None
		content: DF.TextEditor | None
		dedup_key: DF.Data | None
		direction: DF.Literal["Inbound", "Outbound"]
		email_account: DF.Link | None
		folder: DF.Link | None
		followed_at: DF.Datetime | None
		followed_by: DF.Link | None
		followup_days: DF.Int
		imap_folder: DF.Data | None
		imap_uid: DF.Int
		is_auto_reply: DF.Check
		is_bounce: DF.Check
		is_personal: DF.Check
		mail_category: DF.Link | None
		mass_mailing: DF.Link | None
		next_contact_date: DF.Date | None
		notes: DF.SmallText | None
		outbound_status: DF.Literal[
			"", "Draft", "Pending Approval", "Rejected", "Scheduled", "Queued", "Sent", "Failed", "Cancelled"
		]
		products: DF.TableMultiSelect[ECRMProductItem]
		queue: DF.Literal[
			"Unassigned", "Known Pending", "Stranger Pending", "Handled", "Trash", "Recycle Bin"
		]
		read_receipt: DF.Check
		read_receipt_at: DF.Datetime | None
		received_at: DF.Datetime | None
		recipients: DF.SmallText | None
		reference_doctype: DF.Link | None
		reference_name: DF.DynamicLink | None
		reference_title: DF.Data | None
		rejection_reason: DF.SmallText | None
		reply_to_mail: DF.Link | None
		route_reason: DF.Data | None
		send_after: DF.Datetime | None
		send_error: DF.SmallText | None
		sender: DF.Data | None
		sender_name: DF.Data | None
		subject: DF.Data | None
		suggested_customer: DF.Link | None
	# end: auto-generated types

	def validate(self):
		field_guard.check_mail(self)
		self.assigned_user = (
			frappe.db.get_value("ECRM Employee", self.assigned_employee, "user")
			if self.assigned_employee
			else None
		)

	def on_trash(self):
		# where this mail and its copies were read stays known (the rows lose their mail): otherwise a mail
		# deleted for good would be read again and come back, were it the last one read in its folder
		frappe.db.sql("update `tabECRM Mail Copy` set mail = null, user = null where mail = %s", self.name)
		if self.email_account and self.imap_folder and self.imap_uid:
			from ent_crm.mail.inbound import bulk_insert

			bulk_insert(
				"ECRM Mail Copy",
				[
					{
						"name": frappe.generate_hash(length=10),
						"email_account": self.email_account,
						"imap_folder": self.imap_folder,
						"imap_uid": self.imap_uid,
						"docstatus": 0,
					}
				],
			)
