# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

from ent_crm.route_guards import ChildRow


class ECRMOwnershipQueryCondition(ChildRow):
	"""One condition row of a saved ownership query; checked by ent_crm.ownership_query."""

	pass
