"""What people do with inbound mail (D2–D9): distribute, merge, file, trash, block, forward, follow.

Every action checks the caller's right first (and so does its endpoint in ent_crm.mail.api). Mail admins (and managers) work the unassigned queue; a
salesperson works the mail they can see (their known and stranger queues) and nothing else.
"""

import frappe
from frappe import _
from frappe.utils import getdate, now_datetime

from ent_crm.core.addresses import domain_of, normalise
from ent_crm.core.rights import CRM_ROLES, employee_of, is_crm_user, is_mail_admin, sees_all_customers
from ent_crm.customers import address_index
from ent_crm.customers.ownership_actions import name_list
from ent_crm.followup import reminders
from ent_crm.mail import routing
from ent_crm.mail.inbound import decide_route, link_timeline, receive_raw
from ent_crm.messages.sending import send_system_message

MAIL = "ECRM Mail"
WAITING = (routing.UNASSIGNED, routing.STRANGER)
OPEN_QUEUES = (routing.UNASSIGNED, routing.KNOWN, routing.STRANGER)


# --- rights ------------------------------------------------------------------------------------------


def require_mail_admin() -> None:
	if not is_mail_admin():
		frappe.throw(_("Only a mail admin can do this."), frappe.PermissionError)


def get_mail(name: str, ptype: str = "write"):
	"""The mail, if the caller may act on it (read permission follows the queues)."""
	mail = frappe.get_doc(MAIL, name)
	if not frappe.has_permission(MAIL, ptype, doc=mail):
		frappe.throw(_("You cannot work on this mail."), frappe.PermissionError)
	return mail


def deletable_mail(name: str):
	"""The mail, if the caller may delete it: by the delete right on it, else as a mail admin."""
	if frappe.has_permission(MAIL, "delete"):
		return get_mail(name, "delete")
	require_mail_admin()
	return frappe.get_doc(MAIL, name)


def require_mail_reader() -> None:
	if not frappe.has_permission(MAIL, "read"):
		frappe.throw(_("You cannot work on this mail."), frappe.PermissionError)


def counted_user(employee: str | None = None) -> str:
	"""Whose queues to count: the caller's, or (managers only) another salesperson's."""
	if employee and employee != employee_of():
		if not sees_all_customers():
			frappe.throw(_("Only managers can look at another salesperson's mail."), frappe.PermissionError)
		return frappe.db.get_value("ECRM Employee", employee, "user")
	return frappe.session.user


def in_service_salesperson(employee: str) -> frappe._dict:
	row = frappe.db.get_value(
		"ECRM Employee", employee, ["name", "user", "status", "is_salesperson", "employee_name"], as_dict=True
	)
	if not row or row.status != "In Service" or not row.is_salesperson:
		frappe.throw(_("Mail can only be routed to a salesperson who is in service."))
	return row


# --- D2 distribute, D6 forward -----------------------------------------------------------------------


def distribute(mail: str, employee: str, note: str = "", route_address: int = 0) -> str:
	"""Give an unassigned mail to a salesperson (D2); optionally route its address to them from now on."""
	require_mail_admin()
	doc = get_mail(mail)
	if doc.queue != routing.UNASSIGNED:
		frappe.throw(_("Only unassigned mail can be distributed; this mail is in {0}.").format(_(doc.queue)))
	person = in_service_salesperson(employee)
	assign(doc, person.name, note)
	if int(route_address or 0) and doc.sender:
		set_routing_rule(doc.sender, person.name, note)
	notify(person.user, doc, _("Mail distributed to you: {0}").format(doc.subject or doc.sender or ""), note)
	return doc.queue


def forward_to_salesperson(mail: str, employee: str, note: str = "") -> str:
	"""Hand a stranger mail over to another salesperson (D6): it moves to them."""
	doc = get_mail(mail)
	if doc.queue != routing.STRANGER:
		frappe.throw(_("Only stranger mail can be handed to another salesperson."))
	person = in_service_salesperson(employee)
	assign(doc, person.name, note)
	notify(person.user, doc, _("Mail handed over to you: {0}").format(doc.subject or doc.sender or ""), note)
	return doc.queue


def assign(doc, employee: str, note: str = "") -> None:
	doc.queue = routing.STRANGER
	doc.assigned_employee = employee
	if note:
		doc.notes = "\n".join(filter(None, [doc.notes, note]))
	doc.save(ignore_permissions=True)


