"""Sending mail (E1–E4): reply, reply all, forward, forward as attachment, new mail, scheduled mail.

Every outgoing mail is first an ECRM Mail row with direction "Outbound" and a sending status (Draft,
Pending Approval, Rejected, Scheduled, Queued, Sent, Failed, Cancelled), seen by its author (assigned to their
employee record) and, for the company mailbox, by the customer's owners. `send` saves the draft and
commits it before checking the mail, so a refusal (bad address, attachment too big, unknown customer, a
template that does not render) loses nothing.

Sending goes through Frappe: a Communication (on the customer's timeline, threaded with In-Reply-To and
References from the mail answered) and Frappe's Email Queue, sent by the chosen mailbox. Scheduled mail
stays in our row until it is due (Frappe purges its queue after 30 days, and the row stays editable and
cancellable); `release_due` (scheduler, every few minutes) hands due mail to the Email Queue.

A mail handed to the Email Queue is "Queued"; it becomes "Sent" only when the mail server accepted it, or
"Failed" with the server's answer once Frappe gives up (`delivery_changed`, on every change of the queue's
delivery status; `sync_delivery` hourly as a backstop). A mass mailing's recipient rows follow their mail
the same way (`mailing_delivery`).
"""

import json
from email.utils import formataddr

import frappe
from frappe import _
from frappe.utils import cint, cstr, escape_html, get_datetime, get_fullname, getdate, now_datetime

from ent_crm.core.addresses import is_valid, normalise, split_line
from ent_crm.core.rights import employee_of
from ent_crm.followup.reminders import schedule
from ent_crm.mail import approval, headers, placeholders
from ent_crm.mail.triage import followed_by_reply
from ent_crm.personal import settings as personal

MAIL = "ECRM Mail"
CUSTOMER = "ECRM Customer"
DRAFT, PENDING, REJECTED, SCHEDULED, SENT, FAILED, CANCELLED = (
	"Draft",
	"Pending Approval",
	"Rejected",
	"Scheduled",
	"Sent",
	"Failed",
	"Cancelled",
)
QUEUED = "Queued"  # handed to Frappe's Email Queue, no server has accepted it yet
EDITABLE = (DRAFT, REJECTED, SCHEDULED, FAILED)
MODES = {
	"new": "New Mail",
	"reply": "Reply",
	"reply_all": "Reply All",
	"forward": "Forward Mail",
	"forward_attachment": "Forward as Attachment",
}


# --- mailboxes and defaults ------------------------------------------------------------------------------


def sending_mailboxes(user: str | None = None) -> list[str]:
	"""Email Accounts the user may send from: every sending account except other people's personal ones."""
	return personal.sending_mailboxes(user or frappe.session.user)


def default_mailbox(user: str | None = None) -> str | None:
	user = user or frappe.session.user
	usable = sending_mailboxes(user)
	chosen = personal.default_sending_mailbox(user)
	if chosen in usable:
		return chosen
	default = frappe.db.get_value("Email Account", {"enable_outgoing": 1, "default_outgoing": 1})
	if default in usable:
		return default
	return usable[0] if usable else None


# --- compose --------------------------------------------------------------------------------------------


def require_mail_rights() -> None:
	"""Writing mail is for those whose role may create ECRM Mail (salespeople, managers, mail admins)."""
	if not frappe.has_permission(MAIL, "create"):
		frappe.throw(_("You cannot send mail."), frappe.PermissionError)


def readable_mail(name: str):
	doc = frappe.get_doc(MAIL, name)
	if not frappe.has_permission(MAIL, "read", doc=doc):
		frappe.throw(_("You cannot read this mail."), frappe.PermissionError)
	return doc


def readable_customer(name: str):
	if not frappe.db.exists(CUSTOMER, name):
		frappe.throw(_("Customer {0} does not exist.").format(escape_html(name)), frappe.DoesNotExistError)
	doc = frappe.get_doc(CUSTOMER, name)
	if not frappe.has_permission(CUSTOMER, "read", doc=doc):
		frappe.throw(_("You cannot write to this customer: it is not yours."), frappe.PermissionError)
	return doc


def original_of(mail) -> frappe._dict:
	"""What a reply or forward needs from the mail answered: its Communication's addresses and text."""
	comm = frappe._dict()
	if mail.communication:
		comm = (
			frappe.db.get_value(
				"Communication",
				mail.communication,
				[
					"name",
					"sender",
					"recipients",
					"cc",
					"subject",
					"content",
					"communication_date",
					"message_id",
					"in_reply_to",
				],
				as_dict=True,
			)
			or frappe._dict()
		)
	if mail.direction == "Outbound" and not comm:
		comm = frappe._dict(sender=mail.sender, recipients=mail.recipients, cc=mail.cc, content=mail.content)
	comm.subject = comm.get("subject") or mail.subject or ""
	return comm


def prefixed(subject: str, prefix: str) -> str:
	subject = subject or ""
	return subject if subject.lower().startswith(prefix.lower()) else f"{prefix} {subject}".strip()


