# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

import frappe
from frappe.model.document import Document

from ent_crm.mail import field_guard


class ECRMMail(Document):
	"""One mail and the queue it waits in; created by ent_crm.mail.inbound, moved by the triage actions."""

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
