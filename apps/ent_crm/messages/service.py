"""Internal messages (J1, J2): one `ECRM Message` per sending, one `ECRM Message Recipient` row per person.

Audiences: chosen people, a Frappe User Group, everyone online, everyone, the administrators.
- *Everyone* is every enabled system user (desk account).
- *Online* is every enabled system user with an active Frappe session (tabSessions, status Active) whose
  last recorded activity is within the idle time of CRM Settings (`ent_crm.admin.sessions.online_since`,
  the same definition as the "Users Online" page and the session cap: 60 minutes unless set, never
  under 15, because Frappe writes a session's `lastupdate` at login and then at most every 10 minutes).
  Logging out removes the session row at once.
- *Administrators* are the enabled system users with the role System Manager or ECRM Manager.
The sender is left out of the broadcast audiences (group, online, everyone, administrators).

Delivery: in the system (a realtime pop-up for whoever is connected; the others see the unread message
at their next login and in the Messages page), by e-mail through Frappe's Email Queue, and by SMS to the
users' mobile numbers through Frappe's SMS Settings gateway when one is set up (a background job). The sender
may ask for a receipt, which the recipient gives with one click. One file of at most 5 MB may travel
with a message, stored as a private Frappe File attached to it (readable by its sender and recipients).

Each party deletes a message for themselves only; the message itself goes when nobody keeps it any more,
or when it is older than CRM Settings' message retention (daily job `purge_old_messages`).

Other code sends with `send_system_message(recipients, subject, body, reference_doctype, reference_name)`.
"""

import base64
import binascii
import json

import frappe
from frappe import _
from frappe.utils import add_to_date, cint, escape_html, get_url, now_datetime

from ent_crm.admin.sessions import online_since
from ent_crm.core.rights import is_desk_user
from ent_crm.core.roles import ADMIN_ROLES

MESSAGE = "ECRM Message"
RECIPIENT = "ECRM Message Recipient"
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_LENGTH = 2000
REALTIME_EVENT = "ecrm_message"
RECEIPT_EVENT = "ecrm_message_receipt"

CHOSEN = "Chosen People"
GROUP = "Group"
ONLINE = "Everyone Online"
EVERYONE = "Everyone"
ADMINISTRATORS = "Administrators"
AUDIENCES = (CHOSEN, GROUP, ONLINE, EVERYONE, ADMINISTRATORS)


# --- who receives ------------------------------------------------------------------------------------


def system_users() -> list[str]:
	"""Every enabled desk account (Guest never is one)."""
	return frappe.get_all(
		"User", filters={"enabled": 1, "user_type": "System User"}, pluck="name", order_by="name"
	)


def online_users() -> list[str]:
	"""Enabled system users with an active session whose last recorded activity is recent (see module doc)."""
	sessions = frappe.qb.DocType("Sessions")
	user = frappe.qb.DocType("User")
	since = online_since()
	rows = (
		frappe.qb.from_(sessions)
		.join(user)
		.on(user.name == sessions.user)
		.select(sessions.user)
		.distinct()
		.where(
			(sessions.status == "Active")
			& (sessions.lastupdate >= since)
			& (user.enabled == 1)
			& (user.user_type == "System User")
		)
		.run(pluck=True)
	)
	return sorted(rows)


def administrators() -> list[str]:
	has_role = frappe.qb.DocType("Has Role")
	user = frappe.qb.DocType("User")
	rows = (
		frappe.qb.from_(has_role)
		.join(user)
		.on(user.name == has_role.parent)
		.select(has_role.parent)
		.distinct()
		.where(
			(has_role.parenttype == "User")
			& has_role.role.isin(ADMIN_ROLES)
			& (user.enabled == 1)
			& (user.user_type == "System User")
		)
		.run(pluck=True)
	)
	return sorted(rows)


def group_members(user_group: str) -> list[str]:
	"""Enabled system users of a Frappe User Group."""
	if not user_group or not frappe.db.exists("User Group", user_group):
		frappe.throw(_("Choose the user group to send to."))
	members = frappe.get_all("User Group Member", filters={"parent": user_group}, pluck="user")
	return [u for u in system_users() if u in set(members)]


