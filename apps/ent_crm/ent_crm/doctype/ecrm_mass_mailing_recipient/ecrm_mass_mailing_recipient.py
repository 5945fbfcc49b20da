# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

from ent_crm.core.route_guards import ChildRow


class ECRMMassMailingRecipient(ChildRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		customer: DF.Link | None
		email: DF.Data | None
		error: DF.SmallText | None
		mail: DF.Link | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		status: DF.Literal["Queued", "Sent", "Failed", "Unsubscribed", "No Address"]
	# end: auto-generated types
	pass
