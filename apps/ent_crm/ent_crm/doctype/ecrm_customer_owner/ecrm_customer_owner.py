# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

from ent_crm.core.route_guards import ChildRow


class ECRMCustomerOwner(ChildRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		assigned_on: DF.Date | None
		employee: DF.Link
		employee_name: DF.Data | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		user: DF.Link | None
	# end: auto-generated types
	pass
