# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

from frappe.model.document import Document


class ECRMCustomerSearchKey(Document):
	"""One prefix-searchable key of a customer (F4); rows are written by ent_crm.followup.search only."""
