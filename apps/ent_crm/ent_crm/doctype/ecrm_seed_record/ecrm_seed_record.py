# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

from frappe.model.document import Document


class ECRMSeedRecord(Document):
	"""Remembers a base-data record the app seeded, so that it is never seeded twice."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		reference_doctype: DF.Link | None
		reference_name: DF.Data | None
		seed_key: DF.Data
	# end: auto-generated types