def resolve_recipients(
	audience: str, users=None, user_group: str | None = None, sender: str | None = None
) -> list[str]:
	"""The users a message to `audience` reaches, sorted; the sender is left out of broadcasts."""
	sender = sender or frappe.session.user
	if audience == CHOSEN:
		chosen = parse_users(users)
		if not chosen:
			frappe.throw(_("Choose at least one person to send the message to."))
		allowed = set(system_users())
		unknown = [u for u in chosen if u not in allowed]
		if unknown:
			frappe.throw(_("These are not active users of the CRM: {0}").format(", ".join(unknown)))
		return sorted(set(chosen))
	if audience == GROUP:
		found = group_members(user_group)
	elif audience == ONLINE:
		found = online_users()
	elif audience == EVERYONE:
		found = system_users()
	elif audience == ADMINISTRATORS:
		found = administrators()
	else:
		frappe.throw(_("Unknown audience {0}.").format(audience))
	return sorted(set(found) - {sender})


def parse_users(users) -> list[str]:
	if not users:
		return []
	if isinstance(users, str):
		text = users.strip()
		if text.startswith("["):
			users = json.loads(text)
		else:
			users = text.replace(";", ",").replace("\n", ",").split(",")
	return [u.strip() for u in users if u and u.strip()]


# --- limits ------------------------------------------------------------------------------------------


def max_length() -> int:
	return cint(frappe.db.get_single_value("ECRM Settings", "message_max_length")) or DEFAULT_MAX_LENGTH


def retention_days() -> int:
	value = frappe.db.get_single_value("ECRM Settings", "message_retention_days")
	return 7 if value is None else cint(value)


def validate_message(doc) -> None:
	"""Controller validation of ECRM Message (thin: called by the DocType class)."""
	doc.subject = (doc.subject or "").strip()
	doc.body = (doc.body or "").strip()
	if not doc.subject:
		frappe.throw(_("The message needs a subject."))
	if len(doc.subject) > 140:
		frappe.throw(
			_("The subject is {0} characters long; at most 140 are allowed.").format(len(doc.subject))
		)
	if not doc.body:
		frappe.throw(_("The message is empty."))
	limit = max_length()
	if len(doc.body) > limit:
		frappe.throw(
			_(
				"The message is {0} characters long; at most {1} are allowed. Shorten it or send a file."
			).format(len(doc.body), limit),
			title=_("Message Too Long"),
		)
	if not (cint(doc.deliver_in_system) or cint(doc.deliver_by_email) or cint(doc.get("deliver_by_sms"))):
		frappe.throw(_("Deliver the message in the system, by e-mail or by SMS."))
	if not doc.recipients:
		frappe.throw(_("Nobody would receive this message."), title=_("No Recipients"))


