"""Follow-up search keys made before they carried their first characters get them (F4)."""

import frappe

from ent_crm.followup.search_keys import HEAD


def execute():
	frappe.db.sql(
		f"update `tabECRM Customer Search Key` set head = left(search_key, {HEAD}) where head is null"
	)
