"""Follow-up reminders (F2, F3) as Frappe ToDo rows.

A reminder is a ToDo allocated to one owner of a customer, referencing the customer, with the due day
in `date`; status Open until it is answered (Closed), cancelled (Cancelled) or postponed (new date).
There is at most one open reminder per customer and owner: scheduling again moves it to the new day.
A daily job sends each user one bell notification (Notification Log) about their due reminders, and an
e-mail too when their personal settings ask for it.
"""

import frappe
from frappe import _
from frappe.utils import cint, escape_html, get_url_to_form, getdate, nowdate

from ent_crm.core.rights import sees_all_customers
from ent_crm.core.visibility import customer_query_conditions, personal_mail_condition
from ent_crm.followup.dates import due_after, off_weekend
from ent_crm.followup.history import mail_counts_as_contact
from ent_crm.personal.settings import wants_reminder_email

REFERENCE = "ECRM Customer"
DUE_PAGE = 100  # the page lists the oldest 100 due reminders (and shows how many there are)


def followup_settings() -> frappe._dict:
	values = frappe.db.get_singles_dict("ECRM Settings")
	return frappe._dict(
		default_followup_days=cint(values.get("default_followup_days")),
		skip_weekends=bool(cint(values.get("skip_weekends"))),
	)


def due_date_after_days(days: int | None, start=None):
	"""The reminder day for 'follow up in N days' from `start` (today), or None when N is 0."""
	return due_after(getdate(start or nowdate()), cint(days), followup_settings().skip_weekends)


def default_due_date(start=None):
	"""The reminder day the settings suggest for a new contact (F3), or None when they suggest none."""
	return due_date_after_days(followup_settings().default_followup_days, start)


def owner_users(customer: str) -> list[str]:
	return frappe.get_all(
		"ECRM Customer Owner",
		filters={"parenttype": REFERENCE, "parent": customer, "user": ("is", "set")},
		pluck="user",
		order_by="idx asc",
	)


def schedule(
	customer: str,
	due_date,
	source_doctype: str,
	source_name: str,
	description: str = "",
	ignore_permissions: bool = False,
) -> list[str]:
	"""Make or move one open reminder per owner of `customer` to `due_date` (off weekends per settings).

	The caller must be able to read the customer, unless `ignore_permissions` (the app's own flows that
	checked the customer when it was chosen: a sent mail's next contact, a mail marked followed)."""
	if not (customer and due_date):
		return []
	due = off_weekend(getdate(due_date), followup_settings().skip_weekends)
	customer_name = frappe.db.get_value(REFERENCE, customer, "customer_name")
	if customer_name is None:
		frappe.throw(_("Customer {0} does not exist.").format(customer))
	if not ignore_permissions and not frappe.has_permission(REFERENCE, "read", doc=customer):
		frappe.throw(_("You cannot set reminders for a customer you cannot see."), frappe.PermissionError)
	text = _description(customer_name, source_doctype, source_name, description)
	names = []
	for user in owner_users(customer):
		existing = _open_reminder(customer, user)
		if existing:
			frappe.db.set_value("ToDo", existing, {"date": due, "description": text})
			names.append(existing)
			continue
		todo = frappe.get_doc(
			{
				"doctype": "ToDo",
				"allocated_to": user,
				"assigned_by": frappe.session.user,
				"date": due,
				"description": text,
				"priority": "Medium",
				"reference_type": REFERENCE,
				"reference_name": customer,
				"status": "Open",
			}
		).insert(ignore_permissions=True)
		names.append(todo.name)
	return names


def _description(customer_name, source_doctype, source_name, description) -> str:
	lines = [_("Follow up with {0}").format(escape_html(customer_name or ""))]
	if description:
		lines.append(escape_html(description))
	if source_doctype and source_name:
		lines.append(
			f'<a href="{get_url_to_form(source_doctype, source_name)}">{escape_html(_(source_doctype))}</a>'
		)
	return "".join(f"<p>{line}</p>" for line in lines)


def _open_reminder(customer: str, user: str) -> str | None:
	return frappe.db.get_value(
		"ToDo",
		{"reference_type": REFERENCE, "reference_name": customer, "allocated_to": user, "status": "Open"},
		"name",
	)


def close_due(customer: str, user: str) -> int:
	"""A contact with the customer answers the user's reminder that is due (today or earlier)."""
	names = frappe.get_all(
		"ToDo",
		filters={
			"reference_type": REFERENCE,
			"reference_name": customer,
			"allocated_to": user,
			"status": "Open",
			"date": ("<=", nowdate()),
		},
		pluck="name",
	)
	for name in names:
		_set_status(name, "Closed")
	return len(names)


