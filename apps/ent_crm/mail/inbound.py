"""Receiving one raw mail: parse, de-duplicate, store through Frappe, route, and never lose it.

Live mail (the Email Account override) and imported .eml files both come through `receive_raw`, so they
are routed exactly alike. Frappe's own InboundMail builds the Communication (content, attachments,
threading); this module decides the queue from the From address and records an `ECRM Mail`. Whatever
fails lands whole in `ECRM Mail Failure` with the reason, for a mail admin to process again.
"""

import frappe
from frappe.email.receive import InboundMail, SentEmailInInboxError
from frappe.utils import now_datetime

from ent_crm import address_index
from ent_crm.mail import headers, routing
from ent_crm.utils.addresses import company_domain, domain_of

MAIL = "ECRM Mail"
FAILURE = "ECRM Mail Failure"


def receive_raw(raw: bytes, account, uid=None, seen_status=0, followed: bool = False) -> str | None:
	"""Route one message; returns its ECRM Mail (new or the one routed before), or None when it was put
	into the failure queue. Does not commit."""
	if isinstance(raw, str):
		raw = raw.encode("utf-8", "surrogateescape")
	message = headers.parse(raw)
	key = headers.dedup_key(message, raw)
	existing = frappe.db.get_value(MAIL, {"dedup_key": key})
	if existing:
		return existing
	if frappe.db.exists(FAILURE, {"dedup_key": key, "status": "Open"}):
		return None  # already waiting in the failure queue
	frappe.db.savepoint("ecrm_receive")
	try:
		return store(message, raw, key, account, uid, seen_status, followed)
	except Exception:
		frappe.db.rollback(save_point="ecrm_receive")
		record_failure(raw, account, key, uid, frappe.get_traceback(with_context=False))
		return None


NO_SENDER = b"From: unknown-sender@invalid.invalid\r\n"


def store(message, raw: bytes, key: str, account, uid, seen_status, followed: bool) -> str:
	sender, sender_name = headers.from_address(message)
	# Frappe cannot read a mail without a usable From; give it a placeholder (the CRM keeps sender empty)
	inbound = InboundMail(raw if sender else NO_SENDER + raw, account, uid, seen_status)
	try:
		communication = inbound.process()
	except SentEmailInInboxError:
		communication = None  # the company's own sent copy: kept as outbound mail, not routed
	route = decide_route(sender, account)
	mail = frappe.get_doc(
		{
			"doctype": MAIL,
			"subject": (headers.header_text(message, "Subject") or "")[:255] or None,
			"sender": sender,
			"sender_name": sender_name[:255] or None,
			"received_at": communication.communication_date if communication else now_datetime(),
			"direction": "Inbound" if communication else "Outbound",
			"queue": "Handled" if (followed or not communication) and route.queue != routing.RECYCLE_BIN else route.queue,
			"reference_doctype": route.reference_doctype,
			"reference_name": route.reference_name,
			"contact_name": route.contact_name,
			"assigned_employee": route.assigned_employee,
			"suggested_customer": route.suggested_customer,
			"email_account": account.name,
			"is_personal": 1 if account.get("ecrm_mailbox_kind") == "Personal Mailbox" else 0,
			"communication": communication.name if communication else None,
			"dedup_key": key,
			"route_reason": route.reason,
			"is_auto_reply": 1 if headers.is_auto_reply(message) else 0,
			"is_bounce": 1 if headers.is_bounce(message) else 0,
		}
	)
	mail.insert(ignore_permissions=True)
	if communication:
		link_timeline(communication, route)
		keep_what_frappe_dropped(inbound, communication, mail, raw)
	else:
		attach_raw(mail, raw)
	return mail.name


def decide_route(sender: str | None, account) -> routing.Route:
	personal = account.get("ecrm_employee") if account.get("ecrm_mailbox_kind") == "Personal Mailbox" else None
	if not sender:
		return routing.decide(None, blocked=False, known=None, rule_employee=None, personal_employee=personal)
	return routing.decide(
		sender,
		blocked=is_blocked(sender),
		known=address_index.lookup(sender),
		rule_employee=frappe.db.get_value("ECRM Routing Rule", sender, "employee"),
		domain_matches=customers_with_domain(sender),
		personal_employee=personal,
	)


