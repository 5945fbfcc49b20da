"""The workspace's number cards and chart on the caller's workbench counts."""

from frappe import _

from ent_crm.workbench.counts import MAIL_QUEUES, mail_counts, reminder_count
from ent_crm.workbench.target import resolve_target

PENDING = ("unassigned", "known", "stranger")


def pending_mail() -> dict:
	"""Number card "Pending Mail": the caller's known and stranger pending mail (and unassigned for mail
	admins); a click opens the workbench."""
	counts = mail_counts(resolve_target(None))
	value = sum(counts.get(key) or 0 for key in PENDING)
	return {"value": value, "fieldtype": "Int", "route": ["ecrm-workbench"]}


def pending_mail_by_queue() -> dict:
	"""Dashboard chart "Pending Mail by Queue" (custom source): the caller's workbench counts."""
	counts = mail_counts(resolve_target(None))
	keys = [key for key in PENDING if key in counts]
	return {
		"labels": [_(MAIL_QUEUES[key][0]) for key in keys],
		"datasets": [{"name": _("Pending Mail"), "values": [counts[key] for key in keys]}],
	}


def reminders_due() -> dict:
	"""Number card "Reminders Due": the caller's follow-up reminders due today or earlier."""
	return {
		"value": reminder_count(resolve_target(None)) or 0,
		"fieldtype": "Int",
		"route": ["ecrm-follow-up"],
	}
