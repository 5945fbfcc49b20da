"""E6 mass mail: one message to many customers, each receiving their own copy.

Customers are picked by conditions (type, level, region with its sub-regions, product, salesperson) or a
saved ownership query, among the customers the author may see. Sending runs as a background job with a
progress bar: for every customer an outbound ECRM Mail (on that customer's timeline) and its own Email
Queue row addressed to that customer only (no cc, no bcc, so nobody sees another address). Customers who
unsubscribed (Frappe's Email Unsubscribe: from everything, from this customer's mail or from mass
mailings) are skipped; the mailing's recipient table is the report of what was sent and what failed. A
recipient's row says Queued until the mail server accepted their copy, then Sent, or Failed with the server's
answer (as a single mail: outbound.follow_delivery); the mailing's counts follow the rows.
"""

import frappe
from frappe import _
from frappe.utils import cint, escape_html, get_fullname, now_datetime

from ent_crm.core.rights import employee_of, sees_all_customers
from ent_crm.customers.ownership_query import get_rows, query_conditions
from ent_crm.mail import approval, outbound, placeholders

MAILING = "ECRM Mass Mailing"
CUSTOMER = "ECRM Customer"
PROGRESS_EVERY = 10


def validate_mailing(doc) -> None:
	if doc.email_account and doc.email_account not in outbound.sending_mailboxes(
		doc.owner or frappe.session.user
	):
		frappe.throw(
			_("You cannot send mail from {0}.").format(escape_html(doc.email_account)), frappe.PermissionError
		)
	# the text is the author's: only the fixed placeholders, never run as a template (issue 19)
	placeholders.check(doc.subject, _("The subject"))
	placeholders.check(doc.content, _("The mail text"))


def customer_query(doc, user: str):
	"""The customers the mailing picks, among those `user` may see (hidden customers left out)."""
	customer = frappe.qb.DocType(CUSTOMER)
	query = (
		frappe.qb.from_(customer)
		.select(customer.name, customer.customer_name, customer.primary_email)
		.where(customer.is_hidden == 0)
		.orderby(customer.name)
	)
	if doc.customer_type:
		query = query.where(customer.customer_type == doc.customer_type)
	if doc.customer_level:
		query = query.where(customer.customer_level == doc.customer_level)
	if doc.region:
		region = frappe.qb.DocType("ECRM Region")
		bounds = frappe.db.get_value("ECRM Region", doc.region, ["lft", "rgt"], as_dict=True)
		if not bounds:
			frappe.throw(_("Region {0} does not exist.").format(escape_html(doc.region)))
		within = (
			frappe.qb.from_(region)
			.select(region.name)
			.where((region.lft >= bounds.lft) & (region.rgt <= bounds.rgt))
		)
		query = query.where(customer.region.isin(within))
	if doc.product:
		item = frappe.qb.DocType("ECRM Product Item")
		query = query.where(
			customer.name.isin(
				frappe.qb.from_(item)
				.select(item.parent)
				.where((item.parenttype == CUSTOMER) & (item.product == doc.product))
			)
		)
	owner = frappe.qb.DocType("ECRM Customer Owner")
	if doc.owner_employee:
		query = query.where(
			customer.name.isin(
				frappe.qb.from_(owner)
				.select(owner.parent)
				.where((owner.parenttype == CUSTOMER) & (owner.employee == doc.owner_employee))
			)
		)
	if not sees_all_customers(user):
		query = query.where(
			customer.name.isin(
				frappe.qb.from_(owner)
				.select(owner.parent)
				.where((owner.parenttype == CUSTOMER) & (owner.user == user))
			)
		)
	return query


def matching_customers(doc, user: str | None = None) -> list[dict]:
	user = user or frappe.session.user
	rows = customer_query(doc, user).run(as_dict=True)
	if doc.ownership_query:
		picked = {r["customer"] for r in get_rows(query_conditions(doc.ownership_query), user)}
		rows = [r for r in rows if r.name in picked]
	return rows


def get_mailing(name: str, ptype: str = "read"):
	doc = frappe.get_doc(MAILING, name)
	doc.check_permission(ptype)
	return doc


