"""Custom folders of a customer's history (F5): by project or contract; mail can be moved into them."""

import frappe
from frappe import _

from ent_crm.customers.ownership_actions import name_list

FOLDER = "ECRM Customer Folder"


def validate(doc) -> None:
	doc.folder_name = (doc.folder_name or "").strip()
	if not doc.folder_name:
		frappe.throw(_("Please give the folder a name."))
	clash = frappe.db.get_value(
		FOLDER, {"customer": doc.customer, "folder_name": doc.folder_name, "name": ("!=", doc.name)}, "name"
	)
	if clash:
		frappe.throw(_("This customer already has a folder named {0}.").format(frappe.bold(doc.folder_name)))
	if not doc.is_new() and doc.has_value_changed("customer"):
		if frappe.db.exists("ECRM Mail", {"folder": doc.name}) or frappe.db.exists(
			"ECRM Contact Log", {"folder": doc.name}
		):
			frappe.throw(_("A folder that holds mail cannot move to another customer."))


def on_trash(doc) -> None:
	"""Deleting a folder puts its mail back into the customer's history; nothing is lost."""
	frappe.db.sql("update `tabECRM Mail` set folder = null where folder = %s", doc.name)
	frappe.db.sql("update `tabECRM Contact Log` set folder = null where folder = %s", doc.name)


def folders_of(customer: str) -> list[dict]:
	"""The customer's folders with how much each holds (for the history filter and the move dialog); the
	caller checks the user may read the customer (ent_crm.followup.api)."""
	rows = frappe.get_all(
		FOLDER,
		filters={"customer": customer},
		fields=["name", "folder_name", "folder_kind", "description"],
		order_by="folder_name asc",
		ignore_permissions=True,  # the customer's folders go with the customer
	)
	if rows:
		counts = dict(
			frappe.db.sql(
				"select folder, count(*) from `tabECRM Mail` where folder in %s group by folder",
				([r.name for r in rows],),
			)
		)
		for row in rows:
			row.mail_count = counts.get(row.name, 0)
	return rows


def create_folder(
	customer: str | None = None,
	folder_name: str | None = None,
	folder_kind: str = "Project",
	description: str = "",
) -> str:
	"""A new folder of `customer` (ent_crm.followup.api checks the user may read the customer)."""
	if not customer:
		frappe.throw(_("Please choose the customer of the folder."))
	if not (folder_name or "").strip():
		frappe.throw(_("Please give the folder a name."))
	doc = frappe.get_doc(
		{
			"doctype": FOLDER,
			"customer": customer,
			"folder_name": folder_name,
			"folder_kind": folder_kind or "Project",
			"description": description,
		}
	).insert()
	return doc.name


def move_to_folder(items=None, folder: str = "") -> int:
	"""Move mail (and contact logs) of one customer into one of its folders, or out of it (folder empty).

	`items` is a list of {"doctype": "ECRM Mail"|"ECRM Contact Log", "name": ...} or of mail names. The
	user must read the folder and write every item moved (checked here, item by item).
	"""
	if isinstance(items, str):
		try:
			items = frappe.parse_json(items) if items.strip().startswith("[") else name_list(items)
		except ValueError:
			frappe.throw(_("The list of mail to move could not be read."), title=_("Invalid Input"))
	if items and not isinstance(items, list | tuple):
		frappe.throw(_("The list of mail to move could not be read."), title=_("Invalid Input"))
	entries = [
		(i.get("doctype"), i.get("name")) if isinstance(i, dict) else ("ECRM Mail", i) for i in items or []
	]
	if any(
		not isinstance(name, str) or not name or not isinstance(doctype, str) for doctype, name in entries
	):
		frappe.throw(_("The list of mail to move could not be read."), title=_("Invalid Input"))
	if not entries:
		frappe.throw(_("Please choose the mail to move."))
	customer = None
	if folder:
		customer = frappe.db.get_value(FOLDER, folder, "customer")
		if not customer:
			frappe.throw(_("Folder {0} does not exist.").format(folder))
		frappe.has_permission(FOLDER, "read", folder, throw=True)
	moved = 0
	for doctype, name in entries:
		if doctype not in ("ECRM Mail", "ECRM Contact Log"):
			frappe.throw(_("Only mail and contact logs can be moved into a folder."))
		doc = frappe.get_doc(doctype, name)
		doc.check_permission("write")
		if doctype == "ECRM Mail":
			own_customer = doc.reference_name if doc.reference_doctype == "ECRM Customer" else None
		else:
			own_customer = doc.customer
		if customer and own_customer != customer:
			frappe.throw(
				_("{0} does not belong to the customer of this folder.").format(doc.get("subject") or name)
			)
		frappe.db.set_value(doctype, name, "folder", folder or None)
		moved += 1
	return moved