def close_open(customer: str, user: str) -> int:
	"""The follow-up with the customer is done (F1): the user's open reminder for it is closed, due or not."""
	name = _open_reminder(customer, user)
	if name:
		_set_status(name, "Closed")
	return 1 if name else 0


def _set_status(todo: str, status: str) -> None:
	doc = frappe.get_doc("ToDo", todo)
	doc.status = status
	doc.save(ignore_permissions=True)


# --- reading ----------------------------------------------------------------------------------------------


def _user_for_reading(user: str | None) -> str:
	me = frappe.session.user
	user = user or me
	if user != me and not sees_all_customers(me):
		frappe.throw(_("You may only see your own reminders."), frappe.PermissionError)
	return user


def _visible_customers(user: str) -> str:
	"""SQL: the due list shows reminders of customers the user may read (anyone can make a ToDo of their
	own pointing at any customer; it must not reveal that customer's name or last contact)."""
	visible = customer_query_conditions(user)
	return f" and {visible}" if visible else ""


def count_due(user: str | None = None, on_date=None) -> int:
	return _count_due(_user_for_reading(user), on_date)


def _count_due(user: str, on_date=None) -> int:
	return frappe.db.sql(
		f"""select count(*) from `tabToDo` t join `tabECRM Customer` on `tabECRM Customer`.name = t.reference_name
		where t.reference_type = %(ref)s and t.allocated_to = %(user)s and t.status = 'Open'
			and t.date <= %(day)s{_visible_customers(user)}""",
		{"ref": REFERENCE, "user": user, "day": getdate(on_date or nowdate())},
	)[0][0]


def due_reminders(user: str | None = None, on_date=None, limit: int = 500) -> list[dict]:
	"""The user's open reminders due on or before `on_date` (today), oldest first, with the last contact."""
	user = _user_for_reading(user)
	rows = frappe.db.sql(
		f"""select t.name as todo, t.reference_name as customer, `tabECRM Customer`.customer_name,
			t.date as due_date, t.description
		from `tabToDo` t join `tabECRM Customer` on `tabECRM Customer`.name = t.reference_name
		where t.reference_type = %(ref)s and t.allocated_to = %(user)s and t.status = 'Open'
			and t.date <= %(day)s{_visible_customers(user)}
		order by t.date asc, t.creation asc limit %(limit)s""",
		{"ref": REFERENCE, "user": user, "day": getdate(on_date or nowdate()), "limit": cint(limit)},
		as_dict=True,
	)
	last = last_contacts([r.customer for r in rows])
	for row in rows:
		row.update(last.get(row.customer) or {"last_contact_date": None, "last_contact_kind": None})
	return rows


def last_contacts(customers: list[str], user: str | None = None) -> dict[str, dict]:
	"""customer -> the latest contact (mail in or out, or a contact log): date, kind, subject, doctype, name.

	The customers are ones the user (the session user) may read; of their mail, another salesperson's
	personal-mailbox mail is left out (ent_crm.core.visibility.personal_mail_condition)."""
	if not customers:
		return {}
	personal = personal_mail_condition(user or frappe.session.user, "m")
	inner_personal = personal_mail_condition(user or frappe.session.user, "i")
	found: dict[str, dict] = {}

	def keep(customer, when, kind, subject, doctype, name):
		if when and (customer not in found or when > found[customer]["last_contact_date"]):
			found[customer] = {
				"last_contact_date": when,
				"last_contact_kind": kind,
				"last_contact_subject": subject,
				"last_contact_doctype": doctype,
				"last_contact_name": name,
			}

	logs = frappe.db.sql(
		"""select l.customer, l.contact_date, l.method, l.subject, l.name from `tabECRM Contact Log` l
		join (select customer, max(contact_date) as latest from `tabECRM Contact Log`
			where customer in %(c)s group by customer) m on m.customer = l.customer and m.latest = l.contact_date""",
		{"c": customers},
		as_dict=True,
	)
	for r in logs:
		keep(r.customer, r.contact_date, r.method or _("Contact Log"), r.subject, "ECRM Contact Log", r.name)
	mails = frappe.db.sql(
		f"""select m.reference_name as customer, m.received_at, m.direction, m.subject, m.name
		from `tabECRM Mail` m join (select i.reference_name, max(i.received_at) as latest from `tabECRM Mail` i
			where i.reference_doctype = 'ECRM Customer' and i.reference_name in %(c)s and {mail_counts_as_contact("i")}
			{"and " + inner_personal if inner_personal else ""}
			group by i.reference_name) x on x.reference_name = m.reference_name and x.latest = m.received_at
		where m.reference_doctype = 'ECRM Customer' and {mail_counts_as_contact("m")}
			{"and " + personal if personal else ""}""",
		{"c": customers},
		as_dict=True,
	)
	for r in mails:
		kind = _("Mail Sent") if r.direction == "Outbound" else _("Mail Received")
		keep(r.customer, r.received_at, kind, r.subject, "ECRM Mail", r.name)
	return found


