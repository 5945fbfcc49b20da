"""Stock phrases and personal templates (E1); Frappe's own e-mail dialog fills templates in through
`get_email_template` (hooks.py override_whitelisted_methods)."""

import frappe
from frappe import _
from frappe.utils import escape_html

from ent_crm.mail import placeholders
from ent_crm.mail.outbound.mailboxes import CUSTOMER, MAIL, require_mail_rights


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


def own_template(name: str):
	"""The caller's own personal template."""
	doc = frappe.get_doc("Email Template", name)
	if not doc.get("ecrm_personal") or doc.owner != frappe.session.user:
		frappe.throw(_("You can only delete your own personal templates."), frappe.PermissionError)
	return doc


def delete_personal_template(name: str) -> None:
	own_template(name)
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
