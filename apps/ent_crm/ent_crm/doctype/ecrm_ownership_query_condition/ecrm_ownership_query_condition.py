# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

from ent_crm.core.route_guards import ChildRow


class ECRMOwnershipQueryCondition(ChildRow):
	"""One condition row of a saved ownership query; checked by ent_crm.customers.ownership_query."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		column: DF.Literal[
			"Employee Code",
			"Employee Name",
			"Customer Code",
			"Customer Name",
			"Assignment Date",
			"Latest Assignment",
		]
		logic: DF.Literal["AND", "OR"]
		operator: DF.Literal["=", ">", ">=", "<", "<=", "!=", "like"]
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		value: DF.Data
	# end: auto-generated types

	pass