def quoted(original: frappe._dict) -> str:
	header = _("On {0}, {1} wrote:").format(
		original.get("communication_date") or "", escape_html(original.get("sender") or "")
	)
	return f"<p><br></p><blockquote><p>{header}</p>{original.get('content') or ''}</blockquote>"


@frappe.whitelist()
def compose_defaults(
	mode: str = "new", mail: str | None = None, customer: str | None = None, recipients: str | None = None
) -> dict:
	"""What the composer opens with: addresses, subject, quoted text, mailboxes, signature, approval."""
	require_mail_rights()
	if mode not in MODES:
		frappe.throw(_("Unknown way of writing a mail: {0}").format(escape_html(mode)))
	user = frappe.session.user
	out = frappe._dict(
		mode=mode,
		reply_to_mail=None,
		customer=customer,
		recipients=recipients or "",
		cc="",
		subject="",
		content="",
		attachments=[],
	)
	if mail:
		doc = readable_mail(mail)
		original = original_of(doc)
		out.reply_to_mail = doc.name
		if doc.reference_doctype == CUSTOMER and not customer:
			out.customer = doc.reference_name
		own = {normalise(a) for a in frappe.get_all("Email Account", pluck="email_id") if a}
		if mode in ("reply", "reply_all"):
			answer_to = doc.sender if doc.direction == "Inbound" else doc.recipients
			out.recipients = ", ".join(split_line(answer_to))
			out.subject = prefixed(original.subject, "Re:")
			out.content = quoted(original)
			if mode == "reply_all":
				others = split_line(original.get("recipients")) + split_line(original.get("cc"))
				out.cc = ", ".join(a for a in others if a not in own and a not in split_line(out.recipients))
		else:
			out.subject = prefixed(original.subject, "Fwd:")
			if mode == "forward":
				out.content = quoted(original)
				out.attachments = attachment_urls(doc)
	elif customer:
		doc = readable_customer(customer)
		out.recipients = out.recipients or (doc.primary_email or "")
	if out.customer and not frappe.db.exists(CUSTOMER, out.customer):
		out.customer = None
	signature = personal.signature_of(user)
	out.update(
		signature=signature,
		mailboxes=sending_mailboxes(user),
		email_account=default_mailbox(user),
		approver=approval.approver_of(user),
		attachment_limit_mb=attachment_limit_mb(),
	)
	return out


def attachment_urls(mail) -> list[str]:
	"""The files of a mail (its Communication's for inbound mail), without the kept original .eml."""
	targets = [(MAIL, mail.name)]
	if mail.communication:
		targets.append(("Communication", mail.communication))
	urls = []
	for doctype, name in targets:
		for url in frappe.get_all(
			"File", filters={"attached_to_doctype": doctype, "attached_to_name": name}, pluck="file_url"
		):
			if url and url not in urls and not url.endswith(f"ecrm-mail-{mail.name}.eml"):
				urls.append(url)
	return urls


@frappe.whitelist()
def render_template(template: str, customer: str | None = None) -> dict:
	"""An Email Template (company or the user's personal one) filled in for the customer."""
	require_mail_rights()
	doc = frappe.get_doc("Email Template", template)
	if not frappe.has_permission("Email Template", "read", doc=doc):
		frappe.throw(_("You cannot use this template."), frappe.PermissionError)
	record = readable_customer(customer) if customer else None
	return render(doc, record)


def fill_in(template_doc, customer=None, recipient: str | None = None) -> dict:
	"""{subject, content} of a template for `customer` (a document or None). A personal template gets its
	placeholders substituted and is never executed; a company template (only a System Manager writes
	those) is rendered by Frappe's Jinja as before. Raises when a company template does not render."""
	values = placeholders.values_for(customer, recipient=recipient)
	if placeholders.is_personal(template_doc):
		return {
			"subject": placeholders.fill(template_doc.subject, values, html=False),
			"content": placeholders.fill(template_doc.response_, values),
		}
	record = customer.as_dict() if customer else {}
	context = {"doc": record, "customer": record, **record, **values}
	return {
		"subject": frappe.render_template(template_doc.subject or "", context),
		"content": frappe.render_template(template_doc.response_ or "", context),
	}


def render(template_doc, customer=None, recipient: str | None = None) -> dict:
	try:
		return fill_in(template_doc, customer, recipient)
	except Exception as error:
		frappe.throw(
			_("The template {0} cannot be filled in: {1}").format(
				escape_html(template_doc.name), escape_html(str(error))
			),
			title=_("Template Error"),
		)


# --- drafts ---------------------------------------------------------------------------------------------


def parse_attachments(attachments) -> list[str]:
	if not attachments:
		return []
	if isinstance(attachments, str):
		try:
			attachments = json.loads(attachments)
		except ValueError:
			attachments = [attachments]
	return [a.get("file_url") if isinstance(a, dict) else a for a in attachments if a]


