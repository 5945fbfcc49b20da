# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

from frappe.model.document import Document


class ECRMCustomerSearchKey(Document):
	"""One prefix-searchable key of a customer (F4); rows are written by ent_crm.followup.search only."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		customer: DF.Link
		head: DF.Data | None
		key_kind: DF.Data | None
		search_key: DF.Data
	# end: auto-generated types