def decode_attachment(attachment) -> tuple[str, bytes] | None:
	"""{"filename", "content" (base64 or a data: URL)} -> (file name, bytes); refuses more than 5 MB."""
	if not attachment:
		return None
	if isinstance(attachment, str):
		try:
			attachment = json.loads(attachment)
		except ValueError:
			frappe.throw(_("The attached file could not be read."), title=_("Invalid Input"))
	if not isinstance(attachment, dict) or not isinstance(attachment.get("filename") or "", str):
		frappe.throw(_("The attached file could not be read."), title=_("Invalid Input"))
	filename = (attachment.get("filename") or "").strip().replace("/", "_").replace("\\", "_")
	content = attachment.get("content") or ""
	if not isinstance(content, str | bytes):
		frappe.throw(
			_("The attached file {0} could not be read.").format(escape_html(filename)),
			title=_("Invalid Input"),
		)
	if not filename:
		frappe.throw(_("The attached file has no name."))
	if isinstance(content, str):
		if content.startswith("data:") and "," in content:
			content = content.split(",", 1)[1]
		# size before decoding: 4 base64 characters carry 3 bytes
		if len(content) * 3 // 4 > MAX_ATTACHMENT_BYTES + 3:
			refuse_size(filename, len(content) * 3 // 4)
		try:
			content = base64.b64decode(content, validate=True)
		except (binascii.Error, ValueError):
			frappe.throw(_("The attached file {0} could not be read.").format(escape_html(filename)))
	if len(content) > MAX_ATTACHMENT_BYTES:
		refuse_size(filename, len(content))
	if not content:
		frappe.throw(_("The attached file {0} is empty.").format(escape_html(filename)))
	return filename, content


def refuse_size(filename: str, size: int) -> None:
	frappe.throw(
		_(
			"The file {0} is {1} MB; a message can carry at most 5 MB. Send a smaller file or share it another way."
		).format(escape_html(filename), f"{size / 1024 / 1024:.1f}"),
		title=_("File Too Large"),
	)


# --- sending -----------------------------------------------------------------------------------------


def check_desk_user(user: str | None = None) -> None:
	if not is_desk_user(user):
		frappe.throw(_("Only users of the CRM can use messages."), frappe.PermissionError)


@frappe.whitelist(methods=["POST"])
def send_message(
	subject: str,
	body: str,
	audience: str = CHOSEN,
	recipients: str | list | None = None,
	user_group: str | None = None,
	deliver_in_system: int = 1,
	deliver_by_email: int = 0,
	request_receipt: int = 0,
	attachment: str | dict | None = None,
	deliver_by_sms: int = 0,
) -> str:
	"""Send a message (J1); returns its name. `attachment` = {"filename", "content": base64}."""
	check_desk_user()
	if audience not in AUDIENCES:
		frappe.throw(_("Unknown audience {0}.").format(audience))
	file = decode_attachment(attachment)  # refuse a large file before anything else
	people = resolve_recipients(audience, recipients, user_group)
	if not people:
		frappe.throw(_("Nobody would receive this message."), title=_("No Recipients"))
	if cint(deliver_by_email):
		check_outgoing_mail()
	if cint(deliver_by_sms) and not sms_available():
		frappe.throw(
			_("No SMS gateway is set up (SMS Settings), so the message cannot go by SMS."),
			title=_("SMS Not Available"),
		)
	doc = frappe.get_doc(
		{
			"doctype": MESSAGE,
			"subject": subject,
			"body": body,
			"audience": audience,
			"user_group": user_group if audience == GROUP else None,
			"deliver_in_system": cint(deliver_in_system),
			"deliver_by_email": cint(deliver_by_email),
			"deliver_by_sms": cint(deliver_by_sms),
			"request_receipt": cint(request_receipt),
			"sender": frappe.session.user,
			"sent_on": now_datetime(),
			"recipients": [{"user": u} for u in people],
		}
	)
	doc.insert(ignore_permissions=True)
	if file:
		attach_file(doc, *file)
	deliver(doc)
	return doc.name


def send_system_message(
	recipients: list[str],
	subject: str,
	body: str,
	reference_doctype: str | None = None,
	reference_name: str | None = None,
) -> str | None:
	"""A message from code (e.g. a mail distribution note), delivered in the system, from the session user.

	Disabled or non-desk users are skipped, an over-long body is shortened; returns the message name, or
	None when nobody is left to receive it. No permission check: callers decide who is told what."""
	allowed = set(system_users())
	people = sorted({u for u in recipients or [] if u in allowed})
	if not people:
		return None
	limit = max_length()
	body = (body or "").strip() or subject
	if len(body) > limit:
		body = body[: limit - 1] + "…"
	doc = frappe.get_doc(
		{
			"doctype": MESSAGE,
			"subject": (subject or "").strip()[:140] or _("Internal Message"),
			"body": body,
			"audience": CHOSEN,
			"deliver_in_system": 1,
			"deliver_by_email": 0,
			"request_receipt": 0,
			"sender": frappe.session.user,
			"sent_on": now_datetime(),
			"reference_doctype": reference_doctype,
			"reference_name": reference_name,
			"recipients": [{"user": u} for u in people],
		}
	)
	doc.insert(ignore_permissions=True)
	deliver(doc)
	return doc.name


def attach_file(doc, filename: str, content: bytes) -> None:
	file = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": filename,
			"attached_to_doctype": MESSAGE,
			"attached_to_name": doc.name,
			"attached_to_field": "attachment",
			"is_private": 1,
			"content": content,
		}
	)
	file.flags.ignore_permissions = True
	file.insert()
	doc.db_set("attachment", file.file_url, update_modified=False)


def check_outgoing_mail() -> None:
	from frappe.email.doctype.email_account.email_account import EmailAccount

	if not EmailAccount.find_outgoing():
		frappe.throw(
			_(
				"No outgoing mailbox is set up, so the message cannot go by e-mail. Deliver it in the system only."
			),
			title=_("E-mail Not Available"),
		)


def deliver(doc) -> None:
	if cint(doc.deliver_in_system):
		payload = popup_payload(doc)
		for row in doc.recipients:
			frappe.publish_realtime(REALTIME_EVENT, payload, user=row.user, after_commit=True)
	if cint(doc.deliver_by_email):
		send_by_email(doc)
	if cint(doc.get("deliver_by_sms")):
		frappe.enqueue(
			"ent_crm.messages.service.send_by_sms",
			name=doc.name,
			queue="short",
			enqueue_after_commit=True,
			now=frappe.flags.in_test,
		)