@frappe.whitelist(methods=["POST"])
def save_draft(
	name: str | None = None,
	mode: str = "new",
	reply_to_mail: str | None = None,
	customer: str | None = None,
	recipients: str | None = None,
	cc: str | None = None,
	bcc: str | None = None,
	subject: str | None = None,
	content: str | None = None,
	email_account: str | None = None,
	read_receipt: int = 0,
	send_after: str | None = None,
	contact_purpose: str | None = None,
	next_contact_date: str | None = None,
	notes: str | None = None,
	attachments=None,
	email_template: str | None = None,
) -> str:
	"""Save (or update) the user's draft; returns its name. Nothing is checked that could lose the text:
	a date that is not one is left out of the saved draft, then refused with a message."""
	values = {k: v for k, v in locals().items()}
	doc = upsert_draft(values)
	if doc.flags.bad_dates:
		frappe.db.commit()  # nosemgrep: the draft is kept with the user's text; only the date is refused
		frappe.throw(doc.flags.bad_dates[0], title=_("Draft Saved"))
	return doc.name


def upsert_draft(values: dict):
	user = frappe.session.user
	if not frappe.has_permission(MAIL, "create"):
		frappe.throw(_("You cannot send mail."), frappe.PermissionError)
	name = values.get("name")
	if name:
		doc = frappe.get_doc(MAIL, name)
		if doc.direction != "Outbound" or doc.owner != user:
			frappe.throw(_("Only the author can change this mail."), frappe.PermissionError)
		if doc.outbound_status not in EDITABLE:
			frappe.throw(_("This mail can no longer be changed: it is {0}.").format(_(doc.outbound_status)))
	else:
		doc = frappe.new_doc(MAIL)
		doc.update(
			{
				"direction": "Outbound",
				"queue": "Handled",
				"outbound_status": DRAFT,
				"assigned_employee": employee_of(user),
			}
		)
	problems = []
	mode = values.get("mode") or "new"
	doc.compose_mode = MODES.get(mode, "New Mail")
	if values.get("reply_to_mail"):
		readable_mail(values["reply_to_mail"])
		doc.reply_to_mail = values["reply_to_mail"]
	customer = (values.get("customer") or "").strip()
	if not customer and doc.reply_to_mail:
		original = frappe.db.get_value(
			MAIL, doc.reply_to_mail, ["reference_doctype", "reference_name"], as_dict=True
		)
		if original.reference_doctype == CUSTOMER:
			customer = original.reference_name
	doc.reference_doctype = doc.reference_name = doc.reference_title = None
	if customer:
		if frappe.db.exists(CUSTOMER, customer):
			record = readable_customer(customer)
			doc.reference_doctype, doc.reference_name, doc.reference_title = (
				CUSTOMER,
				record.name,
				record.customer_name,
			)
		else:
			problems.append(_("Customer {0} does not exist.").format(escape_html(customer)))
	account = values.get("email_account") or doc.email_account or default_mailbox(user)
	if account and account not in sending_mailboxes(user):
		frappe.throw(_("You cannot send mail from {0}.").format(escape_html(account)), frappe.PermissionError)
	doc.email_account = account
	kind, address = (
		frappe.db.get_value("Email Account", account, ["ecrm_mailbox_kind", "email_id"])
		if account
		else (None, None)
	)
	doc.is_personal = 1 if kind == "Personal Mailbox" else 0
	doc.sender, doc.sender_name = normalise(address) or None, get_fullname(user)
	for field in ("recipients", "cc", "bcc"):
		doc.set(field, (values.get(field) or "").strip() or None)
	for field in ("subject", "content", "contact_purpose", "notes"):
		doc.set(field, values.get(field) or None)
	doc.subject = (doc.subject or "")[:255] or None
	doc.read_receipt = cint(values.get("read_receipt"))
	bad_dates = []
	doc.send_after = parse_date(values.get("send_after"), _("Send At"), bad_dates, with_time=True)
	doc.next_contact_date = parse_date(values.get("next_contact_date"), _("Next Contact Date"), bad_dates)
	problems.extend(bad_dates)
	doc.received_at = now_datetime()
	template = values.get("email_template")
	if doc.outbound_status in (REJECTED, FAILED):
		doc.outbound_status = DRAFT
	if doc.outbound_status == SCHEDULED and approval.needs_approval(user):
		doc.outbound_status, doc.approved_by = DRAFT, None  # a changed mail needs a new approval
	doc.flags.ignore_permissions = True
	doc.save() if not doc.is_new() else doc.insert()
	forwarded = set(attachment_urls(frappe.get_doc(MAIL, doc.reply_to_mail))) if doc.reply_to_mail else set()
	wanted = parse_attachments(values.get("attachments"))
	if values.get("attachments") is not None:
		drop_other_files(doc, wanted)
	attach_files(doc, wanted, trusted=forwarded)
	if mode == "forward_attachment" and doc.reply_to_mail:
		attach_original(doc, frappe.get_doc(MAIL, doc.reply_to_mail))
	if template and not doc.content:
		fill_from_template(doc, template, problems)
	doc.flags.problems = problems
	doc.flags.bad_dates = bad_dates
	return doc


def parse_date(value, label: str, problems: list, with_time: bool = False):
	"""The date (and time) the user gave, or None with a message in `problems` when it is not one."""
	if value in (None, ""):
		return None
	try:
		return get_datetime(value) if with_time else getdate(value)
	except Exception:
		problems.append(
			_(
				"{0} is not a valid date: {1}. The draft was saved without it; correct the date and try again."
			).format(label, escape_html(cstr(value)[:100]))
		)
		return None


