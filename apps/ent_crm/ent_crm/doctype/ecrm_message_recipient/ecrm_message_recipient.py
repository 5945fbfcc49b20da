# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

from ent_crm.core.route_guards import ChildRow


class ECRMMessageRecipient(ChildRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		deleted: DF.Check
		emailed: DF.Check
		full_name: DF.Data | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		read_on: DF.Datetime | None
		receipt_on: DF.Datetime | None
		texted: DF.Check
		user: DF.Link
	# end: auto-generated types
	pass
