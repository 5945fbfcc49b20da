# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

from frappe.model.document import Document


class ECRMSeedRecord(Document):
	"""Remembers a base-data record the app seeded, so that it is never seeded twice."""
