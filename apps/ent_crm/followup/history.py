"""A customer's whole contact history (F5): mail received and sent, contact logs, by folder.

Mail comes from ECRM Mail rows referencing the customer (inbound and outbound alike), logs from
ECRM Contact Log; both are read through their visibility rules, so a salesperson sees what they may see.
"""

import frappe
from frappe import _
from frappe.utils import cint

from ent_crm.core.visibility import mail_query_conditions
from ent_crm.followup.permissions import contact_log_query_conditions

KINDS = ("received", "sent", "contact_log")
HIDDEN_QUEUES = ("Trash", "Recycle Bin")
NOT_SENT = ("Draft", "Pending Approval", "Rejected", "Scheduled", "Failed", "Cancelled")
MAX_PAGE = 200


def mail_counts_as_contact(alias: str = "`tabECRM Mail`") -> str:
	"""SQL: a mail that is a contact with the customer (not in the trash, an outbound one really sent)."""
	condition = f"{alias}.queue not in ('Trash', 'Recycle Bin')"
	if frappe.db.has_column("ECRM Mail", "outbound_status"):
		quoted = ", ".join(frappe.db.escape(s) for s in NOT_SENT)
		condition += (
			f" and ({alias}.direction = 'Inbound' or ifnull({alias}.outbound_status, '') not in ({quoted}))"
		)
	return condition


def _kinds(kinds) -> set[str]:
	if not kinds:
		return set(KINDS)
	if isinstance(kinds, str):
		kinds = (
			frappe.parse_json(kinds)
			if kinds.strip().startswith("[")
			else [k.strip() for k in kinds.split(",")]
		)
	unknown = set(kinds) - set(KINDS)
	if unknown:
		frappe.throw(_("Unknown kind of history entry: {0}").format(", ".join(sorted(unknown))))
	return set(kinds)


def customer_history(
	customer: str,
	kinds=None,
	folder: str = "",
	start: int = 0,
	page_length: int = 50,
	user: str | None = None,
) -> dict:
	user = user or frappe.session.user
	wanted = _kinds(kinds)
	start, page_length = max(cint(start), 0), max(1, min(cint(page_length) or 50, MAX_PAGE))
	upto = start + page_length + 1
	entries = []
	directions = [d for k, d in (("received", "Inbound"), ("sent", "Outbound")) if k in wanted]
	values = {"customer": customer, "upto": upto, "folder": folder, "directions": directions}
	folder_sql = " and folder = %(folder)s" if folder else ""
	if directions:
		visible = mail_query_conditions(user)
		entries += frappe.db.sql(
			f"""select 'ECRM Mail' as doctype, name, received_at as at, direction, subject, sender,
				sender_name, contact_name, folder, queue, assigned_user as user
			from `tabECRM Mail` where reference_doctype = 'ECRM Customer' and reference_name = %(customer)s
				and direction in %(directions)s and {mail_counts_as_contact()}{folder_sql}
				{"and " + visible if visible else ""}
			order by received_at desc limit %(upto)s""",
			values,
			as_dict=True,
		)
	if "contact_log" in wanted:
		visible = contact_log_query_conditions(user)
		entries += frappe.db.sql(
			f"""select 'ECRM Contact Log' as doctype, name, contact_date as at, direction, subject,
				method, purpose, remarks, folder, next_followup_date, owner as user
			from `tabECRM Contact Log` where customer = %(customer)s{folder_sql}
				{"and " + visible if visible else ""}
			order by contact_date desc limit %(upto)s""",
			values,
			as_dict=True,
		)
	entries.sort(key=lambda e: e.at, reverse=True)
	page = entries[start : start + page_length]
	return {"entries": page, "has_more": len(entries) > start + page_length}


def get_history(customer: str, kinds=None, folder: str = "", start: int = 0, page_length: int = 50) -> dict:
	"""The history panel of the customer form and the follow-up page (F5); the caller checks the user may
	read the customer (ent_crm.followup.api)."""
	if folder and frappe.db.get_value("ECRM Customer Folder", folder, "customer") != customer:
		frappe.throw(_("Folder {0} does not belong to this customer.").format(folder))
	return customer_history(customer, kinds, folder, start, page_length)
