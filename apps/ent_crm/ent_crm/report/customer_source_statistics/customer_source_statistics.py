# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

"""Customer Source Statistics (I3): customers counted by Customer Source, hidden customers left out; a salesperson counts their own."""

import frappe
from frappe import _

from ent_crm.statistics import reports as statistics


def execute(filters=None):
	return statistics.distribution(
		"customer_source", frappe._dict(filters or {}), _("Customer Source"), "ECRM Customer Source"
	)
