"""Rules of a contact log (F1, E8): who logged it, when, its follow-up status, and the reminder for its next
contact date: "To Follow Up" reminds the customer's salespeople on the next contact date (the form proposes
the settings' default days); "Done" closes the logging user's open reminder for the customer."""

import frappe
from frappe import _
from frappe.utils import getdate, now_datetime

from ent_crm.core.rights import employee_of
from ent_crm.followup import reminders

TO_FOLLOW_UP, DONE = "To Follow Up", "Done"


def validate(doc) -> None:
	if not doc.contact_date:
		doc.contact_date = now_datetime()
	if not doc.employee:
		doc.employee = employee_of(doc.owner or frappe.session.user)
	if doc.next_followup_date and getdate(doc.next_followup_date) < getdate(doc.contact_date):
		frappe.throw(_("The next contact date cannot be before the contact date."))
	if doc.followup_status not in (TO_FOLLOW_UP, DONE):
		doc.followup_status = TO_FOLLOW_UP


def after_insert(doc) -> None:
	"""A new contact answers the logging user's reminder for this customer that is due."""
	reminders.close_due(doc.customer, doc.owner)


def on_update(doc) -> None:
	if doc.followup_status == DONE:
		if doc.has_value_changed("followup_status"):
			reminders.close_open(doc.customer, doc.owner)
		return
	if doc.next_followup_date and (
		doc.has_value_changed("next_followup_date") or doc.has_value_changed("followup_status")
	):
		reminders.schedule(
			doc.customer,
			doc.next_followup_date,
			"ECRM Contact Log",
			doc.name,
			doc.subject or "",
		)
