"""Delivery of an internal message: in the system (a realtime pop-up for whoever is connected; the others
see the unread message at their next login and in the Messages page), by e-mail through Frappe's Email
Queue, and by SMS to the users' mobile numbers through Frappe's SMS Settings gateway when one is set up
(a background job)."""

import frappe
from frappe import _
from frappe.utils import cint, escape_html, get_url

MESSAGE = "ECRM Message"
REALTIME_EVENT = "ecrm_message"


def deliver(doc) -> None:
	if cint(doc.deliver_in_system):
		payload = popup_payload(doc)
		for row in doc.recipients:
			frappe.publish_realtime(REALTIME_EVENT, payload, user=row.user, after_commit=True)
	if cint(doc.deliver_by_email):
		send_by_email(doc)
	if cint(doc.get("deliver_by_sms")):
		frappe.enqueue(
			"ent_crm.messages.delivery.send_by_sms",
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


def check_outgoing_mail() -> None:
	from frappe.email.doctype.email_account.email_account import EmailAccount

	if not EmailAccount.find_outgoing():
		frappe.throw(
			_(
				"No outgoing mailbox is set up, so the message cannot go by e-mail. Deliver it in the system only."
			),
			title=_("E-mail Not Available"),
		)


def outgoing_available() -> bool:
	from frappe.email.doctype.email_account.email_account import EmailAccount

	return bool(EmailAccount.find_outgoing())
