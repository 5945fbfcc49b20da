# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

from frappe.model.document import Document


class ECRMMailFailure(Document):
	"""A message kept whole because it could not be parsed or routed; a mail admin processes it again."""
