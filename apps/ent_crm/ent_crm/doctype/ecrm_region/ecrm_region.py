# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

import frappe
from frappe.utils.nestedset import NestedSet

from ent_crm.core.local_names import LocalNameMixin


class ECRMRegion(LocalNameMixin, NestedSet):
	"""A continent, country, province or city in the region tree (B3)."""

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
