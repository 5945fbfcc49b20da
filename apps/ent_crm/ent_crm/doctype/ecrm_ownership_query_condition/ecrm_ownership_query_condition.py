# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

from frappe.model.document import Document


class ECRMOwnershipQueryCondition(Document):
	"""One condition row of a saved ownership query; checked by ent_crm.ownership_query."""

	pass
