# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

from frappe.model.document import Document


class ECRMMailCopy(Document):
	"""Where else a stored mail arrived (another mailbox, or the same folder renumbered): written by
	ent_crm.mail.inbound.record_copy, read by the mail visibility rule and by each folder's progress."""