def fill_from_template(doc, template: str, problems: list) -> None:
	if not frappe.db.exists("Email Template", template):
		problems.append(_("Email Template {0} does not exist.").format(escape_html(template)))
		return
	template_doc = frappe.get_doc("Email Template", template)
	if not frappe.has_permission("Email Template", "read", doc=template_doc):
		problems.append(_("You cannot use this template."))
		return
	record = frappe.get_doc(CUSTOMER, doc.reference_name) if doc.reference_name else None
	try:
		rendered = fill_in(template_doc, record, recipient=(split_line(doc.recipients) or [None])[0])
	except Exception as error:
		problems.append(
			_("The template {0} cannot be filled in: {1}").format(
				escape_html(template), escape_html(str(error))
			)
		)
		return
	doc.db_set({"subject": doc.subject or rendered["subject"][:255], "content": rendered["content"]})


def drop_other_files(doc, keep: list[str]) -> None:
	"""The draft's files the author removed in the composer (the forwarded original .eml stays)."""
	rows = frappe.get_all(
		"File",
		filters={"attached_to_doctype": MAIL, "attached_to_name": doc.name},
		fields=["name", "file_url", "file_name"],
	)
	for row in rows:
		if row.file_url in keep or (
			doc.compose_mode == MODES["forward_attachment"] and (row.file_name or "").endswith(".eml")
		):
			continue
		frappe.delete_doc("File", row.name, ignore_permissions=True)


@frappe.whitelist()
def draft_attachments(name: str) -> list[str]:
	"""The files of the author's own draft (the composer shows them when the draft is edited)."""
	doc = frappe.get_doc(MAIL, name)
	if doc.direction != "Outbound" or doc.owner != frappe.session.user:
		frappe.throw(_("Only the author can change this mail."), frappe.PermissionError)
	names = frappe.get_all(
		"File",
		filters={"attached_to_doctype": MAIL, "attached_to_name": name},
		fields=["file_url", "file_name"],
	)
	return [
		f.file_url
		for f in names
		if not (doc.compose_mode == MODES["forward_attachment"] and (f.file_name or "").endswith(".eml"))
	]


def attach_files(doc, urls: list[str], trusted: set | None = None) -> None:
	"""Attach the chosen files (uploaded by the user, or `trusted`: those of the mail answered, which the
	user may read) to the draft."""
	have = set(
		frappe.get_all(
			"File", filters={"attached_to_doctype": MAIL, "attached_to_name": doc.name}, pluck="file_url"
		)
	)
	for url in urls:
		if not url or url in have:
			continue
		source = frappe.db.get_value(
			"File", {"file_url": url}, ["name", "file_name", "is_private"], as_dict=True
		)
		if not source:
			frappe.throw(_("The attachment {0} was not found.").format(escape_html(url)))
		if url not in (trusted or ()) and not frappe.has_permission(
			"File", "read", doc=frappe.get_doc("File", source.name)
		):
			frappe.throw(
				_("You cannot attach {0}.").format(escape_html(source.file_name or url)),
				frappe.PermissionError,
			)
		frappe.get_doc(
			{
				"doctype": "File",
				"file_url": url,
				"file_name": source.file_name,
				"is_private": source.is_private,
				"attached_to_doctype": MAIL,
				"attached_to_name": doc.name,
			}
		).insert(ignore_permissions=True)
		have.add(url)


def original_message(mail) -> bytes:
	"""The mail as it came (its kept .eml), else rebuilt from its Communication."""
	from email.message import EmailMessage
	from email.utils import format_datetime

	kept = frappe.db.get_value(
		"File",
		{
			"attached_to_doctype": MAIL,
			"attached_to_name": mail.name,
			"file_name": f"ecrm-mail-{mail.name}.eml",
		},
		"name",
	)
	if kept:
		return frappe.get_doc("File", kept).get_content()
	original = original_of(mail)
	message = EmailMessage()
	message["From"] = original.get("sender") or mail.sender or ""
	message["To"] = original.get("recipients") or ""
	if original.get("cc"):
		message["Cc"] = original.cc
	message["Subject"] = headers.unfold(original.subject or "")  # a header of one line (mail stored folded)
	if original.get("communication_date"):
		message["Date"] = format_datetime(get_datetime(original.communication_date))
	if original.get("message_id"):
		message["Message-ID"] = f"<{original.message_id}>"
	message.set_content(original.get("content") or "", subtype="html")
	return message.as_bytes()


def attach_original(doc, mail) -> None:
	"""Forward as attachment: the original mail as an .eml file of the draft (once)."""
	file_name = f"{headers.unfold(mail.subject or 'mail').replace('/', '_')[:80]}.eml"
	if frappe.db.exists(
		"File", {"attached_to_doctype": MAIL, "attached_to_name": doc.name, "file_name": file_name}
	):
		return
	frappe.get_doc(
		{
			"doctype": "File",
			"file_name": file_name,
			"content": original_message(mail),
			"is_private": 1,
			"attached_to_doctype": MAIL,
			"attached_to_name": doc.name,
		}
	).insert(ignore_permissions=True)


