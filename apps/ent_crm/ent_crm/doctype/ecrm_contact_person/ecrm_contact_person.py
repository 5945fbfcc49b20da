# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

from ent_crm.core.route_guards import ChildRow


class ECRMContactPerson(ChildRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		contact_name: DF.Data
		email: DF.Data | None
		fax: DF.Data | None
		job_title: DF.Data | None
		mobile_no: DF.Data | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		phone: DF.Data | None
	# end: auto-generated types
	pass