def is_blocked(sender: str) -> bool:
	"""The address or its whole domain is on the blocked list: two primary-key reads at most."""
	return bool(
		frappe.db.exists("ECRM Blocked Sender", sender) or frappe.db.exists("ECRM Blocked Sender", domain_of(sender))
	)


def customers_with_domain(sender: str) -> list[str]:
	"""Customers holding an address at the sender's company domain (never for public mail services)."""
	free = (frappe.db.get_single_value("ECRM Settings", "free_mail_domains") or "").split()
	domain = company_domain(sender, free)
	if not domain:
		return []
	rows = frappe.get_all(
		"ECRM Email Address",
		filters={"name": ("like", f"%@{domain}"), "reference_doctype": "ECRM Customer"},
		pluck="reference_name",
		distinct=True,
		limit=2,
	)
	return list(dict.fromkeys(rows))


def link_timeline(communication, route: routing.Route) -> None:
	"""Show the mail on the customer's timeline (a Communication Link row, not a reference: a reference
	would make Frappe e-mail a copy of every inbound mail to the record's creator and assignees)."""
	if not route.reference_name:
		return
	row = frappe.get_doc(
		{
			"doctype": "Communication Link",
			"parenttype": "Communication",
			"parentfield": "timeline_links",
			"parent": communication.name,
			"link_doctype": route.reference_doctype,
			"link_name": route.reference_name,
			"link_title": route.contact_name,
			"idx": len(communication.get("timeline_links") or []) + 1,
		}
	)
	row.db_insert()


def keep_what_frappe_dropped(inbound: InboundMail, communication, mail, raw: bytes) -> None:
	"""Frappe silently skips attachments over the size limit; keep the original message then."""
	saved = {f.file_name for f in getattr(communication, "_attachments", None) or []}
	dropped = [a["fname"] for a in inbound.attachments if a.get("fname") and a["fname"] not in saved]
	if not dropped:
		return
	mail.db_set("attachments_not_stored", "\n".join(dropped), update_modified=False)
	attach_raw(mail, raw)


def attach_raw(doc, raw: bytes) -> str:
	"""Keep the original message as a private .eml file of `doc`, whatever its size. The upload limit
	protects the desk from users' uploads, not the mailbox: a 30 MB mail is kept whole, so the File row is
	written directly instead of through File's upload checks."""
	file_name = f"{doc.doctype.lower().replace(' ', '-')}-{doc.name}.eml"
	with open(frappe.get_site_path("private", "files", file_name), "wb") as f:
		f.write(raw)
	file = frappe.new_doc("File")
	file.update(
		{
			"name": frappe.generate_hash(length=10),
			"file_name": file_name,
			"file_url": f"/private/files/{file_name}",
			"attached_to_doctype": doc.doctype,
			"attached_to_name": doc.name,
			"is_private": 1,
			"file_size": len(raw),
			"folder": "Home/Attachments",
			"owner": frappe.session.user,
		}
	)
	file.db_insert()
	return file.file_url


def record_failure(raw: bytes, account, key: str | None, uid, reason: str) -> str:
	"""Keep the message whole with the reason. Only plain, truncated values go into the record, so that
	keeping a failure cannot fail for the reason the mail did."""
	message = headers.parse(raw)
	failure = frappe.get_doc(
		{
			"doctype": FAILURE,
			"email_account": account.name if account else None,
			"sender": headers.header_text(message, "From")[:255] or None,
			"subject": headers.header_text(message, "Subject")[:255] or None,
			"dedup_key": (key or "")[:255] or None,
			"uid": str(uid) if uid not in (None, -1) else None,
			"reason": reason,
			"status": "Open",
		}
	).insert(ignore_permissions=True)
	failure.db_set("raw_file", attach_raw(failure, raw), update_modified=False)
	return failure.name
