# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

"""Customer Industry Statistics (I4): customers counted by Industry, hidden customers left out; a salesperson counts their own."""

import frappe
from frappe import _

from ent_crm.statistics import reports as statistics


def execute(filters=None):
	return statistics.distribution("industry", frappe._dict(filters or {}), _("Industry"), "ECRM Industry")
