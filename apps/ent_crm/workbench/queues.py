"""The workbench (manual ch.1 §6–8, D8, H1, H2): a salesperson's queues with counts, one queue's mail a
page at a time, the mail reader, reminders, recent contacts and customers by region — and the same for a
manager inspecting one salesperson ("work inspection"), who sees exactly what that person sees.

What a person sees is the mail visibility rule of `ent_crm.core.visibility.mail_query_conditions`, split into
disjoint parts that the database can each answer from an index (an OR of EXISTS over a million mails
cannot), so counts and pages stay fast at any size. Personal-mailbox mail of another person needs the
inspector's own right (ECRM Personal Mail Reader), as in the Salesperson Mail report.
"""

import frappe
from frappe import _
from frappe.utils import add_days, cint, escape_html, now_datetime

from ent_crm.core.rights import employee_of, is_mail_admin, mail_rights, sees_all_customers
from ent_crm.core.roles import ALL_CUSTOMERS, MAIL_ADMIN, MANAGER
from ent_crm.followup import reminders
from ent_crm.mail import health, routing

MAIL = "ECRM Mail"
PAGE_LENGTH = 20
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
LIST_FIELDS = (
	"m.name, m.subject, m.sender, m.sender_name, m.received_at, m.direction, m.queue, m.reference_doctype,"
	" m.reference_name, m.reference_title, m.contact_name, m.is_personal, m.is_auto_reply, m.is_bounce,"
	" m.assigned_employee, m.suggested_customer"
)


# --- whose workbench ---------------------------------------------------------------------------------


def can_inspect(user: str | None = None) -> bool:
	"""Work inspection (H1): managers and holders of ECRM All Customers."""
	return sees_all_customers(user)


def resolve_target(employee: str | None = None) -> frappe._dict:
	"""Whose workbench the caller opens: their own, or (inspection) a salesperson's. Refused otherwise."""
	me = frappe.session.user
	own = employee_of(me)
	if not employee or employee == own:
		name = frappe.db.get_value("ECRM Employee", own, "employee_name") if own else None
		return frappe._dict(
			user=me, employee=own, employee_name=name or frappe.utils.get_fullname(me), inspecting=False
		)
	if not can_inspect(me):
		frappe.throw(
			_("Only managers can inspect another salesperson's work."),
			frappe.PermissionError,
			title=_("Not Permitted"),
		)
	row = frappe.db.get_value("ECRM Employee", employee, ["name", "user", "employee_name"], as_dict=True)
	if not row or not row.user:
		frappe.throw(_("Employee {0} has no user account to inspect.").format(employee))
	return frappe._dict(user=row.user, employee=row.name, employee_name=row.employee_name, inspecting=True)


def mail_parts(target: frappe._dict) -> list[tuple[str, str]]:
	"""Disjoint SQL conditions on `tabECRM Mail` m whose union is the mail the target sees (the rule of
	ent_crm.core.visibility.mail_query_conditions), each with its kind (which index answers it). When someone
	else inspects, personal-mailbox mail is left out unless the inspector may read it."""
	user = target.user
	all_system, all_personal = mail_rights(user)
	me = frappe.db.escape(user)
	if target.inspecting and not mail_rights(frappe.session.user)[1]:
		all_personal, personal_allowed = False, False
	else:
		personal_allowed = True
	parts = []
	if all_system:
		parts.append(("everyone", "m.is_personal = 0"))
	else:
		not_mine = f"(m.assigned_user is null or m.assigned_user != {me})"
		parts += [
			("assigned", f"m.assigned_user = {me} and m.is_personal = 0"),
			(
				"customers",
				f"m.reference_name in (select o.parent from `tabECRM Customer Owner` o where o.parenttype = 'ECRM Customer'"
				f" and o.user = {me}) and m.reference_doctype = 'ECRM Customer' and m.is_personal = 0 and {not_mine}",
			),
			(
				"suppliers",
				f"m.reference_name in (select s.name from `tabECRM Supplier` s where s.merchandiser_user = {me})"
				f" and m.reference_doctype = 'ECRM Supplier' and m.is_personal = 0 and {not_mine}",
			),
		]
	if all_personal:
		parts.append(("everyone", "m.is_personal = 1"))
	elif personal_allowed:
		parts.append(("assigned", f"m.assigned_user = {me} and m.is_personal = 1"))
	if personal_allowed and not (all_system and all_personal):
		# mail stored from another mailbox that also arrived in the target's personal mailbox, less what
		# the other parts already show (the parts are added up, so they must not overlap)
		seen = " or ".join(f"({part})" for _kind, part in parts) or "0"
		parts.append(
			(
				"copies",
				f"m.name in (select c.mail from `tabECRM Mail Copy` c where c.user = {me}) and not coalesce(({seen}), 0)",
			)
		)
	return parts