# --- checks ---------------------------------------------------------------------------------------------


def attachment_limit_mb() -> int:
	return cint(frappe.db.get_single_value("ECRM Settings", "attachment_size_limit_mb"))


def check_sendable(doc) -> None:
	"""Everything that would stop the mail, each with a clear message (the draft is kept by the caller)."""
	for problem in doc.flags.problems or []:
		frappe.throw(problem, title=_("Mail Not Sent"))
	if not doc.email_account:
		frappe.throw(_("Choose the mailbox to send from."), title=_("Mail Not Sent"))
	to = split_line(doc.recipients)
	if not to:
		frappe.throw(_("Enter at least one recipient."), title=_("Mail Not Sent"))
	wrong = [a for a in to + split_line(doc.cc) + split_line(doc.bcc) if not is_valid(a)]
	if wrong:
		frappe.throw(
			_("These addresses are not valid e-mail addresses: {0}").format(escape_html(", ".join(wrong))),
			title=_("Mail Not Sent"),
		)
	if not (doc.subject or "").strip():
		frappe.throw(_("Enter a subject."), title=_("Mail Not Sent"))
	limit = attachment_limit_mb()
	if limit:
		size = sum(
			cint(s)
			for s in frappe.get_all(
				"File", filters={"attached_to_doctype": MAIL, "attached_to_name": doc.name}, pluck="file_size"
			)
		)
		if size > limit * 1024 * 1024:
			frappe.throw(
				_(
					"The attachments are {0} MB together, more than the limit of {1} MB. Remove some and send again."
				).format(round(size / 1024 / 1024, 1), limit),
				title=_("Mail Not Sent"),
			)


# --- send -----------------------------------------------------------------------------------------------


@frappe.whitelist(methods=["POST"])
def send(
	name: str | None = None,
	mode: str = "new",
	reply_to_mail: str | None = None,
	customer: str | None = None,
	recipients: str | None = None,
	cc: str | None = None,
	bcc: str | None = None,
	subject: str | None = None,
	content: str | None = None,
	email_account: str | None = None,
	read_receipt: int = 0,
	send_after: str | None = None,
	contact_purpose: str | None = None,
	next_contact_date: str | None = None,
	notes: str | None = None,
	attachments=None,
	email_template: str | None = None,
) -> dict:
	"""Send the mail (or submit it for approval, or schedule it). Returns {name, status}."""
	values = {k: v for k, v in locals().items()}
	if not frappe.has_permission(MAIL, "create"):
		frappe.throw(_("You cannot send mail."), frappe.PermissionError)
	doc = upsert_draft(values)
	problems = doc.flags.problems
	frappe.db.commit()  # nosemgrep: the draft survives whatever the checks below refuse
	doc = frappe.get_doc(MAIL, doc.name)
	doc.flags.problems = problems
	check_sendable(doc)
	if approval.needs_approval(frappe.session.user):
		approval.submit(doc)
		return {"name": doc.name, "status": PENDING}
	with approval.released():
		status = release(doc)
	return {"name": doc.name, "status": status}


def release(doc, approved: bool = False) -> str:
	"""Hand the (checked, approved where needed) mail on: scheduled for later, or to the Email Queue now."""
	if doc.send_after and get_datetime(doc.send_after) > now_datetime():
		doc.db_set("outbound_status", SCHEDULED)
		close_loop(doc)
		return SCHEDULED
	status = dispatch(doc)
	close_loop(doc)
	return status


def close_loop(doc) -> None:
	"""A reply accepted for sending (sent now, or scheduled; after approval where one is needed) marks the
	pending mail it answers followed, with the reply's contact purpose and next contact date: the mail
	leaves the Known/Stranger Pending queue at once. A draft marks nothing."""
	if not doc.reply_to_mail or doc.compose_mode not in (MODES["reply"], MODES["reply_all"]):
		return
	if followed_by_reply(doc.reply_to_mail, doc) and doc.outbound_status == SCHEDULED:
		schedule_next_contact(doc)  # now, not when it goes: the mail has left the pending queue


@frappe.whitelist(methods=["POST"])
def cancel(name: str) -> str:
	"""The author takes back a scheduled, pending or draft mail; it stays as a cancelled row."""
	doc = frappe.get_doc(MAIL, name)
	if doc.direction != "Outbound" or doc.owner != frappe.session.user:
		frappe.throw(_("Only the author can cancel this mail."), frappe.PermissionError)
	if doc.outbound_status not in (DRAFT, SCHEDULED, PENDING, REJECTED, FAILED):
		frappe.throw(_("This mail can no longer be cancelled: it is {0}.").format(_(doc.outbound_status)))
	doc.db_set("outbound_status", CANCELLED)
	return CANCELLED