def notify(user: str, doc, subject: str, note: str = "") -> None:
	"""A bell notification (Frappe's Notification Log), which also e-mails the user if they chose that,
	and an internal message (J1: distribution notes arrive as messages, a pop-up when they are online)."""
	send_system_message([user], subject, note or subject, reference_doctype=MAIL, reference_name=doc.name)
	frappe.get_doc(
		{
			"doctype": "Notification Log",
			"for_user": user,
			"from_user": frappe.session.user,
			"type": "Alert",
			"document_type": MAIL,
			"document_name": doc.name,
			"subject": subject,
			"email_content": note,
		}
	).insert(ignore_permissions=True)


# --- D3 merge, D4 file -------------------------------------------------------------------------------


def merge(mail: str, customer: str, scope: str = "mail") -> str:
	"""Merge into an existing customer or supplier record (D3): this mail only, or the address for good."""
	doc = get_mail(mail)
	if doc.queue not in WAITING:
		frappe.throw(_("Only unassigned or stranger mail can be merged into a record."))
	doctype = (
		"ECRM Supplier"
		if customer.startswith("S") and frappe.db.exists("ECRM Supplier", customer)
		else "ECRM Customer"
	)
	record = frappe.get_doc(doctype, customer)
	if scope == "address":
		if not doc.sender:
			frappe.throw(_("This mail has no sender address to add."))
		record.check_permission("write")
		record.backup_emails_text = "; ".join(filter(None, [record.backup_emails_text, doc.sender]))
		record.save()  # the address index adopts the waiting mail of this address
		doc.reload()
		return doc.queue
	if scope != "mail":
		frappe.throw(_("Merge either this mail or the address."))
	record.check_permission("read")
	attach_to_record(doc, doctype, record.name)
	return doc.queue


def attach_to_record(doc, doctype: str, name: str, contact_name: str | None = None) -> None:
	doc.queue = routing.KNOWN
	doc.reference_doctype, doc.reference_name, doc.contact_name = doctype, name, contact_name
	doc.reference_title = frappe.db.get_value(doctype, name, frappe.get_meta(doctype).title_field)
	if not doc.is_personal:
		doc.assigned_employee = None
	doc.suggested_customer = None
	doc.save(ignore_permissions=True)
	if doc.communication:
		communication = frappe.get_doc("Communication", doc.communication)
		if not any(l.link_doctype == doctype and l.link_name == name for l in communication.timeline_links):
			link_timeline(communication, routing.Route(routing.KNOWN, "merged", doctype, name, contact_name))


def adopt_waiting_mail(doctype: str, name: str, addresses: dict) -> int:
	"""Called when addresses join a record (filed from a mail, merged, typed in): their waiting mail
	follows them onto the record (D3, D4). `addresses` maps address -> (kind, contact name)."""
	if not addresses:
		return 0
	waiting = frappe.get_all(
		MAIL,
		filters={"sender": ("in", list(addresses)), "queue": ("in", WAITING), "direction": "Inbound"},
		pluck="name",
	)
	for mail in waiting:
		doc = frappe.get_doc(MAIL, mail)
		attach_to_record(doc, doctype, name, addresses.get(doc.sender, (None, None))[1])
	if waiting:
		frappe.db.delete("ECRM Routing Rule", {"name": ("in", list(addresses))})
	return len(waiting)


def new_record_from_mail(mail: str) -> dict:
	"""Values to prefill a new customer (or supplier) with, from the mail's sender (D4)."""
	doc = get_mail(mail, "read")
	name = doc.sender_name or ""
	domain = domain_of(doc.sender)
	company = domain.split(".")[0].replace("-", " ").title() if domain else ""
	return {
		"primary_email": doc.sender,
		"customer_name": company or name,
		"supplier_name": company or name,
		"contacts": [{"contact_name": name or doc.sender, "email": doc.sender}] if name else [],
	}


# --- D5 trash, recycle bin, delete, block ------------------------------------------------------------


def move_to(mail: str, queue: str) -> str:
	"""Trash or recycle bin (D5)."""
	if queue not in ("Trash", routing.RECYCLE_BIN):
		frappe.throw(_("Mail can be moved to the trash or the recycle bin only."))
	doc = get_mail(mail)
	doc.queue = queue
	doc.save(ignore_permissions=True)
	return doc.queue


