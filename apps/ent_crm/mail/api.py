"""Every whitelisted endpoint of the mail package (issue 16), one thin typed function each.

Each endpoint names the HTTP methods it answers (GET for reads, POST for writes; reads the desk calls with
frappe.call's default POST accept both), checks the caller's right first and then delegates to the
service function of its module. The service functions keep their own checks too, for the app's other
callers. Not here: Frappe's own routes the app wraps (hooks.py override_whitelisted_methods:
ent_crm.mail.outbound.templates.get_email_template, ent_crm.mail.form_load), which keep Frappe's names.
"""

import frappe
from frappe import _

from ent_crm.mail import approval, health, importer, mass_mail, receiving, triage
from ent_crm.mail.outbound import compose, decisions, drafts, mailboxes, sending, templates

READ = ["GET", "POST"]  # reads the desk calls with frappe.call / frappe.xcall (POST by default)

# --- inbound mail: triage (D2–D10) -------------------------------------------------------------------


@frappe.whitelist(methods=["POST"])
def distribute(mail: str, employee: str, note: str = "", route_address: int = 0) -> str:
	triage.require_mail_admin()
	triage.get_mail(mail)
	return triage.distribute(mail, employee, note, route_address)


@frappe.whitelist(methods=["POST"])
def forward_to_salesperson(mail: str, employee: str, note: str = "") -> str:
	triage.get_mail(mail)
	return triage.forward_to_salesperson(mail, employee, note)


@frappe.whitelist(methods=["POST"])
def merge(mail: str, customer: str, scope: str = "mail") -> str:
	triage.get_mail(mail)
	return triage.merge(mail, customer, scope)


@frappe.whitelist(methods=["GET"])
def new_record_from_mail(mail: str) -> dict:
	triage.get_mail(mail, "read")
	return triage.new_record_from_mail(mail)


@frappe.whitelist(methods=["POST"])
def move_to(mail: str, queue: str) -> str:
	triage.get_mail(mail)
	return triage.move_to(mail, queue)


@frappe.whitelist(methods=["POST"])
def restore(mail: str) -> str:
	triage.get_mail(mail)
	return triage.restore(mail)


@frappe.whitelist(methods=["POST"])
def delete_forever(mail: str) -> None:
	triage.deletable_mail(mail)
	return triage.delete_forever(mail)


@frappe.whitelist(methods=["POST"])
def block(mail: str, scope: str = "address", reason: str = "") -> str:
	triage.get_mail(mail)
	return triage.block(mail, scope, reason)


@frappe.whitelist(methods=["POST"])
def mark_followed(
	mail: str | None = None,
	contact_purpose: str = "",
	mail_category: str = "",
	products: str | list | None = None,
	followup_days: int = 0,
	reminder: str = "",
) -> str:
	if mail:  # no mail at all is refused by the service with a message
		triage.get_mail(mail)
	return triage.mark_followed(mail, contact_purpose, mail_category, products, followup_days, reminder)


@frappe.whitelist(methods=["GET"])
def followup_proposal(mail: str) -> dict:
	triage.get_mail(mail, "read")
	return triage.followup_proposal(mail)


@frappe.whitelist(methods=READ)
def crm_colleagues(txt: str = "") -> list[dict]:
	triage.require_mail_reader()
	return triage.crm_colleagues(txt)


@frappe.whitelist(methods=["POST"])
def copy_to_colleagues(mail: str, users: str | list, note: str = "") -> int:
	triage.get_mail(mail, "read")
	return triage.copy_to_colleagues(mail, users, note)


@frappe.whitelist(methods=["POST"])
def route_address(address: str, employee: str, note: str = "") -> int:
	triage.require_mail_admin()
	return triage.route_address(address, employee, note)


@frappe.whitelist(methods=["POST"])
def revoke_address(address: str) -> int:
	triage.require_mail_admin()
	return triage.revoke_address(address)


@frappe.whitelist(methods=["GET"])
def queue_counts(employee: str | None = None) -> dict:
	triage.counted_user(employee)
	return triage.queue_counts(employee)


@frappe.whitelist(methods=["POST"])
def process_again(failure: str) -> str | None:
	triage.require_mail_admin()
	return triage.process_again(failure)


# --- receiving, import, mailbox health (C3, C5, C8) ----------------------------------------------------


