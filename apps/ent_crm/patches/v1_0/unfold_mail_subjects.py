"""Subjects of received mail were stored folded (with the line breaks of a long header), which broke
"forward as attachment": store them on one line, as mail is now received."""

import frappe

from ent_crm.mail.headers import unfold


def execute():
	for doctype in ("ECRM Mail", "Communication"):
		rows = frappe.db.sql(
			f"select name, subject from `tab{doctype}` where subject like %s or subject like %s",
			("%\n%", "%\r%"),
		)
		for name, subject in rows:
			frappe.db.set_value(doctype, name, "subject", unfold(subject).strip(), update_modified=False)