def restore(mail: str) -> str:
	"""Bring a mail back from the trash or the recycle bin: it is routed again as if it had just come."""
	doc = get_mail(mail)
	if doc.queue not in ("Trash", routing.RECYCLE_BIN):
		frappe.throw(_("Only mail in the trash or the recycle bin can be restored."))
	route = decide_route(doc.sender, frappe.get_doc("Email Account", doc.email_account))
	doc.queue = routing.UNASSIGNED if route.queue == routing.RECYCLE_BIN else route.queue
	doc.reference_doctype, doc.reference_name, doc.contact_name = (
		route.reference_doctype,
		route.reference_name,
		route.contact_name,
	)
	doc.reference_title = route.reference_title
	doc.assigned_employee = route.assigned_employee
	doc.save(ignore_permissions=True)
	return doc.queue


def delete_forever(mail: str) -> None:
	"""Delete a mail for good, with its Communication and attachments (D5)."""
	doc = deletable_mail(mail)
	communication = doc.communication
	frappe.delete_doc(MAIL, doc.name, ignore_permissions=True)
	if communication and frappe.db.exists("Communication", communication):
		frappe.delete_doc("Communication", communication, ignore_permissions=True)


def block(mail: str, scope: str = "address", reason: str = "") -> str:
	"""Refuse the sender from now on (D5): its address or its whole domain; this mail goes to the recycle bin."""
	doc = get_mail(mail)
	if not doc.sender:
		frappe.throw(_("This mail has no sender address to block."))
	value = doc.sender if scope == "address" else domain_of(doc.sender)
	if scope == "domain" and address_index.lookup(doc.sender):
		frappe.throw(
			_("{0} belongs to a customer or supplier; block the single address instead.").format(doc.sender)
		)
	if not frappe.db.exists("ECRM Blocked Sender", value):
		frappe.get_doc({"doctype": "ECRM Blocked Sender", "sender": value, "reason": reason}).insert(
			ignore_permissions=True
		)
	doc.queue = routing.RECYCLE_BIN
	doc.save(ignore_permissions=True)
	return value


# --- D7 mark followed --------------------------------------------------------------------------------


class ReminderExists(frappe.ValidationError):
	"""The customer already has an open reminder on another day: keep it or move it, but say which."""


KEEP, MOVE = "keep", "move"


def mark_followed(
	mail: str | None = None,
	contact_purpose: str = "",
	mail_category: str = "",
	products=None,
	followup_days: int = 0,
	reminder: str = "",
) -> str:
	"""Mark a known mail followed (D7) with what it was about; the reminder belongs to the follow-up rules.

	When the customer already has an open reminder on another day than "in N days", the caller must say
	whether to keep it (`reminder="keep"`) or move it (`reminder="move"`): a date someone just set is never
	overwritten silently."""
	if not mail:
		frappe.throw(_("Please choose the mail to mark followed."), title=_("Invalid Input"))
	doc = get_mail(mail)
	if doc.queue not in OPEN_QUEUES + ("Handled",):
		frappe.throw(_("Mail in the trash or the recycle bin cannot be marked followed."))
	days = max(int(followup_days or 0), 0)
	customer = doc.reference_name if doc.reference_doctype == "ECRM Customer" else None
	due = None
	if days and customer:
		due = reminders.due_date_after_days(days)
		existing = existing_reminder_date(customer, other_than=due)
		if existing:
			if reminder == KEEP:
				due = None
			elif reminder != MOVE:
				frappe.throw(
					_(
						"{0} already has a follow-up reminder on {1}. Keep that day, or move the reminder to {2}?"
					).format(
						doc.reference_title or customer,
						frappe.format(existing, "Date"),
						frappe.format(due, "Date"),
					),
					ReminderExists,
					title=_("Follow-up Reminder Exists"),
				)
	doc.queue = "Handled"
	doc.contact_purpose = contact_purpose or None
	doc.mail_category = mail_category or None
	doc.followup_days = days
	doc.set("products", [{"product": p} for p in name_list(products or [])])
	doc.followed_by, doc.followed_at = frappe.session.user, now_datetime()
	doc.save(ignore_permissions=True)
	if due:
		# the caller may work on this mail; the reminders go to the customer's owners
		reminders.schedule(customer, due, MAIL, doc.name, doc.subject or "", ignore_permissions=True)
	return doc.queue


def existing_reminder_date(customer: str, other_than=None, user: str | None = None):
	"""The day of an open follow-up reminder of this customer (scheduling moves every owner's): the user's
	own first, else the earliest; with `other_than`, only a day that differs from it. None when none."""
	rows = frappe.get_all(
		"ToDo",
		filters={"reference_type": "ECRM Customer", "reference_name": customer, "status": "Open"},
		fields=["allocated_to", "date"],
		order_by="date asc",
	)
	user = user or frappe.session.user
	dates = [getdate(r.date) for r in rows if r.date and r.allocated_to == user]
	dates += [getdate(r.date) for r in rows if r.date and r.allocated_to != user]
	dates = [d for d in dates if other_than is None or d != getdate(other_than)]
	return dates[0] if dates else None


