"""What the workbench lists (manual ch.1 §6–8, H2): one queue's mail a page at a time, reminders, recent
contacts and the target's customers by region — and the first paint that puts them together."""

import frappe
from frappe import _
from frappe.utils import add_days, cint, now_datetime

from ent_crm.core import visibility
from ent_crm.core.rights import mail_rights
from ent_crm.followup import reminders
from ent_crm.mail import health
from ent_crm.workbench.counts import HANDLED_DAYS, MAIL_QUEUES, queue_parts, queues
from ent_crm.workbench.indexes import index_hint
from ent_crm.workbench.target import can_inspect, salespeople, sees_unassigned, target_info

PAGE_LENGTH = 20
LIST_FIELDS = (
	"m.name, m.subject, m.sender, m.sender_name, m.received_at, m.direction, m.queue, m.reference_doctype,"
	" m.reference_name, m.reference_title, m.contact_name, m.is_personal, m.is_auto_reply, m.is_bounce,"
	" m.assigned_employee, m.suggested_customer"
)


def mail_page(target: frappe._dict, queue: str, start: int = 0, page_length: int = PAGE_LENGTH) -> dict:
	if queue not in MAIL_QUEUES or (queue == "unassigned" and not sees_unassigned(target)):
		frappe.throw(_("Unknown queue: {0}").format(queue))
	start, page_length = max(cint(start), 0), min(max(cint(page_length) or PAGE_LENGTH, 1), 100)
	condition = MAIL_QUEUES[queue][1]
	parts = queue_parts(target, queue)
	params = {"since": add_days(now_datetime(), -HANDLED_DAYS), "limit": start + page_length + 1}
	# the archive folders hold most of the mail: look at the newest month first, widen only if it has too
	# few (the newest rows of a window are the newest of all)
	windows = (30, 365, None) if queue in ("all", "sent", "trash") else (None,)
	for days in windows:
		params["window"] = add_days(now_datetime(), -days) if days else None
		window = "and m.received_at >= %(window)s" if days else ""
		rows = []
		for name, part in parts:  # each part's newest start+n+1 rows, merged: the union's page
			rows += frappe.db.sql(
				f"""select {LIST_FIELDS} from `tabECRM Mail` m {index_hint(name, queue)} where ({part}) and {condition}
				{window} order by m.received_at desc, m.name desc limit %(limit)s""",
				params,
				as_dict=True,
			)
		if len(rows) >= params["limit"]:
			break
	rows.sort(key=lambda r: (r.received_at or now_datetime(), r.name), reverse=True)
	page = rows[start : start + page_length]
	return {
		"queue": queue,
		"kind": "mail",
		"start": start,
		"rows": page,
		"more": len(rows) > start + page_length,
	}


def reminder_page(target: frappe._dict) -> dict:
	rows = reminders.due_reminders(target.user, limit=200)
	return {"queue": "reminders", "kind": "reminders", "start": 0, "rows": rows, "more": False}


def contact_page(target: frappe._dict, start: int = 0, page_length: int = PAGE_LENGTH) -> dict:
	if not target.employee:
		return {"queue": "contacts", "kind": "contacts", "start": 0, "rows": [], "more": False}
	start = max(cint(start), 0)
	rows = frappe.db.sql(
		"""select l.name, l.customer, c.customer_name, l.contact_date, l.method, l.direction, l.subject,
			l.next_followup_date, l.mail
		from `tabECRM Contact Log` l left join `tabECRM Customer` c on c.name = l.customer
		where l.employee = %(employee)s order by l.contact_date desc limit %(start)s, %(n)s""",
		{"employee": target.employee, "start": start, "n": PAGE_LENGTH + 1},
		as_dict=True,
	)
	return {
		"queue": "contacts",
		"kind": "contacts",
		"start": start,
		"rows": rows[:PAGE_LENGTH],
		"more": len(rows) > PAGE_LENGTH,
	}


def customer_condition(target: frappe._dict) -> str:
	"""The customers the target may read (the rule of ent_crm.core.visibility), on `tabECRM Customer` c."""
	return visibility.customer_condition(target.user, "c") or "1=1"


def customer_regions(target: frappe._dict) -> list[dict]:
	"""The target's customers by country and region (hidden customers left out)."""
	rows = frappe.db.sql(
		f"""select coalesce(r.country, c.region) as country, c.region, count(*) as count
		from `tabECRM Customer` c left join `tabECRM Region` r on r.name = c.region
		where c.is_hidden = 0 and {customer_condition(target)}
		group by coalesce(r.country, c.region), c.region order by count(*) desc""",
		as_dict=True,
	)
	countries: dict[str, dict] = {}
	for row in rows:
		country = countries.setdefault(
			row.country, {"country": row.country, "label": _(row.country or ""), "count": 0, "regions": []}
		)
		country["count"] += row.count
		country["regions"].append({"region": row.region, "label": _(row.region or ""), "count": row.count})
	return sorted(countries.values(), key=lambda c: -c["count"])


def customer_page(target: frappe._dict, region: str, start: int = 0) -> dict:
	start = max(cint(start), 0)
	column = "r.country" if frappe.db.exists("ECRM Region", {"country": region}) else "c.region"
	rows = frappe.db.sql(
		f"""select c.name, c.customer_name, c.region, c.primary_email, c.owner_names, c.modified
		from `tabECRM Customer` c left join `tabECRM Region` r on r.name = c.region
		where c.is_hidden = 0 and ({column} = %(region)s or c.region = %(region)s) and {customer_condition(target)}
		order by c.customer_name limit %(start)s, %(n)s""",
		{"region": region, "start": start, "n": PAGE_LENGTH + 1},
		as_dict=True,
	)
	return {
		"queue": "region",
		"region": region,
		"kind": "customers",
		"start": start,
		"rows": rows[:PAGE_LENGTH],
		"more": len(rows) > PAGE_LENGTH,
	}


def get_page(target: frappe._dict, queue: str, start: int = 0, region: str | None = None) -> dict:
	if queue == "reminders":
		return reminder_page(target)
	if queue == "contacts":
		return contact_page(target, start)
	if queue == "region":
		return customer_page(target, region, start)
	return mail_page(target, queue, start)


def mailbox_banner() -> dict:
	"""Mail admins and System Managers: whether they see mailbox health, and its warnings (issue 11)."""
	shown = health.can_see_health()
	return {"sees_mailbox_health": shown, "mailbox_warnings": health.warnings() if shown else []}


def first_paint(target: frappe._dict, queue: str | None = None) -> dict:
	"""Everything the page shows first: whose workbench, the queues with counts and the first page of
	the chosen (or first pending) queue."""
	rows = queues(target)
	keys = [r["key"] for r in rows]
	if queue not in keys:
		queue = "unassigned" if "unassigned" in keys and not target.inspecting else "known"
	return {
		"target": target_info(target),
		"can_inspect": can_inspect(),
		"salespeople": salespeople() if can_inspect() else [],
		"reads_personal": mail_rights(frappe.session.user)[1],
		"default_followup_days": cint(
			frappe.db.get_single_value("ECRM Settings", "default_followup_days") or 0
		),
		"queues": rows,
		"list": get_page(target, queue),
		**mailbox_banner(),
	}
