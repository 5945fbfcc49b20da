# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

from frappe.model.document import Document


class ECRMStockPhrase(Document):
	"""A stock phrase of its creator; DocPerm "only if creator" keeps it theirs."""
