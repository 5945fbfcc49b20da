"""Receiving one raw mail: parse, de-duplicate, store through Frappe, route, and never lose it.

Live mail (the Email Account override) and imported .eml files both come through `receive_raw`, so they
are routed exactly alike. Frappe's own InboundMail builds the Communication (content, attachments,
threading); this module decides the queue from the From address and records an `ECRM Mail`. Whatever
fails lands whole in `ECRM Mail Failure` with the reason, for a mail admin to process again.
"""

import frappe
from frappe.email.receive import InboundMail, SentEmailInInboxError
from frappe.utils import now_datetime

from ent_crm.mail import headers, routing
from ent_crm.mail.lookups import SenderLookup
from ent_crm.mail.realtime import publish_new_mail

MAIL = "ECRM Mail"
FAILURE = "ECRM Mail Failure"
COPY = "ECRM Mail Copy"


class CRMInboundMail(InboundMail):
	"""Frappe's parsed mail, read as mail clients read it: the subject unfolded and whole (Frappe keeps only
	the first encoded part), text in a wrongly declared charset recovered (GBK declared as UTF-8 or
	Latin-1), and, when the CRM found that a known Message-ID was reused by a different mail, a new
	Communication instead of Frappe's match on the Message-ID."""

	def set_subject(self):
		self.subject = headers.header_text(self.mail, "Subject")[:140] or "No Subject"

	def get_charset(self, part):
		try:
			data = part.get_payload(decode=True)
		except Exception:
			data = None
		return headers.body_charset(part.get_content_charset(), data) or super().get_charset(part)

	def is_exist_in_system(self):
		if self.flags.get("ecrm_distinct_mail"):
			return None
		return super().is_exist_in_system()


def receive_raw(
	raw: bytes, account, uid=None, seen_status=0, followed: bool = False, folder: str | None = None
) -> str | None:
	"""Route one message; returns its ECRM Mail (new or the one routed before), or None when it was put
	into the failure queue. A mail the CRM already has is recorded as also received here (ECRM Mail Copy).
	Does not commit. Raises only when the mail can be neither stored nor kept as a failure."""
	if isinstance(raw, str):
		raw = raw.encode("utf-8", "surrogateescape")
	message = headers.parse(raw)
	key = headers.dedup_key(message, raw)
	legacy = headers.legacy_dedup_key(message, raw)
	existing, reused_id = find_stored(message, key, legacy)
	if existing:
		record_copy(existing, account, uid, folder)
		return existing
	if frappe.db.exists(FAILURE, {"dedup_key": ("in", [key, legacy]), "status": "To Process"}):
		return None  # already waiting in the failure queue
	frappe.db.savepoint("ecrm_receive")
	try:
		name = store(message, raw, key, account, uid, seen_status, followed, folder, distinct=reused_id)
		count_on(account, "ecrm_stored")
		return name
	except Exception as error:
		frappe.db.rollback(save_point="ecrm_receive")
		if is_duplicate_key(error):
			# another pull stored the same mail a moment ago (two pulls at once, or the same mail pulled from
			# two mailboxes at once): it is stored, not failed
			existing = stored_by_another_pull(key)
			if existing:
				record_copy(existing, account, uid, folder)
				return existing
		record_failure(raw, account, key, uid, frappe.get_traceback(with_context=False), folder)
		return None


def find_stored(message, key: str, legacy: str) -> tuple[str | None, bool]:
	"""(the stored ECRM Mail this message is a copy of, whether its Message-ID is known but used by a
	different mail). Mail stored before keys told resends from reused ids has the bare Message-ID as key:
	such a row is the same mail when its sender and subject are (and mail the CRM sent always is)."""
	rows = frappe.db.sql(
		"""select name, dedup_key, sender, subject, direction from `tabECRM Mail`
		where dedup_key in %(keys)s or dedup_key like %(same_id)s limit 20""",
		{"keys": list({key, legacy}), "same_id": same_id_pattern(key)},
		as_dict=True,
	)
	return match_stored(rows, message, key, legacy)


