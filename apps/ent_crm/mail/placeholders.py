"""Placeholders in text that users write: personal Email Templates and mass-mail text (E1, E6).

Such text is never handed to a template engine (Frappe's Jinja reaches the database through its
globals). It may hold a fixed set of placeholders, `{{ name }}`, filled in by plain substitution:

- the customer's fields: customer_name, mnemonic, region, customer_type, customer_level, customer_source,
  industry, primary_email, phone, fax, website, address (also written `{{ customer.customer_name }}` or
  `{{ doc.customer_name }}`, as the templates written for the former Jinja rendering did);
- contact_name (the customer's contact person with the recipient's address, else the first one),
  salesperson (the sender's full name), signature (the sender's e-mail signature).

Values are HTML-escaped when they go into HTML (the signature is the sender's own HTML, cleaned by
Frappe's HTML filter). Anything else between braces (`{% ... %}`, filters, attribute access, calls,
unknown names) is left as it is written, and refused with a message when such text is saved.

Company templates (Email Templates without "Personal Template", which only a System Manager may write)
are rendered by Frappe as before (`outbound.render`), with these placeholders in their context as well.
"""

import re

import frappe
from frappe import _
from frappe.model.base_document import BaseDocument
from frappe.utils import cstr, escape_html, get_fullname
from frappe.utils.html_utils import sanitize_html

from ent_crm.personal import settings as personal

CUSTOMER_FIELDS = (
	"customer_name",
	"mnemonic",
	"region",
	"customer_type",
	"customer_level",
	"customer_source",
	"industry",
	"primary_email",
	"phone",
	"fax",
	"website",
	"address",
)
OTHER_NAMES = ("contact_name", "salesperson", "signature")
HTML_VALUES = ("signature",)  # already HTML: inserted as is into HTML, stripped of tags in plain text
PREFIXES = ("customer", "doc")  # {{ customer.customer_name }}: the record under the old Jinja names

_SPACE = r"(?:\s|&nbsp;|&#160;)*"
PLACEHOLDER = re.compile(
	r"{{" + _SPACE + r"([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)" + _SPACE + r"}}"
)
TEMPLATE_LIKE = re.compile(r"{{.*?}}|{%.*?%}|{#.*?#}|{{|{%", re.S)


def names() -> tuple[str, ...]:
	return CUSTOMER_FIELDS + OTHER_NAMES


def resolve(path: str) -> str | None:
	"""The placeholder's value name ("customer.customer_name" → "customer_name"), None when not allowed."""
	parts = path.split(".")
	if len(parts) == 2 and parts[0] in PREFIXES and parts[1] in CUSTOMER_FIELDS:
		return parts[1]
	if len(parts) == 1 and parts[0] in names():
		return parts[0]
	return None


def fill(text: str | None, values: dict, html: bool = True) -> str:
	"""`text` with its known placeholders replaced by `values`; everything else stays as written."""

	def one(match):
		key = resolve(match.group(1))
		if key is None:
			return match.group(0)
		value = values.get(key)
		if value is None:
			return ""
		if key in HTML_VALUES:
			return cstr(value) if html else frappe.utils.strip_html(cstr(value)).strip()
		return escape_html(cstr(value)) if html else cstr(value)

	return PLACEHOLDER.sub(one, text or "")


def unknown(text: str | None) -> list[str]:
	"""The template-like pieces of `text` that are not allowed placeholders."""
	found = []
	for match in TEMPLATE_LIKE.finditer(text or ""):
		piece = match.group(0)
		whole = PLACEHOLDER.fullmatch(piece)
		if whole and resolve(whole.group(1)):
			continue
		if piece not in found:
			found.append(piece)
	return found


def check(text: str | None, label: str) -> None:
	"""Refuse text (about to be saved) holding anything but the allowed placeholders."""
	wrong = unknown(text)
	if wrong:
		frappe.throw(
			_("{0} may only contain these placeholders: {1}. Not allowed: {2}").format(
				label,
				escape_html(", ".join("{{ " + n + " }}" for n in names())),
				escape_html(" ".join(wrong)[:300]),
			),
			title=_("Placeholders"),
		)


def values_for(customer=None, user: str | None = None, recipient: str | None = None) -> dict:
	"""The placeholder values for mail from `user` to `customer` (a document or dict, or None)."""
	user = user or frappe.session.user
	record = customer.as_dict() if isinstance(customer, BaseDocument) else (customer or {})
	values = {field: record.get(field) for field in CUSTOMER_FIELDS}
	contacts = record.get("contacts") or []
	wanted = (recipient or "").strip().lower()
	contact = next((c for c in contacts if wanted and (c.get("email") or "").strip().lower() == wanted), None)
	contact = contact or (contacts[0] if contacts else None)
	values["contact_name"] = (contact.get("contact_name") if contact else None) or ""
	values["salesperson"] = get_fullname(user) if user not in ("Guest", None) else ""
	signature = personal.signature_of(user)
	values["signature"] = sanitize_html(signature) if signature else ""
	return values


def is_personal(template_doc) -> bool:
	"""A template written by a user for themselves (not a company template)."""
	return bool(template_doc.get("ecrm_personal"))


def validate_personal_template(doc, method=None) -> None:
	"""doc_event Email Template validate: a personal template holds only the allowed placeholders."""
	if not is_personal(doc):
		return
	check(doc.subject, _("The template's subject"))
	check(doc.response_html if doc.use_html else doc.response, _("The template's text"))
