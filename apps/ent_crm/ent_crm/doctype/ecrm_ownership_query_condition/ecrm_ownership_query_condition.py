# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

from ent_crm.core.route_guards import ChildRow


class ECRMOwnershipQueryCondition(ChildRow):
	"""One condition row of a saved ownership query; checked by ent_crm.customers.ownership_query."""

	pass
