# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

from ent_crm.core.route_guards import ChildRow


class ECRMBackupEmail(ChildRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		email: DF.Data
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
	# end: auto-generated types
	pass