@frappe.whitelist(methods=["POST"])
def reopen(name: str) -> str:
	"""A scheduled or cancelled mail back to Draft, to change it (schedule it again by sending it)."""
	doc = frappe.get_doc(MAIL, name)
	if doc.direction != "Outbound" or doc.owner != frappe.session.user:
		frappe.throw(_("Only the author can change this mail."), frappe.PermissionError)
	if doc.outbound_status not in (SCHEDULED, CANCELLED, REJECTED, FAILED):
		frappe.throw(_("This mail can no longer be changed: it is {0}.").format(_(doc.outbound_status)))
	doc.db_set("outbound_status", DRAFT)
	return DRAFT


def release_due(now=None, email_account: str | None = None) -> int:
	"""Scheduler: hand every scheduled mail whose time has come to the Email Queue (of one mailbox when
	given). Returns how many."""
	now = get_datetime(now) if now else now_datetime()
	filters = {"direction": "Outbound", "outbound_status": SCHEDULED, "send_after": ("<=", now)}
	if email_account:
		filters["email_account"] = email_account
	due = frappe.get_all(
		MAIL,
		filters=filters,
		pluck="name",
		order_by="send_after asc",
		limit=500,
	)
	for name in due:
		doc = frappe.get_doc(MAIL, name)
		try:
			with approval.released():
				dispatch(doc)
			frappe.db.commit()  # nosemgrep: one mail at a time, like Frappe's own queue
		except Exception:
			frappe.db.rollback()
			frappe.db.set_value(
				MAIL, name, {"outbound_status": FAILED, "send_error": frappe.get_traceback()[-1000:]}
			)
			frappe.db.commit()  # nosemgrep
	return len(due)


def sync_delivery(days: int = 31) -> int:
	"""Scheduler (hourly), a backstop for `delivery_changed`: queued mail the server accepted becomes Sent,
	mail that Frappe's queue finally could not deliver (delivery status Error or Expired) becomes Failed with
	the server's answer, here and in its mass mailing. Returns how many changed."""
	rows = frappe.db.sql(
		"""select m.name, c.name as communication from `tabECRM Mail` m
		join `tabCommunication` c on c.name = m.communication
		where m.direction = 'Outbound' and m.outbound_status in %(open)s and m.received_at > %(since)s
		and (c.delivery_status in ('Error', 'Expired') or (m.outbound_status = %(queued)s and c.delivery_status = 'Sent'))""",
		{"open": (QUEUED, SENT), "queued": QUEUED, "since": frappe.utils.add_days(now_datetime(), -days)},
		as_dict=True,
	)
	return sum(1 for row in rows if follow_delivery(row.name, row.communication))


def delivery_changed(doc, method=None) -> None:
	"""doc_event Communication on_change: Frappe sets the delivery status of a sent mail's Communication
	each time its Email Queue row changes (Sending, Sent, Error); the CRM mail follows."""
	if doc.reference_doctype == MAIL and doc.reference_name and doc.sent_or_received == "Sent":
		follow_delivery(doc.reference_name, doc.name, doc.delivery_status)


def follow_delivery(name: str, communication: str, delivery_status: str | None = None) -> bool:
	"""Queued until every Email Queue row of the mail's Communication is Sent (a server accepted it), then
	Sent; Failed with the server's answer when Frappe gave up. While Frappe retries, the last answer is kept
	on the queued mail. Returns whether the mail changed."""
	mail = frappe.db.get_value(
		MAIL,
		name,
		["name", "owner", "subject", "outbound_status", "communication", "mass_mailing", "send_error"],
		as_dict=True,
	)
	if not mail or mail.communication != communication or mail.outbound_status not in (QUEUED, SENT, FAILED):
		return False  # an older attempt of a mail sent again, or a mail taken back
	rows = frappe.get_all(
		"Email Queue",
		filters={"communication": communication},
		fields=["status", "error"],
		order_by="modified desc",
	)
	statuses = {r.status for r in rows} or {
		delivery_status or frappe.db.get_value("Communication", communication, "delivery_status")
	}
	if statuses & {"Error", "Expired"}:
		status = FAILED
	elif statuses == {"Sent"}:
		status = SENT
	else:
		status = QUEUED
	error = None
	if status != SENT:
		error = server_answer(next((r.error for r in rows if r.error), None))
		if status == FAILED and not error:
			error = _("The mail server did not accept the mail.")
	if (status, error) == (mail.outbound_status, mail.send_error or None):
		return False
	frappe.get_doc(MAIL, name).db_set(
		{"outbound_status": status, "send_error": error}, update_modified=False, notify=True
	)
	if mail.mass_mailing:
		mailing_delivery(mail.mass_mailing, name, status, error)
	if status != mail.outbound_status:
		frappe.publish_realtime(
			"ecrm_mail_status",
			{"name": name, "subject": mail.subject, "status": status, "error": error},
			user=mail.owner,
			after_commit=True,
		)
	return True


def server_answer(error: str | None) -> str | None:
	"""The mail server's answer in a Frappe traceback: its last line (e.g. the 550 refusal)."""
	lines = (error or "").strip().splitlines()
	return lines[-1].strip()[:500] if lines else None


def mailing_delivery(mailing: str, mail: str, status: str, error: str | None) -> None:
	"""A mass mailing's recipient follows its mail: Queued (with the server's answer so far), Sent once the
	server accepted it, Failed with the server's answer; the mailing's counts follow its recipients."""
	frappe.db.set_value(
		"ECRM Mass Mailing Recipient", {"parent": mailing, "mail": mail}, {"status": status, "error": error}
	)
	recount_mailing(mailing)


