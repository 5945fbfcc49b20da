"""Frappe's Communication, with the contacts of a received mail looked up in one query.

Frappe links a mail to the Contact of every address in From, To, CC and BCC, looking each address up on
its own, and does it twice per received mail (on insert, and on the save after the attachments): a mail
to 1,000 recipients cost some 4,000 queries. Here all addresses are looked up at once, with the same
result; creating missing contacts (an Email Account option the CRM mailboxes turn off) stays Frappe's.
"""

import frappe
from frappe.core.doctype.communication.communication import Communication, get_emails


class ECRMCommunication(Communication):
	def set_timeline_links(self):
		create_contact = self.email_account and frappe.db.get_value(
			"Email Account", self.email_account, "create_contact"
		)
		if create_contact:
			return super().set_timeline_links()
		linking = bool(frappe.get_all("Email Account", filters={"enable_automatic_linking": 1}, limit=1))
		addresses = list(
			dict.fromkeys(
				without_link(a) if linking else a
				for a in get_emails([self.sender, self.recipients, self.cc, self.bcc])
				if a
			)
		)
		for contact, link_doctype, link_name in contacts_and_links(addresses):
			if link_doctype:
				self.add_link(link_doctype, link_name)
			else:
				self.add_link("Contact", contact)


def without_link(address: str) -> str:
	"""admin@example.com for admin+doctype+docname@example.com (Frappe's get_email_without_link, which asks
	the database once per address whether automatic linking is on)."""
	local, at, host = address.partition("@")
	return f"{local.split('+', 1)[0]}@{host}" if at else address


def contacts_and_links(addresses: list[str]) -> list[tuple[str, str | None, str | None]]:
	"""For each address's contact (the first one that exists, as Frappe's get_contact_name picks it):
	(contact, None, None) then (contact, link_doctype, link_name) for each of its links. Two queries."""
	if not addresses:
		return []
	rows = frappe.db.sql(
		"""select ce.email_id, ce.parent from `tabContact Email` ce join `tabContact` c on c.name = ce.parent
		where ce.parenttype = 'Contact' and ce.email_id in %(addresses)s order by ce.creation desc""",
		{"addresses": addresses},
	)
	first = {}
	for address, contact in rows:
		first.setdefault(address.lower(), contact)
	contacts = list(dict.fromkeys(first[a.lower()] for a in addresses if a.lower() in first))
	if not contacts:
		return []
	links = frappe.db.sql(
		"""select parent, link_doctype, link_name from `tabDynamic Link`
		where parenttype = 'Contact' and parent in %(contacts)s order by idx""",
		{"contacts": contacts},
	)
	by_contact = {}
	for contact, doctype, name in links:
		by_contact.setdefault(contact, []).append((contact, doctype, name))
	found = []
	for contact in contacts:
		found.append((contact, None, None))
		found += by_contact.get(contact, [])
	return found