def same_id_pattern(key: str) -> str:
	"""LIKE pattern of the keys of other mails with the same Message-ID ("<id>#<hash>")."""
	if headers.KEY_SEPARATOR not in key or key.startswith("fp-"):
		return key
	prefix = key.rsplit(headers.KEY_SEPARATOR, 1)[0] + headers.KEY_SEPARATOR
	return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def match_stored(rows: list, message, key: str, legacy: str) -> tuple[str | None, bool]:
	"""(the stored mail this message is, whether a different stored mail has its Message-ID)."""
	by_key = {r.dedup_key: r for r in rows}
	if key in by_key:
		return by_key[key].name, False
	same_id = not key.startswith("fp-") and any(
		k != legacy and k.startswith(key.rsplit(headers.KEY_SEPARATOR, 1)[0] + headers.KEY_SEPARATOR)
		for k in by_key
	)
	old = by_key.get(legacy)
	if not old:
		return None, same_id
	if legacy.startswith("fp-") or old.direction == "Outbound":
		return old.name, False
	sender, _name = headers.from_address(message)
	if (old.sender or None) == sender and headers.same_subject(
		old.subject, headers.header_text(message, "Subject")
	):
		return old.name, False
	return None, True


def count_on(account, counter: str) -> None:
	"""Count on the mailbox document what its pull stored or failed (read by ent_crm.mail.health)."""
	if account is not None and getattr(account, "flags", None) is not None:
		account.flags[counter] = (account.flags.get(counter) or 0) + 1


def is_duplicate_key(error: Exception) -> bool:
	return (
		bool(getattr(error, "args", None))
		and frappe.db.is_duplicate_entry(error)
		and "dedup_key" in str(error)
	)


def stored_by_another_pull(key: str) -> str | None:
	"""The row another transaction committed with this key (a locking read sees it, whatever this
	transaction's snapshot)."""
	found = frappe.db.sql("select name from `tabECRM Mail` where dedup_key = %s lock in share mode", key)
	return found[0][0] if found else None


def record_copy(mail: str, account, uid=None, folder: str | None = None) -> None:
	"""Record that `account` (at `folder`/`uid`) also received `mail`: so the folder's reading moves on past
	it, the salesperson whose personal mailbox received it sees it, and mail that reached the company
	mailbox too is company mail (no longer private to the personal mailbox). The mail is not routed again."""
	if account is None or not account.get("name"):
		return
	number = int(uid) if str(uid or "").isdigit() else 0
	# a locking read: the mail may have been committed by another pull after this transaction's snapshot
	found = frappe.db.sql(
		"select email_account, imap_folder, imap_uid, is_personal from `tabECRM Mail` where name = %s lock in share mode",
		mail,
		as_dict=True,
	)
	if not found:
		return
	own = found[0]
	if own.email_account == account.name and (
		not number or (own.imap_folder == folder and own.imap_uid == number)
	):
		return  # this mailbox's own mail, nothing new to record
	filters = {"mail": mail, "email_account": account.name, "imap_uid": number}
	filters["imap_folder"] = folder if folder else ("is", "not set")
	if frappe.db.exists(COPY, filters):
		return
	kind = account.get("ecrm_mailbox_kind")
	user = None
	if kind == "Personal Mailbox" and account.get("ecrm_employee"):
		user = frappe.db.get_value("ECRM Employee", account.get("ecrm_employee"), "user")
	bulk_insert(
		COPY,
		[
			{
				"name": frappe.generate_hash(length=10),
				"mail": mail,
				"email_account": account.name,
				"user": user,
				"imap_folder": folder,
				"imap_uid": number,
				"docstatus": 0,
			}
		],
	)
	if own.is_personal and kind == "System Mailbox":
		frappe.db.set_value(MAIL, mail, "is_personal", 0, update_modified=False)


NO_SENDER = b"From: unknown-sender@invalid.invalid\r\n"