def send_one_sms(number: str, text: str) -> None:
	"""One SMS through the gateway of Frappe's SMS Settings, built as Frappe's send_via_gateway builds it
	(its parameters, headers and request), without its SMS Log, whose module v15 no longer ships."""
	from frappe.core.doctype.sms_settings.sms_settings import get_headers, send_request, validate_receiver_nos

	settings = frappe.get_doc("SMS Settings")
	headers = get_headers(settings)
	params = {
		settings.message_parameter: text,
		settings.receiver_parameter: validate_receiver_nos([number])[0],
	}
	for row in settings.get("parameters"):
		if not row.header:
			params[row.parameter] = row.value
	send_request(
		settings.sms_gateway_url,
		params,
		headers,
		settings.use_post,
		headers.get("Content-Type") == "application/json",
	)


def sms_available() -> bool:
	return bool(frappe.db.get_single_value("SMS Settings", "sms_gateway_url"))


def send_by_sms(name: str) -> int:
	"""Background job: the message to each recipient's mobile number (User.mobile_no) through Frappe's SMS
	gateway, one request per number; returns how many went out. Recipients without a number are skipped."""
	doc = frappe.get_doc(MESSAGE, name)
	mobiles = dict(
		frappe.get_all(
			"User",
			filters={"name": ("in", [r.user for r in doc.recipients])},
			fields=["name", "mobile_no"],
			as_list=1,
		)
	)
	text = f"{frappe.utils.get_fullname(doc.sender)}: {doc.subject}\n{doc.body}"
	if len(text) > 500:
		text = text[:499] + "…"
	sent = 0
	for row in doc.recipients:
		number = (mobiles.get(row.user) or "").strip()
		if not number:
			continue
		try:
			send_one_sms(number, text)
		except Exception:
			doc.log_error(title="ent_crm message SMS")
			continue
		row.db_set("texted", 1, update_modified=False)
		sent += 1
	return sent


def popup_payload(doc) -> dict:
	return {
		"name": doc.name,
		"subject": doc.subject,
		"body": doc.body,
		"sender": doc.sender,
		"sender_name": frappe.utils.get_fullname(doc.sender),
		"sent_on": str(doc.sent_on),
		"request_receipt": cint(doc.request_receipt),
		"attachment": doc.get("attachment"),
		"reference_doctype": doc.reference_doctype,
		"reference_name": doc.reference_name,
	}


def send_by_email(doc) -> None:
	emails = dict(
		frappe.get_all(
			"User",
			filters={"name": ("in", [r.user for r in doc.recipients])},
			fields=["name", "email"],
			as_list=1,
		)
	)
	to = sorted({emails[r.user] for r in doc.recipients if emails.get(r.user)})
	if not to:
		return
	link = get_url(f"/app/ecrm-messages?message={doc.name}")
	parts = [f"<p>{escape_html(doc.body).replace(chr(10), '<br>')}</p>"]
	if cint(doc.request_receipt):
		parts.append(
			"<p>" + escape_html(_("The sender asks you to confirm that you received this message.")) + "</p>"
		)
	parts.append(f'<p><a href="{link}">{escape_html(_("Open in the CRM"))}</a></p>')
	attachments = []
	file = frappe.db.get_value("File", {"attached_to_doctype": MESSAGE, "attached_to_name": doc.name}, "name")
	if file:
		attachments.append({"fid": file})
	frappe.sendmail(
		recipients=to,
		subject=_("Message from {0}: {1}").format(frappe.utils.get_fullname(doc.sender), doc.subject),
		message="".join(parts),
		reference_doctype=MESSAGE,
		reference_name=doc.name,
		attachments=attachments,
		delayed=True,
	)
	for row in doc.recipients:
		if emails.get(row.user):
			row.db_set("emailed", 1, update_modified=False)


# --- reading -----------------------------------------------------------------------------------------


def my_row(name: str, user: str | None = None):
	user = user or frappe.session.user
	return frappe.db.get_value(
		RECIPIENT,
		{"parent": name, "parenttype": MESSAGE, "user": user, "deleted": 0},
		["name", "read_on", "receipt_on"],
		as_dict=True,
	)


def can_read(name: str, user: str | None = None) -> bool:
	user = user or frappe.session.user
	if frappe.db.get_value(MESSAGE, {"name": name, "sender": user, "sender_deleted": 0}):
		return True
	return bool(my_row(name, user))


