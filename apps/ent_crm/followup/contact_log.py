"""Rules of a contact log (F1, E8): who logged it, when, and the reminder for its next contact date."""

import frappe
from frappe import _
from frappe.utils import getdate, now_datetime

from ent_crm.core.rights import employee_of
from ent_crm.followup import reminders


def validate(doc) -> None:
	if not doc.contact_date:
		doc.contact_date = now_datetime()
	if not doc.employee:
		doc.employee = employee_of(doc.owner or frappe.session.user)
	if doc.next_followup_date and getdate(doc.next_followup_date) < getdate(doc.contact_date):
		frappe.throw(_("The next contact date cannot be before the contact date."))


def after_insert(doc) -> None:
	"""A new contact answers the logging user's reminder for this customer that is due."""
	reminders.close_due(doc.customer, doc.owner)


def on_update(doc) -> None:
	if doc.next_followup_date and doc.has_value_changed("next_followup_date"):
		reminders.schedule(
			doc.customer,
			doc.next_followup_date,
			"ECRM Contact Log",
			doc.name,
			doc.subject or "",
		)
