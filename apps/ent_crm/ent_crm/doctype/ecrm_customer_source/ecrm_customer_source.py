# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

from frappe.model.document import Document

from ent_crm.core.local_names import LocalNameMixin


class ECRMCustomerSource(LocalNameMixin, Document):
	"""A code-list entry (B4): its key is the English name, its Chinese name is shown to zh users."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		code_name: DF.Data
		description: DF.SmallText | None
		disabled: DF.Check
		local_name: DF.Data | None
		sort_order: DF.Int
	# end: auto-generated types
