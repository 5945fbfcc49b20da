# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

from frappe.utils.nestedset import NestedSet

from ent_crm.core.local_names import LocalNameMixin


class ECRMDepartment(LocalNameMixin, NestedSet):
	"""A department in the company tree (B1)."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		department_name: DF.Data
		description: DF.SmallText | None
		is_group: DF.Check
		lft: DF.Int
		local_name: DF.Data | None
		old_parent: DF.Link | None
		parent_ecrm_department: DF.Link | None
		rgt: DF.Int
	# end: auto-generated types

	nsm_parent_field = "parent_ecrm_department"
