# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

from frappe.utils.nestedset import NestedSet

from ent_crm.core.local_names import LocalNameMixin


class ECRMDepartment(LocalNameMixin, NestedSet):
	"""A department in the company tree (B1)."""

	nsm_parent_field = "parent_ecrm_department"
