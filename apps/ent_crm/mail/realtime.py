"""New mail, live (H1): the users a newly stored mail concerns hear of it after the transaction commits,
so their workbench counts and lists, and the notice on any other page, move without a reload
(realtime event `ecrm_new_mail`, heard by the workbench page and public/js/ecrm_messages_listener.js)."""

import frappe

from ent_crm.core.roles import MAIL_ADMIN
from ent_crm.mail import routing


def users_concerned(mail: dict) -> set[str]:
	"""Who sees a new mail in a workbench queue: its assigned salesperson, the owners of its customer
	(or the supplier's merchandiser), and for unassigned mail the mail admins."""
	users = set()
	if mail.get("assigned_user"):
		users.add(mail["assigned_user"])
	if mail.get("is_personal"):
		return users
	if mail.get("reference_doctype") == "ECRM Customer" and mail.get("reference_name"):
		users.update(
			frappe.get_all(
				"ECRM Customer Owner",
				filters={"parenttype": "ECRM Customer", "parent": mail["reference_name"]},
				pluck="user",
			)
		)
	elif mail.get("reference_doctype") == "ECRM Supplier" and mail.get("reference_name"):
		users.add(frappe.db.get_value("ECRM Supplier", mail["reference_name"], "merchandiser_user"))
	if mail.get("queue") == routing.UNASSIGNED:
		users.update(mail_admin_users())
	return {u for u in users if u}


def mail_admin_users() -> list[str]:
	return frappe.get_all(
		"Has Role",
		filters={"parenttype": "User", "role": MAIL_ADMIN, "parent": ("not in", ["Administrator", "Guest"])},
		pluck="parent",
		distinct=True,
	)


def publish_new_mail(mail: dict) -> None:
	"""Tell the users concerned that a mail arrived (after the transaction commits): their workbench
	moves its counts and list without a reload (event `ecrm_new_mail`)."""
	message = {"mail": mail.get("name"), "queue": mail.get("queue"), "subject": mail.get("subject")}
	for user in users_concerned(mail):
		frappe.publish_realtime("ecrm_new_mail", message, user=user, after_commit=True)