# --- actions on one reminder (F2) -------------------------------------------------------------------------


def reminder_row(todo: str) -> frappe._dict:
	row = frappe.db.get_value(
		"ToDo", todo, ["name", "allocated_to", "reference_type", "reference_name", "status"], as_dict=True
	)
	if not row or row.reference_type != REFERENCE:
		frappe.throw(_("Reminder {0} does not exist.").format(todo), frappe.DoesNotExistError)
	return row


def check_my_reminder(todo: str) -> None:
	"""A reminder is acted on by the user it is allocated to, or by one who sees every customer."""
	row = reminder_row(todo)
	user = frappe.session.user
	if row.allocated_to != user and not sees_all_customers(user):
		frappe.throw(_("This reminder belongs to another user."), frappe.PermissionError)


# ent_crm.followup.api checks the caller (check_my_reminder) before these run.


def postpone(todo: str, new_date: str) -> str:
	"""Move a reminder to a later day; it leaves the due list until then."""
	row = reminder_row(todo)
	if not new_date:
		frappe.throw(_("Please choose the day to be reminded again."))
	day = getdate(new_date)
	if day <= getdate(nowdate()):
		frappe.throw(_("Please choose a day after today to postpone to."))
	if row.status != "Open":
		frappe.throw(_("This reminder is no longer open."))
	frappe.db.set_value("ToDo", todo, "date", day)
	return str(day)


def cancel(todo: str) -> None:
	"""Drop a reminder without contacting the customer."""
	row = reminder_row(todo)
	if row.status == "Open":
		_set_status(todo, "Cancelled")


def close(todo: str) -> None:
	"""Mark a reminder answered (after a mail, fax or other contact)."""
	row = reminder_row(todo)
	if row.status == "Open":
		_set_status(todo, "Closed")


def get_due(employee: str | None = None) -> dict:
	"""The F2 due list of the page: count and rows; a manager may look at one salesperson's list (only
	they: due_reminders and count_due refuse anybody else's list)."""
	user = None
	if employee:
		user = frappe.db.get_value("ECRM Employee", employee, "user")
		if not user:
			frappe.throw(_("Salesperson {0} has no user account.").format(employee))
	rows = due_reminders(user, limit=DUE_PAGE)
	return {"count": count_due(user), "reminders": rows}


def followup_defaults() -> dict:
	"""What the contact-log form proposes (F3): the default next contact day (ent_crm.followup.api checks
	the user may log contacts)."""
	due = default_due_date()
	return {"next_followup_date": str(due) if due else None, **followup_settings()}


# --- the daily job (F2) -----------------------------------------------------------------------------------


def send_daily_reminders(on_date=None) -> int:
	"""Scheduler (daily): one bell notification per user with reminders due, e-mail when they want it."""
	day = getdate(on_date or nowdate())
	counts = frappe.db.sql(
		"""select allocated_to as user, count(*) as n from `tabToDo`
		where reference_type = %s and status = 'Open' and date <= %s and allocated_to is not null
		group by allocated_to""",
		(REFERENCE, day),
		as_dict=True,
	)
	for row in counts:  # only customers the user may read count (a to-do of one's own can name any)
		row.n = _count_due(row.user, day)
	counts = [row for row in counts if row.n]
	if not counts:
		return 0
	enabled = set(
		frappe.get_all("User", filters={"name": ("in", [c.user for c in counts]), "enabled": 1}, pluck="name")
	)
	link = "/app/ecrm-follow-up"
	sent = 0
	for row in counts:
		if row.user not in enabled:
			continue
		lang = frappe.db.get_value("User", row.user, "language") or None
		subject = _("{0} customers are due for follow-up today", lang=lang).format(row.n)
		frappe.get_doc(
			{
				"doctype": "Notification Log",
				"for_user": row.user,
				"from_user": "Administrator",
				"type": "Alert",
				"subject": subject,
				"email_content": subject,
				"link": link,
				"document_type": REFERENCE,
			}
		).insert(ignore_permissions=True)
		if _wants_email(row.user):
			try:
				frappe.sendmail(
					recipients=[row.user],
					subject=subject,
					message=f'<p>{escape_html(subject)}</p><p><a href="{frappe.utils.get_url(link)}">'
					f"{escape_html(_('Open the follow-up page', lang=lang))}</a></p>",
					reference_doctype="User",
					reference_name=row.user,
				)
			except (
				Exception
			):  # no or a broken outgoing mailbox: the bell still rings, the others still get theirs
				frappe.log_error(title=_("Follow-up reminder e-mail not sent"))
		sent += 1
	return sent


def _wants_email(user: str) -> bool:
	return bool(wants_reminder_email(user))
