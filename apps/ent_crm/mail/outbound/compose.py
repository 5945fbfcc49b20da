"""What the composer opens with (reply, reply all, forward, new mail) and templates filled in (E1)."""

import frappe
from frappe import _
from frappe.utils import escape_html

from ent_crm.core.addresses import normalise, split_line
from ent_crm.mail import approval, placeholders
from ent_crm.mail.outbound.checks import attachment_limit_mb
from ent_crm.mail.outbound.mailboxes import (
	CUSTOMER,
	MAIL,
	MODES,
	default_mailbox,
	readable_customer,
	readable_mail,
	require_mail_rights,
	sending_mailboxes,
)
from ent_crm.personal import settings as personal


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