def recount_mailing(mailing: str) -> dict:
	"""The mailing's sent/failed/skipped counts from its recipients' status. Returns the counts by status."""
	counts = dict(
		frappe.db.sql(
			"select status, count(*) from `tabECRM Mass Mailing Recipient` where parent = %s group by status",
			mailing,
		)
	)
	frappe.db.set_value(
		"ECRM Mass Mailing",
		mailing,
		{
			"sent": counts.get(SENT, 0),
			"failed": counts.get(FAILED, 0),
			"skipped": counts.get("Unsubscribed", 0) + counts.get("No Address", 0),
		},
		update_modified=False,
	)
	return counts


def thread_headers(doc) -> tuple[str | None, str | None, str | None]:
	"""(parent Communication, In-Reply-To, References) for a reply to `doc.reply_to_mail`."""
	if not doc.reply_to_mail:
		return None, None, None
	parent = frappe.db.get_value(MAIL, doc.reply_to_mail, ["communication", "dedup_key"], as_dict=True)
	comm = (
		frappe.db.get_value(
			"Communication", parent.communication, ["name", "message_id", "in_reply_to"], as_dict=True
		)
		if parent and parent.communication
		else None
	)
	message_id = (comm and comm.message_id) or (parent and headers.key_message_id(parent.dedup_key))
	if not message_id:
		return (comm and comm.name), None, None
	references = []
	if comm and comm.in_reply_to:
		earlier = frappe.db.get_value("Communication", comm.in_reply_to, "message_id")
		if earlier:
			references.append(f"<{earlier}>")
	references.append(f"<{message_id}>")
	return (comm and comm.name), f"<{message_id}>", " ".join(references)


def dispatch(doc, *, unsubscribe: bool = False) -> str:
	"""The Communication (timeline, thread) and the Email Queue row for one checked mail."""
	from frappe.email.email_body import get_message_id
	from frappe.utils import get_string_between

	account = frappe.get_cached_doc("Email Account", doc.email_account)
	sender = formataddr((doc.sender_name or account.name, account.email_id))
	parent, in_reply_to, references = thread_headers(doc)
	message_id = get_string_between("<", get_message_id(), ">")
	files = frappe.get_all(
		"File",
		filters={"attached_to_doctype": MAIL, "attached_to_name": doc.name},
		fields=["name", "file_url", "file_name", "is_private"],
	)
	comm = frappe.get_doc(
		{
			"doctype": "Communication",
			"communication_type": "Communication",
			"communication_medium": "Email",
			"sent_or_received": "Sent",
			"subject": doc.subject,
			"content": doc.content or "",
			"sender": sender,
			"sender_full_name": doc.sender_name,
			"recipients": doc.recipients,
			"cc": doc.cc,
			"bcc": doc.bcc,
			"email_account": account.name,
			"reference_doctype": MAIL,
			"reference_name": doc.name,
			"message_id": message_id,
			"in_reply_to": parent,
			"read_receipt": doc.read_receipt,
			"has_attachment": 1 if files else 0,
			"timeline_links": [{"link_doctype": doc.reference_doctype, "link_name": doc.reference_name}]
			if doc.reference_name
			else [],
		}
	)
	comm.flags.skip_add_signature = True
	comm.insert(ignore_permissions=True)
	if references:
		frappe.flags.setdefault("ecrm_references", {})[message_id] = references
	frappe.sendmail(
		recipients=split_line(doc.recipients),
		cc=split_line(doc.cc),
		bcc=split_line(doc.bcc),
		sender=sender,
		subject=doc.subject,
		content=doc.content or "",
		reference_doctype=CUSTOMER if unsubscribe else MAIL,
		reference_name=doc.reference_name if unsubscribe else doc.name,
		unsubscribe_message=_("Unsubscribe") if unsubscribe else None,
		attachments=[{"fid": f.name} for f in files],
		message_id=message_id,
		in_reply_to=in_reply_to,
		communication=comm.name,
		read_receipt=1 if doc.read_receipt else None,
		expose_recipients="header",
		delayed=True,
	)
	doc.db_set(
		{
			"outbound_status": QUEUED,
			"communication": comm.name,
			"dedup_key": message_id,
			"received_at": now_datetime(),
			"send_error": None,
		}
	)
	schedule_next_contact(doc)
	return QUEUED