def followup_proposal(mail: str) -> dict:
	"""What the Mark Followed dialog proposes: the default days and their day, and the customer's open
	reminder when there is one (the dialog proposes to keep it)."""
	doc = get_mail(mail, "read")
	days = reminders.followup_settings().default_followup_days
	customer = doc.reference_name if doc.reference_doctype == "ECRM Customer" else None
	default_date = reminders.due_date_after_days(days) if days else None
	existing = existing_reminder_date(customer) if customer else None
	return {
		"customer": customer,
		"default_days": days,
		"default_date": str(default_date) if default_date else None,
		"existing_date": str(existing) if existing else None,
	}


def followed_by_reply(mail: str, reply) -> bool:
	"""A reply was accepted for sending (ent_crm.mail.outbound): the pending mail it answers is followed,
	with the reply's contact purpose and next contact date. Returns whether the mail was marked."""
	if not frappe.db.exists(MAIL, mail):
		return False
	doc = frappe.get_doc(MAIL, mail)
	if doc.direction != "Inbound" or doc.queue not in (routing.KNOWN, routing.STRANGER):
		return False
	doc.queue = "Handled"
	doc.contact_purpose = reply.contact_purpose or doc.contact_purpose
	doc.next_contact_date = reply.next_contact_date or None
	doc.followed_by, doc.followed_at = reply.owner or frappe.session.user, now_datetime()
	doc.save(ignore_permissions=True)
	return True


def crm_colleagues(txt: str = "") -> list[dict]:
	"""Whom the "Copy to Colleagues" dialog offers: enabled desk users with a CRM role."""
	require_mail_reader()
	holders = frappe.get_all(
		"Has Role",
		filters={"parenttype": "User", "role": ("in", sorted(CRM_ROLES))},
		pluck="parent",
		distinct=True,
	)
	if not holders:
		return []
	filters = {"name": ("in", holders), "enabled": 1, "user_type": "System User"}
	or_filters = {"name": ("like", f"%{txt}%"), "full_name": ("like", f"%{txt}%")} if txt else None
	rows = frappe.get_all(
		"User",
		filters=filters,
		or_filters=or_filters,
		fields=["name", "full_name"],
		order_by="full_name asc",
		limit=20,
	)
	return [{"value": r.name, "description": r.full_name or ""} for r in rows]


def copy_to_colleagues(mail: str, users, note: str = "") -> int:
	"""An internal copy (D7, D10): colleagues may read this mail and get a notification."""
	doc = get_mail(mail, "read")
	from frappe.share import add_docshare as share

	count = 0
	for user in name_list(users):
		if not frappe.db.exists("User", {"name": user, "enabled": 1}):
			frappe.throw(_("{0} is not an active user.").format(frappe.utils.escape_html(user)))
		if not is_crm_user(user):
			frappe.throw(
				_(
					"{0} cannot receive a copy: mail is shared only with colleagues who work in the CRM."
				).format(frappe.utils.escape_html(user)),
				frappe.PermissionError,
			)
		share(MAIL, doc.name, user, read=1, notify=0, flags={"ignore_share_permission": True})
		notify(user, doc, _("A colleague shared a mail with you: {0}").format(doc.subject or ""), note)
		count += 1
	return count


# --- D9 address routing rules ------------------------------------------------------------------------


def set_routing_rule(address: str, employee: str, note: str = "") -> None:
	address = normalise(address)
	if frappe.db.exists("ECRM Routing Rule", address):
		rule = frappe.get_doc("ECRM Routing Rule", address)
		rule.employee = employee
		rule.note = note or rule.note
		rule.save(ignore_permissions=True)
	else:
		frappe.get_doc(
			{"doctype": "ECRM Routing Rule", "address": address, "employee": employee, "note": note}
		).insert(ignore_permissions=True)


def route_address(address: str, employee: str, note: str = "") -> int:
	"""Assign or transfer an address to a salesperson (D9); its waiting system mail moves to them."""
	require_mail_admin()
	address = normalise(address)
	person = in_service_salesperson(employee)
	if address_index.lookup(address):
		frappe.throw(
			_("{0} belongs to a customer or supplier; its mail already goes to their owners.").format(address)
		)
	set_routing_rule(address, person.name, note)
	waiting = frappe.get_all(
		MAIL, filters={"sender": address, "queue": ("in", WAITING), "is_personal": 0}, pluck="name"
	)
	for name in waiting:
		assign(frappe.get_doc(MAIL, name), person.name)
	return len(waiting)