UNASSIGNED_PART = [("everyone", "m.is_personal = 0")]

# (kind of part, queue) -> the index that answers it; the optimizer alone picks received_at or a
# one-column index and reads hundreds of thousands of rows
INDEX_FOR = {
	("everyone", "unassigned"): "wb_queue_flags_received",
	("everyone", "known"): "wb_queue_flags_received",
	("everyone", "stranger"): "wb_queue_flags_received",
	("everyone", "handled"): "wb_queue_followed",
	("assigned", "known"): "wb_user_queue_received",
	("assigned", "stranger"): "wb_user_queue_received",
	("assigned", "handled"): "wb_queue_followed",
	("assigned", "all"): "wb_user_direction_received",
	("assigned", "sent"): "wb_user_direction_received",
	("assigned", "trash"): "wb_user_queue_received",
	("customers", "known"): "wb_ref_queue_received",
	("customers", "stranger"): "wb_ref_queue_received",
	("customers", "handled"): "wb_queue_followed",
	("customers", "trash"): "wb_ref_queue_received",
}


def index_hint(kind: str, queue: str) -> str:
	name = INDEX_FOR.get((kind, queue))
	if not name:
		return ""
	cache = getattr(frappe.local, "ecrm_workbench_indexes", None)
	if cache is None:
		cache = frappe.local.ecrm_workbench_indexes = {}
	if name not in cache:
		cache[name] = bool(frappe.db.has_index("tabECRM Mail", name))
	return f"force index (`{name}`)" if cache[name] else ""


def sees_unassigned(target: frappe._dict) -> bool:
	return is_mail_admin(target.user)


# --- counts ------------------------------------------------------------------------------------------


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
		parts = UNASSIGNED_PART if key == "unassigned" else mail_parts(target)
		total = 0
		for kind, part in parts:
			hint = index_hint(kind, key)
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


# --- lists -------------------------------------------------------------------------------------------


