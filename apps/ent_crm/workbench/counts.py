"""The workbench's queues (manual ch.1 §6–8, D8): which the target has, and how much each holds."""

import frappe
from frappe import _
from frappe.utils import add_days, now_datetime

from ent_crm.followup import reminders
from ent_crm.workbench.indexes import index_hint
from ent_crm.workbench.target import UNASSIGNED_PART, mail_parts, sees_unassigned

HANDLED_DAYS = 7

# queue key -> (label, the mail condition beyond visibility); the order is the order on the page
MAIL_QUEUES = {
	"unassigned": ("Unassigned", "m.queue = 'Unassigned' and m.is_auto_reply = 0 and m.is_bounce = 0"),
	"known": ("Known Pending", "m.queue = 'Known Pending' and m.is_auto_reply = 0 and m.is_bounce = 0"),
	"stranger": (
		"Stranger Pending",
		"m.queue = 'Stranger Pending' and m.is_auto_reply = 0 and m.is_bounce = 0",
	),
	"handled": ("Handled (7 Days)", "m.queue = 'Handled' and m.followed_at >= %(since)s"),
	"all": ("All Mail", "m.direction = 'Inbound' and m.queue not in ('Trash', 'Recycle Bin')"),
	"sent": ("Sent", "m.direction = 'Outbound' and m.queue not in ('Trash', 'Recycle Bin')"),
	"trash": ("Trash and Recycle Bin", "m.queue in ('Trash', 'Recycle Bin')"),
}
COUNTED = ("unassigned", "known", "stranger", "handled")  # the archive folders show no number


def queue_parts(target: frappe._dict, queue: str) -> list[tuple[str, str]]:
	"""The disjoint parts of the target's mail a queue is read in."""
	return UNASSIGNED_PART if queue == "unassigned" else mail_parts(target)


def queue_keys(target: frappe._dict) -> list[str]:
	keys = list(MAIL_QUEUES)
	if not sees_unassigned(target):
		keys.remove("unassigned")
	return keys


def mail_counts(target: frappe._dict) -> dict:
	"""queue key -> count for the counted queues the target has."""
	params = {"since": add_days(now_datetime(), -HANDLED_DAYS)}
	counts = {}
	for key in COUNTED:
		if key == "unassigned" and not sees_unassigned(target):
			continue
		condition = MAIL_QUEUES[key][1]
		total = 0
		for name, part in queue_parts(target, key):
			hint = index_hint(name, key)
			total += frappe.db.sql(
				f"select count(*) from `tabECRM Mail` m {hint} where ({part}) and {condition}", params
			)[0][0]
		counts[key] = total
	return counts


def reminder_count(target: frappe._dict) -> int:
	return reminders.count_due(target.user)


def queues(target: frappe._dict) -> list[dict]:
	"""The left column: every queue with its label and count (None: no number shown)."""
	counts = mail_counts(target)
	rows = []
	for key in queue_keys(target):
		rows.append({"key": key, "label": _(MAIL_QUEUES[key][0]), "count": counts.get(key)})
		if key == "stranger":
			rows.append({"key": "reminders", "label": _("Reminders Due"), "count": reminder_count(target)})
	rows.append({"key": "contacts", "label": _("Recent Contacts"), "count": None})
	return rows
