# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

from frappe.model.document import Document


class ECRMStockPhrase(Document):
	"""A stock phrase of its creator; DocPerm "only if creator" keeps it theirs."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		phrase: DF.SmallText
		title: DF.Data
	# end: auto-generated types
