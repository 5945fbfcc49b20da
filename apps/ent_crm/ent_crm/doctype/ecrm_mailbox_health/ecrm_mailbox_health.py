# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

from frappe.model.document import Document


class ECRMMailboxHealth(Document):
	"""How a CRM mailbox's pulls went (one row per Email Account); written by ent_crm.mail.health only."""