def own_mailing(mailing: str):
	"""The caller's own mass mailing, which they may change (only its author sends it)."""
	doc = get_mailing(mailing, "write")
	if doc.owner != frappe.session.user:
		frappe.throw(_("Only the author can send this mass mailing."), frappe.PermissionError)
	return doc


def preview(mailing: str) -> dict:
	"""How many customers the mailing reaches, and the first few."""
	doc = get_mailing(mailing)
	rows = matching_customers(doc)
	return {"count": len(rows), "first": rows[:20]}


def start(mailing: str) -> str:
	"""Start sending in a background job (progress bar on the mailing's form)."""
	doc = own_mailing(mailing)
	if doc.status not in ("Draft", "Failed", "Rejected"):
		frappe.throw(_("This mass mailing was sent already."))
	if approval.needs_approval():
		return submit(doc)
	prepare(doc)
	return enqueue(doc)


def enqueue(doc) -> str:
	frappe.enqueue(
		run,
		queue="long",
		timeout=3600,
		job_id=f"ecrm_mass_mailing|{doc.name}",
		deduplicate=True,
		now=frappe.flags.in_test,
		mailing=doc.name,
	)
	return doc.status


def prepare(doc) -> None:
	"""Fix the recipients (one row per matching customer) and mark the mailing queued."""
	if not doc.email_account:
		frappe.throw(_("Choose the mailbox to send from."))
	rows = matching_customers(doc, doc.owner)  # the author's customers, also when their approver sends it
	if not rows:
		frappe.throw(_("No customer matches these conditions."))
	doc.set("recipients", [])
	for row in rows:
		doc.append("recipients", {"customer": row.name, "email": row.primary_email, "status": "Queued"})
	doc.status, doc.total, doc.sent, doc.failed, doc.skipped = "Queued", len(rows), 0, 0, 0
	doc.save(ignore_permissions=True)  # the caller checked: the author's write right, or being the approver


def submit(doc) -> str:
	"""E5: the mailing of a salesperson with an approver waits for the approver."""
	approver = approval.approver_of(doc.owner)
	if approver == doc.owner:
		frappe.throw(_("You cannot approve your own mail. Ask an administrator to set another approver."))
	if not matching_customers(doc, doc.owner):
		frappe.throw(_("No customer matches these conditions."))
	doc.db_set(
		{"status": "Pending Approval", "approver": approver, "rejection_reason": None, "approved_by": None}
	)
	frappe.share.add_docshare(
		MAILING, doc.name, approver, read=1, flags={"ignore_share_permission": True}, notify=0
	)
	approval.notify(approver, doc, _("Mass mailing waiting for your approval: {0}").format(doc.subject or ""))
	return doc.status


def pending_mailing(mailing: str):
	doc = frappe.get_doc(MAILING, mailing)
	if doc.status != "Pending Approval":
		frappe.throw(_("This mass mailing is not waiting for approval."))
	return approval.require_approver(doc)


def approve(mailing: str) -> str:
	"""The approver lets the mass mailing go: the job sends it to the author's matching customers."""
	doc = pending_mailing(mailing)
	doc.approved_by = frappe.session.user
	prepare(doc)
	approval.notify(doc.owner, doc, _("Your mass mailing was approved: {0}").format(doc.subject or ""))
	return enqueue(doc)


def reject(mailing: str, reason: str) -> str:
	reason = approval.plain_reason(reason)
	doc = pending_mailing(mailing)
	doc.db_set({"status": "Rejected", "rejection_reason": reason, "approved_by": None})
	approval.notify(
		doc.owner, doc, _("Your mass mailing was rejected: {0}").format(doc.subject or ""), reason
	)
	return doc.status


def unsubscribed(addresses: list[str], customers: list[str]) -> set[str]:
	"""Addresses unsubscribed from everything, from their customer's mail or from mass mailings."""
	if not addresses:
		return set()
	rows = frappe.get_all(
		"Email Unsubscribe",
		filters={"email": ("in", addresses)},
		fields=["email", "global_unsubscribe", "reference_doctype", "reference_name"],
	)
	wanted = set(customers)
	out = set()
	for r in rows:
		if (
			r.global_unsubscribe
			or r.reference_doctype == MAILING
			or (r.reference_doctype == CUSTOMER and r.reference_name in wanted)
		):
			out.add((r.email or "").lower())
	return out


