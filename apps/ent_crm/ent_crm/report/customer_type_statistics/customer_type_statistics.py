# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

"""Customer Type Statistics (I1): customers counted by Customer Type, hidden customers left out; a salesperson counts their own."""

import frappe
from frappe import _

from ent_crm.statistics import reports as statistics


def execute(filters=None):
	return statistics.distribution(
		"customer_type", frappe._dict(filters or {}), _("Customer Type"), "ECRM Customer Type"
	)