def revoke_address(address: str) -> int:
	"""Revoke an address routing rule (D9): its stranger mail returns to the unassigned queue."""
	require_mail_admin()
	address = normalise(address)
	frappe.db.delete("ECRM Routing Rule", {"name": address})
	waiting = frappe.get_all(
		MAIL, filters={"sender": address, "queue": routing.STRANGER, "is_personal": 0}, pluck="name"
	)
	for name in waiting:
		doc = frappe.get_doc(MAIL, name)
		doc.queue, doc.assigned_employee = routing.UNASSIGNED, None
		doc.save(ignore_permissions=True)
	return len(waiting)


# --- D8/D10 counts -----------------------------------------------------------------------------------


def queue_counts(employee: str | None = None) -> dict:
	"""The counts of each queue for the caller (or, for managers, one salesperson's), without auto-replies
	and bounces."""
	user = counted_user(employee)
	counts = count_visible(user)
	if is_mail_admin(user):
		counts[routing.UNASSIGNED] = frappe.db.count(
			MAIL, {"queue": routing.UNASSIGNED, "is_auto_reply": 0, "is_bounce": 0, "is_personal": 0}
		)
	return counts


def count_visible(user: str) -> dict:
	rows = frappe.get_list(
		MAIL,
		filters={"queue": ("in", (routing.KNOWN, routing.STRANGER)), "is_auto_reply": 0, "is_bounce": 0},
		fields=["queue", "count(name) as count"],
		group_by="queue",
		user=user,
	)
	counts = {routing.KNOWN: 0, routing.STRANGER: 0}
	counts.update({row.queue: row.count for row in rows})
	return counts


# --- failures ----------------------------------------------------------------------------------------


def process_again(failure: str) -> str | None:
	"""Route a kept message again (after the cause was fixed); returns the new mail or None."""
	require_mail_admin()
	doc = frappe.get_doc("ECRM Mail Failure", failure)
	file = frappe.get_doc("File", {"file_url": doc.raw_file})
	raw = file.get_content()
	raw = raw if isinstance(raw, bytes) else raw.encode("utf-8", "surrogateescape")
	account = frappe.get_doc("Email Account", doc.email_account) if doc.email_account else None
	doc.db_set("status", "Processed")  # so that receive_raw does not see it as still waiting
	name = receive_raw(raw, account)
	if name:
		doc.db_set("mail", name)
	else:
		doc.db_set("status", "To Process")
		for repeat in frappe.get_all(
			"ECRM Mail Failure",
			filters={"dedup_key": doc.dedup_key, "name": ("!=", doc.name), "status": "To Process"},
			fields=["name", "reason"],
		):
			doc.db_set("reason", repeat.reason)  # why it failed this time
			frappe.delete_doc("ECRM Mail Failure", repeat.name, ignore_permissions=True)
	return name


# --- G6 handover -------------------------------------------------------------------------------------


def hand_over_routing(from_employee: str, to_employee: str | None) -> dict:
	"""When a salesperson's customers are handed over (G6), their address routing rules and their
	stranger mail go along: to `to_employee`, or (revoke) back to the unassigned queue. Mail of their
	customers follows by itself, since it is visible through ownership. Personal-mailbox mail stays."""
	rules = frappe.qb.DocType("ECRM Routing Rule")
	mails = frappe.qb.DocType(MAIL)
	stranger = (
		(mails.assigned_employee == from_employee)
		& (mails.queue == routing.STRANGER)
		& (mails.is_personal == 0)
	)
	moved_rules = frappe.db.count("ECRM Routing Rule", {"employee": from_employee})
	moved_mail = frappe.db.count(
		MAIL, {"assigned_employee": from_employee, "queue": routing.STRANGER, "is_personal": 0}
	)
	if to_employee:
		user = in_service_salesperson(to_employee).user
		frappe.qb.update(rules).set(rules.employee, to_employee).set(rules.user, user).where(
			rules.employee == from_employee
		).run()
		frappe.qb.update(mails).set(mails.assigned_employee, to_employee).set(
			mails.assigned_user, user
		).where(stranger).run()
	else:
		frappe.qb.from_(rules).delete().where(rules.employee == from_employee).run()
		(
			frappe.qb.update(mails)
			.set(mails.queue, routing.UNASSIGNED)
			.set(mails.assigned_employee, None)
			.set(mails.assigned_user, None)
			.where(stranger)
			.run()
		)
	return {"rules": moved_rules, "mail": moved_mail}