def store(
	message,
	raw: bytes,
	key: str,
	account,
	uid,
	seen_status,
	followed: bool,
	folder: str | None = None,
	distinct: bool = False,
) -> str:
	sender, sender_name = headers.from_address(message)
	# Frappe cannot read a mail without a usable From; give it a placeholder (the CRM keeps sender empty)
	inbound = CRMInboundMail(raw if sender else NO_SENDER + raw, account, uid, seen_status)
	inbound.flags.ecrm_distinct_mail = distinct
	try:
		communication = inbound.process()
	except SentEmailInInboxError:
		communication = None  # the company's own sent copy: kept as outbound mail, not routed
	route = decide_route(sender, account)
	queue = route.queue
	receipt = headers.is_read_receipt(message)
	if (followed or not communication or receipt) and queue != routing.RECYCLE_BIN:
		queue = "Handled"  # a read receipt is shown on the sent mail, not handled as a new mail
	row = mail_row(
		message=message,
		sender=sender,
		sender_name=sender_name,
		received_at=communication.communication_date if communication else now_datetime(),
		direction="Inbound" if communication else "Outbound",
		queue=queue,
		route=route,
		account=account,
		communication=communication.name if communication else None,
		key=key,
	)
	row["imap_folder"], row["imap_uid"] = folder, int(uid) if str(uid or "").isdigit() else 0
	if receipt:
		row["route_reason"] = "read receipt"
	if not communication and headers.message_id(message):
		row["dedup_key"] = headers.legacy_dedup_key(
			message, raw
		)  # the company's own sent mail: its bare Message-ID
	bulk_insert(MAIL, [row])  # plain insert: every value was just read or decided here
	mail = frappe._dict(doctype=MAIL, name=row["name"])
	if receipt:
		mark_read(message, row["received_at"])
	if communication:
		link_timeline(communication, route)
		keep_what_frappe_dropped(inbound, communication, mail, raw)
	else:
		attach_raw(mail, raw)
	if queue in (routing.UNASSIGNED, routing.KNOWN, routing.STRANGER):
		publish_new_mail(row)  # to the users concerned, once committed: their workbench and list move
	return mail.name


def mark_read(message, read_at) -> list[str]:
	"""A read receipt came back: note on the mail the CRM sent when its recipient read it (the first time)."""
	marked = []
	for original in headers.receipt_original_ids(message):
		name = frappe.db.get_value(MAIL, {"dedup_key": original, "direction": "Outbound"})
		if not name:
			comm = frappe.db.get_value("Communication", {"message_id": original, "sent_or_received": "Sent"})
			name = comm and frappe.db.get_value(MAIL, {"communication": comm})
		if name and name not in marked:
			frappe.db.sql(
				"update `tabECRM Mail` set read_receipt_at = %s where name = %s and read_receipt_at is null",
				(read_at, name),
			)
			marked.append(name)
	return marked


def mail_row(
	*, message, sender, sender_name, received_at, direction, queue, route, account, communication, key
) -> dict:
	"""An ECRM Mail row, shared by live receiving and the .eml import."""
	return {
		"name": frappe.generate_hash(length=10),
		"subject": (headers.header_text(message, "Subject") or "")[:255] or None,
		"sender": sender,
		"sender_name": (sender_name or "")[:255] or None,
		"received_at": received_at,
		"direction": direction,
		"queue": queue,
		"reference_doctype": route.reference_doctype,
		"reference_name": route.reference_name,
		"reference_title": route.reference_title,
		"contact_name": route.contact_name,
		"assigned_employee": route.assigned_employee,
		"assigned_user": route.assigned_user,
		"suggested_customer": route.suggested_customer,
		"email_account": account.name,
		"is_personal": 1 if account.get("ecrm_mailbox_kind") == "Personal Mailbox" else 0,
		"communication": communication,
		"dedup_key": key,
		"route_reason": route.reason,
		"is_auto_reply": 1 if headers.is_auto_reply(message) else 0,
		"is_bounce": 1 if headers.is_bounce(message) else 0,
		"followup_days": 0,
		"docstatus": 0,
	}


def bulk_insert(doctype: str, rows: list[dict]) -> None:
	"""Insert plain rows (same keys in each) with the standard columns filled."""
	if not rows:
		return
	stamp, user = frappe.utils.now(), frappe.session.user
	columns = list(rows[0])
	frappe.db.bulk_insert(
		doctype,
		fields=["creation", "modified", "owner", "modified_by", *columns],
		values=[(stamp, stamp, user, user, *(row.get(c) for c in columns)) for row in rows],
	)


def decide_route(sender: str | None, account) -> routing.Route:
	"""Where mail from `sender` goes: everything routing needs, in one round trip to the database. The
	.eml import reads the same facts for a batch (ent_crm.mail.lookups), so both route alike (C5)."""
	return SenderLookup([sender], account).route(sender)


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
	frappe.db.set_value(MAIL, mail.name, "attachments_not_stored", "\n".join(dropped), update_modified=False)
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


def record_failure(raw: bytes, account, key: str | None, uid, reason: str, folder: str | None = None) -> str:
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
			"imap_folder": folder,
			"reason": reason,
			"status": "To Process",
		}
	).insert(ignore_permissions=True)
	failure.db_set("raw_file", attach_raw(failure, raw), update_modified=False)
	count_on(account, "ecrm_failed")
	return failure.name
