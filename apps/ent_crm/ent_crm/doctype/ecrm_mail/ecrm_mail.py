# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

import frappe
from frappe.model.document import Document


class ECRMMail(Document):
	"""One mail and the queue it waits in; created by ent_crm.mail.inbound, moved by the triage actions."""

	def validate(self):
		self.assigned_user = (
			frappe.db.get_value("ECRM Employee", self.assigned_employee, "user") if self.assigned_employee else None
		)

	def on_trash(self):
		# the record of other mailboxes that received this mail goes with it
		frappe.db.delete("ECRM Mail Copy", {"mail": self.name})


def on_doctype_update():
	# each pull asks for the highest message number read so far from one folder of one mailbox
	frappe.db.add_index("ECRM Mail", ["email_account", "imap_folder", "imap_uid"])
