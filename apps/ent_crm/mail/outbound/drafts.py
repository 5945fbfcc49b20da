"""The author's drafts: saved as they are (a bad date is left out, then refused), with their files."""

import json

import frappe
from frappe import _
from frappe.utils import cint, cstr, escape_html, get_datetime, get_fullname, getdate, now_datetime

from ent_crm.core.addresses import normalise, split_line
from ent_crm.core.rights import employee_of
from ent_crm.mail import approval, headers
from ent_crm.mail.outbound.compose import attachment_urls, fill_in, original_of
from ent_crm.mail.outbound.mailboxes import (
	CUSTOMER,
	DRAFT,
	EDITABLE,
	FAILED,
	MAIL,
	MODES,
	REJECTED,
	SCHEDULED,
	authored_mail,
	default_mailbox,
	readable_customer,
	readable_mail,
	sending_mailboxes,
)


def parse_attachments(attachments) -> list[str]:
	if not attachments:
		return []
	if isinstance(attachments, str):
		try:
			attachments = json.loads(attachments)
		except ValueError:
			attachments = [attachments]
	return [a.get("file_url") if isinstance(a, dict) else a for a in attachments if a]


def save_draft(values: dict) -> str:
	"""Save (or update) the user's draft from the composer's fields `values` (ent_crm.mail.api.save_draft);
	returns its name. Nothing is checked that could lose the text: a date that is not one is left out of
	the saved draft, then refused with a message."""
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


def draft_attachments(name: str) -> list[str]:
	"""The files of the author's own draft (the composer shows them when the draft is edited)."""
	doc = authored_mail(name, _("Only the author can change this mail."))
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