@frappe.whitelist(methods=["POST"])
def receive_now(email_account: str | None = None) -> list[str]:
	receiving.pullable(email_account)
	return receiving.receive_now(email_account)


@frappe.whitelist(methods=["POST"])
def start_eml_import(email_account: str, file_url: str, part: str = "Inbox", followed: int = 0) -> str:
	importer.check_import_rights(email_account)
	return importer.start_eml_import(email_account, file_url, part, followed)


@frappe.whitelist(methods=["GET"])
def get_mailbox_health() -> dict:
	health.require_health_viewer()
	return health.get_mailbox_health()


# --- writing mail (E1–E4) -------------------------------------------------------------------------------


@frappe.whitelist(methods=READ)
def compose_defaults(
	mode: str = "new", mail: str | None = None, customer: str | None = None, recipients: str | None = None
) -> dict:
	mailboxes.require_mail_rights()
	return compose.compose_defaults(mode, mail, customer, recipients)


@frappe.whitelist(methods=READ)
def render_template(template: str, customer: str | None = None) -> dict:
	mailboxes.require_mail_rights()
	return compose.render_template(template, customer)


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
	attachments: str | list | None = None,
	email_template: str | None = None,
) -> str:
	values = dict(locals())  # the mail's fields as given, nothing else yet
	mailboxes.require_mail_rights()
	return drafts.save_draft(values)


@frappe.whitelist(methods=READ)
def draft_attachments(name: str) -> list[str]:
	mailboxes.authored_mail(name, _("Only the author can change this mail."))
	return drafts.draft_attachments(name)


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
	attachments: str | list | None = None,
	email_template: str | None = None,
) -> dict:
	values = dict(locals())  # the mail's fields as given, nothing else yet
	mailboxes.require_mail_rights()
	return sending.send(values)


@frappe.whitelist(methods=["POST"])
def cancel(name: str) -> str:
	mailboxes.authored_mail(name, _("Only the author can cancel this mail."))
	return sending.cancel(name)


@frappe.whitelist(methods=["POST"])
def reopen(name: str) -> str:
	mailboxes.authored_mail(name, _("Only the author can change this mail."))
	return sending.reopen(name)


@frappe.whitelist(methods=READ)
def phrases_and_templates() -> dict:
	mailboxes.require_mail_rights()
	return templates.phrases_and_templates()


@frappe.whitelist(methods=["POST"])
def save_personal_template(name: str, subject: str, response: str) -> str:
	mailboxes.require_mail_rights()
	return templates.save_personal_template(name, subject, response)


@frappe.whitelist(methods=["POST"])
def delete_personal_template(name: str) -> None:
	templates.own_template(name)
	return templates.delete_personal_template(name)


# --- approval (E5) ----------------------------------------------------------------------------------------


@frappe.whitelist(methods=READ)
def pending_for_me() -> list[dict]:
	approval.require_reader()
	return approval.pending_for_me()


@frappe.whitelist(methods=["POST"])
def approve_mail(mail: str) -> str:
	approval.get_pending(mail)
	return decisions.approve(mail)


@frappe.whitelist(methods=["POST"])
def reject_mail(mail: str, reason: str) -> str:
	approval.get_pending(mail)
	return decisions.reject(mail, reason)


# --- mass mailings (E7) ----------------------------------------------------------------------------------


@frappe.whitelist(methods=READ)
def preview_mailing(mailing: str) -> dict:
	mass_mail.get_mailing(mailing)
	return mass_mail.preview(mailing)


@frappe.whitelist(methods=["POST"])
def start_mailing(mailing: str) -> str:
	mass_mail.own_mailing(mailing)
	return mass_mail.start(mailing)


@frappe.whitelist(methods=["POST"])
def approve_mailing(mailing: str) -> str:
	mass_mail.pending_mailing(mailing)
	return mass_mail.approve(mailing)


@frappe.whitelist(methods=["POST"])
def reject_mailing(mailing: str, reason: str) -> str:
	mass_mail.pending_mailing(mailing)
	return mass_mail.reject(mailing, reason)


@frappe.whitelist(methods=READ)
def mailing_report(mailing: str) -> dict:
	mass_mail.get_mailing(mailing)
	return mass_mail.report(mailing)