def add_references(doc, method=None) -> None:
	"""doc_event Email Queue before_insert: Frappe sets In-Reply-To; we add References for threading."""
	refs = (
		(frappe.flags.get("ecrm_references") or {}).pop(doc.message_id or "", None)
		if doc.message_id
		else None
	)
	if not refs or not doc.message:
		return
	for separator in ("\r\n\r\n", "\n\n"):
		head, found, body = doc.message.partition(separator)
		if found:
			newline = separator[: len(separator) // 2]
			doc.message = f"{head}{newline}References: {refs}{separator}{body}"
			return


def schedule_next_contact(doc) -> None:
	"""A sent mail with a next contact date makes a reminder for the customer's owners (F2, H2's API)."""
	if not (doc.next_contact_date and doc.reference_doctype == CUSTOMER and doc.reference_name):
		return
	# the author chose the customer (checked when the draft was saved); the reminders go to its owners
	schedule(
		doc.reference_name, doc.next_contact_date, MAIL, doc.name, doc.subject or "", ignore_permissions=True
	)


# --- the approver's decision (E5) ----------------------------------------------------------------------


@frappe.whitelist(methods=["POST"])
def approve(mail: str) -> str:
	"""The approver lets the mail go: it is sent now, or waits in the outbox for its scheduled time."""
	doc = approval.get_pending(mail)
	doc.db_set({"approved_by": frappe.session.user, "outbound_status": DRAFT})
	with approval.released():
		status = release(doc, approved=True)
	approval.notify(doc.owner, doc, _("Your mail was approved: {0}").format(doc.subject or ""))
	return status


@frappe.whitelist(methods=["POST"])
def reject(mail: str, reason: str) -> str:
	"""Send the mail back to its author with the reason; they can change it and submit it again."""
	reason = approval.plain_reason(reason)
	doc = approval.get_pending(mail)
	doc.db_set({"outbound_status": REJECTED, "rejection_reason": reason, "approved_by": None})
	approval.notify(doc.owner, doc, _("Your mail was rejected: {0}").format(doc.subject or ""), reason)
	return REJECTED


# --- stock phrases and personal templates (E1) ----------------------------------------------------------


@frappe.whitelist()
def phrases_and_templates() -> dict:
	"""What the composer offers to insert: the user's stock phrases, company and own templates."""
	require_mail_rights()
	return {
		"phrases": frappe.get_list(
			"ECRM Stock Phrase", fields=["name", "title", "phrase"], order_by="title asc", limit=500
		),
		"templates": frappe.get_list(
			"Email Template", fields=["name", "subject", "ecrm_personal"], order_by="name asc", limit=500
		),
	}


@frappe.whitelist(methods=["POST"])
def save_personal_template(name: str, subject: str, response: str) -> str:
	"""Save a personal Email Template (seen by its author only); its author may overwrite it."""
	name = (name or "").strip()
	if not name:
		frappe.throw(_("Give the template a name."))
	if not frappe.has_permission(MAIL, "create"):
		frappe.throw(_("You cannot send mail."), frappe.PermissionError)
	if frappe.db.exists("Email Template", name):
		doc = frappe.get_doc("Email Template", name)
		if not doc.get("ecrm_personal") or doc.owner != frappe.session.user:
			frappe.throw(
				_("A template named {0} already exists. Choose another name.").format(escape_html(name))
			)
		doc.update({"subject": subject, "response": response, "use_html": 0})
		doc.save(ignore_permissions=True)
		return doc.name
	doc = frappe.get_doc(
		{
			"doctype": "Email Template",
			"name": name,
			"subject": subject,
			"response": response,
			"ecrm_personal": 1,
		}
	)
	doc.insert(ignore_permissions=True)
	return doc.name


@frappe.whitelist(methods=["POST"])
def delete_personal_template(name: str) -> None:
	doc = frappe.get_doc("Email Template", name)
	if not doc.get("ecrm_personal") or doc.owner != frappe.session.user:
		frappe.throw(_("You can only delete your own personal templates."), frappe.PermissionError)
	frappe.delete_doc("Email Template", name, ignore_permissions=True)


@frappe.whitelist()
def get_email_template(template_name: str, doc=None) -> dict:
	"""Frappe's own e-mail dialog fills a template in through this (in place of Frappe's function, which
	reads any template without a permission check and runs every template as Jinja): a personal template
	gets its placeholders substituted from the form's record, never executed; a company template is
	Frappe's as before."""
	template = frappe.get_doc("Email Template", template_name)
	if not frappe.has_permission("Email Template", "read", doc=template):
		frappe.throw(_("You cannot use this template."), frappe.PermissionError)
	if isinstance(doc, str):
		try:
			doc = frappe.parse_json(doc) if doc.strip() else {}
		except ValueError:
			frappe.throw(_("The record to fill the template in with is not valid."))
	doc = doc if isinstance(doc, dict) else {}
	if not placeholders.is_personal(template):
		return template.get_formatted_email(doc)
	values = placeholders.values_for(doc if doc.get("doctype") == CUSTOMER else None)
	return {
		"subject": placeholders.fill(template.subject, values, html=False),
		"message": placeholders.fill(template.response_, values),
	}


def template_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""Personal templates are seen by their author only (company templates by everyone)."""
	user = user or frappe.session.user
	if user == "Administrator":
		return ""
	return f"(ifnull(`tabEmail Template`.`ecrm_personal`, 0) = 0 or `tabEmail Template`.`owner` = {frappe.db.escape(user)})"


def template_has_permission(doc, ptype: str | None = None, user: str | None = None, debug=False):
	user = user or frappe.session.user
	if user == "Administrator" or not doc.get("ecrm_personal"):
		return None
	return None if doc.owner == user else False