def run(mailing: str) -> None:
	"""The background job: one outbound mail per customer, progress published, outcome per recipient."""
	doc = frappe.get_doc(MAILING, mailing)
	if approval.needs_approval(doc.owner) and not doc.approved_by:
		frappe.throw(
			_("This mass mailing needs the approval of {0}.").format(approval.approver_of(doc.owner)),
			approval.ApprovalRequired,
		)
	doc.db_set("status", "Sending")
	frappe.db.commit()  # nosemgrep: the form shows "Sending" while the job runs
	account = frappe.db.get_value(
		"Email Account", doc.email_account, ["email_id", "ecrm_mailbox_kind"], as_dict=True
	)
	rows = doc.recipients
	blocked = unsubscribed([(r.email or "").lower() for r in rows if r.email], [r.customer for r in rows])
	employee = employee_of(doc.owner)
	handed = failed = 0
	for index, row in enumerate(rows, start=1):
		if not row.email:
			row.db_set({"status": "No Address"}, update_modified=False)
		elif row.email.lower() in blocked:
			row.db_set({"status": "Unsubscribed"}, update_modified=False)
		else:
			frappe.db.savepoint("ecrm_mass_mail")
			try:
				mail = send_one(doc, row, account, employee)
				# Queued like any mail handed to Frappe's queue: Sent once the server accepted it, Failed with
				# its answer (outbound.follow_delivery updates this row)
				row.db_set({"status": outbound.QUEUED, "mail": mail, "error": None}, update_modified=False)
				handed += 1
			except Exception as error:
				frappe.db.rollback(save_point="ecrm_mass_mail")
				row.db_set(
					{"status": "Failed", "error": str(error)[:500] or frappe.get_traceback()[-500:]},
					update_modified=False,
				)
				failed += 1
		if index % PROGRESS_EVERY == 0 or index == len(rows):
			outbound.recount_mailing(doc.name)
			frappe.db.commit()  # nosemgrep: progress survives a crash half way
			frappe.publish_progress(
				index * 100 / len(rows),
				title=_("Sending mass mailing"),
				doctype=MAILING,
				docname=doc.name,
				description=_("{0} of {1} customers").format(index, len(rows)),
			)
	outbound.recount_mailing(doc.name)
	doc.db_set("status", "Completed" if handed or not failed else "Failed")
	frappe.db.commit()  # nosemgrep


def send_one(doc, row, account, employee) -> str:
	"""One customer's copy: its own outbound ECRM Mail and Email Queue row, addressed to it alone."""
	record = frappe.get_doc(CUSTOMER, row.customer)
	values = placeholders.values_for(record, user=doc.owner, recipient=row.email)
	subject = placeholders.fill(doc.subject, values, html=False)[:255]
	content = placeholders.fill(doc.content, values)
	mail = frappe.get_doc(
		{
			"doctype": "ECRM Mail",
			"direction": "Outbound",
			"queue": "Handled",
			"outbound_status": outbound.DRAFT,
			"compose_mode": "Mass Mail",
			"mass_mailing": doc.name,
			"assigned_employee": employee,
			"reference_doctype": CUSTOMER,
			"reference_name": record.name,
			"reference_title": record.customer_name,
			"email_account": doc.email_account,
			"is_personal": 1 if account.ecrm_mailbox_kind == "Personal Mailbox" else 0,
			"sender": account.email_id,
			"sender_name": get_fullname(doc.owner),
			"recipients": row.email,
			"subject": subject,
			"content": content,
			"received_at": now_datetime(),
		}
	)
	mail.flags.ignore_permissions = True
	mail.insert()
	if mail.owner != doc.owner:
		mail.db_set("owner", doc.owner, update_modified=False)
	with approval.released():
		outbound.dispatch(mail, unsubscribe=True)
	return mail.name


def report(mailing: str) -> dict:
	"""Counts by outcome and the failed recipients with their errors."""
	outbound.sync_delivery()
	doc = get_mailing(mailing)
	counts = {}
	for row in doc.recipients:
		counts[row.status] = counts.get(row.status, 0) + 1
	return {
		"status": doc.status,
		"counts": counts,
		"failed": [
			{"customer": r.customer, "email": r.email, "error": r.error}
			for r in doc.recipients
			if r.status == "Failed"
		],
		"total": cint(doc.total),
	}
