"""Retention of internal messages: a message goes when it is older than CRM Settings' message retention
(daily job `purge_old_messages`); 0 days keeps messages until nobody keeps them."""

import frappe
from frappe.utils import add_to_date, cint, now_datetime

MESSAGE = "ECRM Message"


def retention_days() -> int:
	value = frappe.db.get_single_value("ECRM Settings", "message_retention_days")
	return 7 if value is None else cint(value)


def purge_old_messages() -> int:
	"""Daily: messages sent more than the retention days ago go, with their files. 0 days keeps them."""
	days = retention_days()
	if days <= 0:
		return 0
	cutoff = add_to_date(now_datetime(), days=-days)
	names = frappe.get_all(MESSAGE, filters={"sent_on": ("<", cutoff)}, pluck="name")
	for name in names:
		frappe.delete_doc(MESSAGE, name, ignore_permissions=True, force=True, delete_permanently=True)
	return len(names)