def check_read(name: str) -> None:
	check_desk_user()
	if not frappe.db.exists(MESSAGE, name) or not can_read(name):
		frappe.throw(_("This message does not exist or is not yours."), frappe.PermissionError)


@frappe.whitelist()
def inbox(start: int = 0, page_length: int = 50, unread_only: int = 0) -> list[dict]:
	"""Messages the caller received and has not deleted, newest first."""
	check_desk_user()
	message = frappe.qb.DocType(MESSAGE)
	row = frappe.qb.DocType(RECIPIENT)
	query = (
		frappe.qb.from_(row)
		.join(message)
		.on(message.name == row.parent)
		.select(
			message.name,
			message.subject,
			message.body,
			message.sender,
			message.sent_on,
			message.request_receipt,
			message.attachment,
			message.reference_doctype,
			message.reference_name,
			message.deliver_in_system,
			row.read_on,
			row.receipt_on,
		)
		.where((row.user == frappe.session.user) & (row.deleted == 0) & (row.parenttype == MESSAGE))
		.orderby(message.sent_on, order=frappe.qb.desc)
		.limit(min(cint(page_length) or 50, 500))
		.offset(cint(start))
	)
	if cint(unread_only):
		query = query.where(row.read_on.isnull() & (message.deliver_in_system == 1))
	rows = query.run(as_dict=True)
	for r in rows:
		r.sender_name = frappe.utils.get_fullname(r.sender)
	return rows


@frappe.whitelist()
def unread() -> list[dict]:
	"""Unread in-system messages of the caller (shown as pop-ups after login)."""
	return inbox(0, 20, unread_only=1)


@frappe.whitelist()
def sent(start: int = 0, page_length: int = 50) -> list[dict]:
	"""Messages the caller sent and has not deleted, with how many read and confirmed them."""
	check_desk_user()
	rows = frappe.get_all(
		MESSAGE,
		filters={"sender": frappe.session.user, "sender_deleted": 0},
		fields=[
			"name",
			"subject",
			"body",
			"audience",
			"user_group",
			"sent_on",
			"request_receipt",
			"attachment",
			"deliver_in_system",
			"deliver_by_email",
		],
		order_by="sent_on desc",
		start=cint(start),
		page_length=min(cint(page_length) or 50, 500),
	)
	if not rows:
		return rows
	counts = frappe.db.sql(
		"""select parent, count(*), count(read_on), count(receipt_on)
		from `tabECRM Message Recipient` where parenttype=%(dt)s and parent in %(names)s group by parent""",
		{"dt": MESSAGE, "names": [r.name for r in rows]},
	)
	by_name = {c[0]: c[1:] for c in counts}
	for r in rows:
		r.recipient_count, r.read_count, r.receipt_count = by_name.get(r.name, (0, 0, 0))
	return rows


@frappe.whitelist()
def get_message(name: str) -> dict:
	"""One message for the caller; reading it as a recipient marks it read. The sender sees who read it."""
	check_read(name)
	doc = frappe.get_doc(MESSAGE, name)
	out = popup_payload(doc)
	out.update(
		{
			"audience": doc.audience,
			"user_group": doc.user_group,
			"deliver_by_email": doc.deliver_by_email,
			"deliver_in_system": doc.deliver_in_system,
			"deliver_by_sms": doc.deliver_by_sms,
		}
	)
	mine = my_row(name)
	if mine:
		if not mine.read_on:
			mine.read_on = now_datetime()
			frappe.db.set_value(RECIPIENT, mine.name, "read_on", mine.read_on, update_modified=False)
		out["read_on"] = str(mine.read_on)
		out["receipt_on"] = str(mine.receipt_on) if mine.receipt_on else None
	if doc.sender == frappe.session.user and not doc.sender_deleted:
		out["recipients"] = [
			{
				"user": r.user,
				"full_name": r.full_name or frappe.utils.get_fullname(r.user),
				"read_on": r.read_on,
				"receipt_on": r.receipt_on,
				"emailed": r.emailed,
				"texted": r.texted,
			}
			for r in doc.recipients
		]
	return out


@frappe.whitelist(methods=["POST"])
def mark_read(names: str | list) -> int:
	"""Mark the caller's copies of these messages read; returns how many changed."""
	check_desk_user()
	changed = 0
	for name in parse_users(names):
		mine = my_row(name)
		if mine and not mine.read_on:
			frappe.db.set_value(RECIPIENT, mine.name, "read_on", now_datetime(), update_modified=False)
			changed += 1
	return changed


