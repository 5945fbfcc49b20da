# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

import frappe
from frappe.utils.nestedset import NestedSet

from ent_crm.core.local_names import LocalNameMixin


class ECRMRegion(LocalNameMixin, NestedSet):
	"""A continent, country, province or city in the region tree (B3)."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from ent_crm.ent_crm.doctype.ecrm_region_employee.ecrm_region_employee import ECRMRegionEmployee

		authorised_creators: DF.TableMultiSelect[ECRMRegionEmployee]
		country: DF.Link | None
		default_owners: DF.TableMultiSelect[ECRMRegionEmployee]
		has_own_rules: DF.Check
		is_capital: DF.Check
		is_group: DF.Check
		lft: DF.Int
		local_name: DF.Data | None
		old_parent: DF.Link | None
		parent_ecrm_region: DF.Link | None
		region_name: DF.Data
		region_type: DF.Literal["Continent", "Country", "Province", "City", "Area"]
		rgt: DF.Int
	# end: auto-generated types

	nsm_parent_field = "parent_ecrm_region"

	def validate(self):
		self.set_country()

	def set_country(self):
		"""A country region is its own Frappe Country; anything below a country lies in it."""
		if self.country:
			return
		if self.region_type == "Country":
			if frappe.db.exists("Country", self.region_name):
				self.country = self.region_name
		elif self.parent_ecrm_region:
			self.country = frappe.db.get_value("ECRM Region", self.parent_ecrm_region, "country")