def mail_page(target: frappe._dict, queue: str, start: int = 0, page_length: int = PAGE_LENGTH) -> dict:
	if queue not in MAIL_QUEUES or (queue == "unassigned" and not sees_unassigned(target)):
		frappe.throw(_("Unknown queue: {0}").format(queue))
	start, page_length = max(cint(start), 0), min(max(cint(page_length) or PAGE_LENGTH, 1), 100)
	condition = MAIL_QUEUES[queue][1]
	parts = UNASSIGNED_PART if queue == "unassigned" else mail_parts(target)
	params = {"since": add_days(now_datetime(), -HANDLED_DAYS), "limit": start + page_length + 1}
	# the archive folders hold most of the mail: look at the newest month first, widen only if it has too
	# few (the newest rows of a window are the newest of all)
	windows = (30, 365, None) if queue in ("all", "sent", "trash") else (None,)
	for days in windows:
		params["window"] = add_days(now_datetime(), -days) if days else None
		window = "and m.received_at >= %(window)s" if days else ""
		rows = []
		for kind, part in parts:  # each part's newest start+n+1 rows, merged: the union's page
			rows += frappe.db.sql(
				f"""select {LIST_FIELDS} from `tabECRM Mail` m {index_hint(kind, queue)} where ({part}) and {condition}
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
	if sees_all_customers(target.user) or MAIL_ADMIN in frappe.get_roles(target.user):
		return "1=1"
	return (
		"c.name in (select o.parent from `tabECRM Customer Owner` o where o.parenttype = 'ECRM Customer'"
		f" and o.user = {frappe.db.escape(target.user)})"
	)


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


# --- whitelisted API ---------------------------------------------------------------------------------


def require_desk_user() -> None:
	roles = set(frappe.get_roles())
	allowed = {MANAGER, ALL_CUSTOMERS, MAIL_ADMIN, "ECRM Salesperson", "System Manager"}
	if frappe.session.user != "Administrator" and not roles & allowed:
		frappe.throw(_("The workbench is for the CRM's users."), frappe.PermissionError)


def target_info(target: frappe._dict) -> dict:
	return {
		"user": target.user,
		"employee": target.employee,
		"employee_name": target.employee_name,
		"inspecting": target.inspecting,
	}


@frappe.whitelist(methods=["GET", "POST"])
def first_paint(employee: str | None = None, queue: str | None = None) -> dict:
	"""Everything the page shows first: whose workbench, the queues with counts and the first page of
	the chosen (or first pending) queue."""
	require_desk_user()
	target = resolve_target(employee)
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


def mailbox_banner() -> dict:
	"""Mail admins and System Managers: whether they see mailbox health, and its warnings (issue 11)."""
	shown = health.can_see_health()
	return {"sees_mailbox_health": shown, "mailbox_warnings": health.warnings() if shown else []}


def salespeople() -> list[dict]:
	"""Whom an inspector can pick: the salespeople in service."""
	return frappe.get_all(
		"ECRM Employee",
		filters={"is_salesperson": 1, "status": "In Service"},
		fields=["name", "employee_name"],
		order_by="name asc",
	)


def get_page(target, queue: str, start: int = 0, region: str | None = None) -> dict:
	if queue == "reminders":
		return reminder_page(target)
	if queue == "contacts":
		return contact_page(target, start)
	if queue == "region":
		return customer_page(target, region, start)
	return mail_page(target, queue, start)


@frappe.whitelist(methods=["GET", "POST"])
def queue_counts(employee: str | None = None) -> list[dict]:
	require_desk_user()
	return queues(resolve_target(employee))


@frappe.whitelist(methods=["GET", "POST"])
def list_queue(queue: str, employee: str | None = None, start: int = 0, region: str | None = None) -> dict:
	require_desk_user()
	return get_page(resolve_target(employee), queue, start, region)


@frappe.whitelist(methods=["GET", "POST"])
def regions(employee: str | None = None) -> list[dict]:
	require_desk_user()
	return customer_regions(resolve_target(employee))


@frappe.whitelist(methods=["GET", "POST"])
def read_mail(mail: str, employee: str | None = None) -> dict:
	"""One mail for the reader: headers, sanitized HTML, plain text, attachments, and the actions the
	caller may take on it (the server checks each again)."""
	require_desk_user()
	target = resolve_target(employee)
	doc = frappe.get_doc(MAIL, mail)
	if not frappe.has_permission(MAIL, "read", doc=doc):
		frappe.throw(_("You cannot read this mail."), frappe.PermissionError)
	if target.inspecting and not in_view(target, mail):
		frappe.throw(
			_("This mail is not in {0}'s mail.").format(target.employee_name), frappe.PermissionError
		)
	html, text, comm = "", "", frappe._dict()
	if doc.communication:
		comm = (
			frappe.db.get_value(
				"Communication",
				doc.communication,
				["content", "recipients", "cc", "communication_date"],
				as_dict=True,
			)
			or frappe._dict()
		)
		html, text = mail_bodies(comm.content or "")
	attachments = frappe.get_all(
		"File",
		filters={
			"attached_to_doctype": ("in", ["Communication", MAIL]),
			"attached_to_name": ("in", [doc.communication or "", doc.name]),
		},
		fields=["name", "file_name", "file_url", "file_size"],
		order_by="creation asc",
	)
	return {
		"name": doc.name,
		"subject": doc.subject,
		"sender": doc.sender,
		"sender_name": doc.sender_name,
		"recipients": comm.get("recipients"),
		"cc": comm.get("cc"),
		"received_at": doc.received_at,
		"direction": doc.direction,
		"queue": doc.queue,
		"queue_label": _(doc.queue),
		"reference_doctype": doc.reference_doctype,
		"reference_name": doc.reference_name,
		"reference_title": doc.reference_title,
		"contact_name": doc.contact_name,
		"suggested_customer": doc.suggested_customer,
		"is_personal": doc.is_personal,
		"is_auto_reply": doc.is_auto_reply,
		"is_bounce": doc.is_bounce,
		"notes": doc.notes,
		"followed_by": doc.followed_by,
		"followed_at": doc.followed_at,
		"read_receipt_at": doc.get("read_receipt_at"),
		"communication": doc.communication,
		"html": html,
		"text": text,
		"attachments": attachments,
		"actions": mail_actions(doc),
	}


def in_view(target: frappe._dict, mail: str) -> bool:
	extra = [("everyone", "m.is_personal = 0 and m.queue = 'Unassigned'")] if sees_unassigned(target) else []
	for _kind, part in mail_parts(target) + extra:
		if frappe.db.sql(f"select 1 from `tabECRM Mail` m where m.name = %s and ({part}) limit 1", mail):
			return True
	return False


def mail_bodies(content: str) -> tuple[str, str]:
	"""(HTML safe to show, plain text) of a Communication's content, which is HTML or plain text."""
	from bs4 import BeautifulSoup
	from frappe.utils.html_utils import sanitize_html
	from markdownify import markdownify

	if "<" in content and ">" in content:
		soup = BeautifulSoup(content, "html.parser")
		for element in soup(["script", "noscript", "iframe", "object", "embed", "form"]):
			element.decompose()  # gone, not shown escaped
		html = sanitize_html(str(soup), always_sanitize=True)
		text = markdownify(
			html, heading_style="ATX", strip=["a", "img", "b", "strong", "i", "em", "u", "span", "font"]
		)
		return html, text.strip()
	return f'<div style="white-space: pre-wrap">{escape_html(content)}</div>', content


def mail_actions(doc) -> list[str]:
	"""The triage actions that fit the mail's queue and the caller's rights (as on the mail form)."""
	if not frappe.has_permission(MAIL, "write", doc=doc):
		return []
	admin, queue = is_mail_admin(), doc.queue
	actions = []
	if queue == routing.UNASSIGNED and admin:
		actions.append("distribute")
	if queue in (routing.UNASSIGNED, routing.STRANGER):
		actions += ["merge", "new_customer", "new_supplier"]
	if queue == routing.STRANGER:
		actions.append("forward_to_salesperson")
	if queue in (routing.UNASSIGNED, routing.KNOWN, routing.STRANGER, "Handled"):
		actions += [
			"mark_followed",
			"copy_to_colleagues",
			"trash",
			"recycle_bin",
			"block_address",
			"block_domain",
		]
	if queue in ("Trash", routing.RECYCLE_BIN):
		actions.append("restore")
		if admin:
			actions.append("delete_forever")
	if doc.communication:
		actions += ["reply", "reply_all", "forward", "forward_attachment"]
	if doc.reference_doctype == "ECRM Customer" and doc.reference_name:
		actions.append("contact_log")
	return actions


# --- indexes -----------------------------------------------------------------------------------------

MAIL_INDEXES = {
	# a queue's page, newest first, for those who see all mail; the counts of a queue from the index alone
	"wb_queue_flags_received": ["queue", "is_personal", "is_auto_reply", "is_bounce", "received_at"],
	# handled in the last 7 days, counted from the index alone for every kind of viewer
	"wb_queue_followed": [
		"queue",
		"followed_at",
		"is_personal",
		"assigned_user",
		"reference_doctype",
		"reference_name",
	],
	# mail assigned to one salesperson (stranger, personal mailbox, sent) by queue, newest first
	"wb_user_queue_received": ["assigned_user", "queue", "received_at"],
	# mail assigned to one salesperson, received or sent, newest first (all mail, sent)
	"wb_user_direction_received": ["assigned_user", "direction", "received_at"],
	# mail of one customer by queue, newest first (the salesperson's own customers)
	"wb_ref_queue_received": ["reference_name", "queue", "received_at"],
}


def add_indexes() -> None:
	"""The indexes the workbench reads by (after_install and after_migrate; nothing when present)."""
	for name, fields in MAIL_INDEXES.items():
		frappe.db.add_index("ECRM Mail", fields, name)


# --- number cards on the workspace --------------------------------------------------------------------


@frappe.whitelist(methods=["GET", "POST"])
def pending_mail_card(filters=None) -> dict:
	"""Number card "Pending Mail": the caller's known and stranger pending mail (and unassigned for mail
	admins); a click opens the workbench."""
	require_desk_user()
	counts = mail_counts(resolve_target(None))
	value = sum(counts.get(key) or 0 for key in ("unassigned", "known", "stranger"))
	return {"value": value, "fieldtype": "Int", "route": ["ecrm-workbench"]}


@frappe.whitelist(methods=["GET", "POST"])
def pending_mail_chart(**kwargs) -> dict:
	"""Dashboard chart "Pending Mail by Queue" (custom source): the caller's workbench counts."""
	require_desk_user()
	counts = mail_counts(resolve_target(None))
	keys = [key for key in ("unassigned", "known", "stranger") if key in counts]
	return {
		"labels": [_(MAIL_QUEUES[key][0]) for key in keys],
		"datasets": [{"name": _("Pending Mail"), "values": [counts[key] for key in keys]}],
	}


@frappe.whitelist(methods=["GET", "POST"])
def reminders_due_card(filters=None) -> dict:
	"""Number card "Reminders Due": the caller's follow-up reminders due today or earlier."""
	require_desk_user()
	return {
		"value": reminder_count(resolve_target(None)) or 0,
		"fieldtype": "Int",
		"route": ["ecrm-follow-up"],
	}