@frappe.whitelist(methods=["POST"])
def confirm_receipt(name: str) -> str:
	"""The recipient's one click answering a receipt request; the sender is told at once."""
	check_desk_user()
	mine = my_row(name)
	if not mine:
		frappe.throw(_("This message does not exist or is not yours."), frappe.PermissionError)
	if not frappe.db.get_value(MESSAGE, name, "request_receipt"):
		frappe.throw(_("The sender did not ask for a receipt."))
	now = now_datetime()
	if not mine.receipt_on:
		frappe.db.set_value(
			RECIPIENT, mine.name, {"receipt_on": now, "read_on": mine.read_on or now}, update_modified=False
		)
		sender, subject = frappe.db.get_value(MESSAGE, name, ["sender", "subject"])
		frappe.publish_realtime(
			RECEIPT_EVENT,
			{
				"name": name,
				"subject": subject,
				"user": frappe.session.user,
				"full_name": frappe.utils.get_fullname(frappe.session.user),
			},
			user=sender,
			after_commit=True,
		)
	return str(mine.receipt_on or now)


@frappe.whitelist(methods=["POST"])
def delete_messages(names: str | list, box: str = "inbox") -> int:
	"""Delete messages for the caller only (J2): from their inbox or from their sent messages."""
	check_desk_user()
	if box not in ("inbox", "sent"):
		frappe.throw(_("Delete from the inbox or from the sent messages."))
	user = frappe.session.user
	deleted = 0
	for name in parse_users(names):
		if box == "inbox":
			mine = my_row(name, user)
			if not mine:
				continue
			frappe.db.set_value(RECIPIENT, mine.name, "deleted", 1, update_modified=False)
		else:
			if not frappe.db.get_value(MESSAGE, {"name": name, "sender": user, "sender_deleted": 0}):
				continue
			frappe.db.set_value(MESSAGE, name, "sender_deleted", 1, update_modified=False)
		deleted += 1
		remove_if_nobody_keeps(name)
	return deleted


def remove_if_nobody_keeps(name: str) -> None:
	if frappe.db.get_value(MESSAGE, name, "sender_deleted") and not frappe.db.exists(
		RECIPIENT, {"parent": name, "parenttype": MESSAGE, "deleted": 0}
	):
		frappe.delete_doc(MESSAGE, name, ignore_permissions=True, force=True, delete_permanently=True)


@frappe.whitelist()
def options() -> dict:
	"""What the message window needs: limits, audiences and how many people are online."""
	check_desk_user()
	return {
		"max_length": max_length(),
		"max_attachment_bytes": MAX_ATTACHMENT_BYTES,
		"online_count": len(set(online_users()) - {frappe.session.user}),
		"retention_days": retention_days(),
		"can_email": bool(outgoing_available()),
		"can_sms": sms_available(),
	}


def outgoing_available() -> bool:
	from frappe.email.doctype.email_account.email_account import EmailAccount

	return bool(EmailAccount.find_outgoing())


# --- retention ---------------------------------------------------------------------------------------


def purge_old_messages() -> int:
	"""Daily: messages sent more than the retention days ago go, with their files. 0 days keeps them."""
	days = retention_days()
	if days <= 0:
		return 0
	cutoff = add_to_date(now_datetime(), days=-days)
	names = frappe.get_all(MESSAGE, filters={"sent_on": ("<", cutoff)}, pluck="name")
	for name in names:
		frappe.delete_doc(MESSAGE, name, ignore_permissions=True, force=True, delete_permanently=True)
	return len(names)


# --- permission hooks --------------------------------------------------------------------------------


def query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	user = frappe.db.escape(user or frappe.session.user)
	return (
		f"((`tabECRM Message`.`sender` = {user} and `tabECRM Message`.`sender_deleted` = 0) or exists ("
		f"select 1 from `tabECRM Message Recipient` r where r.`parent` = `tabECRM Message`.`name` "
		f"and r.`parenttype` = 'ECRM Message' and r.`user` = {user} and r.`deleted` = 0))"
	)


def has_permission(doc, ptype: str | None = None, user: str | None = None, debug=False):
	"""Only the sender and the recipients read a message; nobody edits it through the desk."""
	user = user or frappe.session.user
	if user == "Administrator":
		return None
	if ptype not in ("read", "select", "print"):
		return False
	if doc.is_new():
		return False
	return None if can_read(doc.name, user) else False
