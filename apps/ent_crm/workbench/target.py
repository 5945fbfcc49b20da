"""Whose workbench (manual ch.1 §6–8, H1): the caller's own, or a salesperson's that a manager inspects
("work inspection"), who sees exactly what that person sees — and which mail that is.

What a person sees is the mail visibility rule of `ent_crm.core.visibility`, asked for as disjoint parts
that the database can each answer from an index (an OR of EXISTS over a million mails cannot), so counts
and pages stay fast at any size. Personal-mailbox mail of another person needs the inspector's own right
(ECRM Personal Mail Reader), as in the Salesperson Mail report.
"""

import frappe
from frappe import _

from ent_crm.core import visibility
from ent_crm.core.rights import employee_of, is_mail_admin, mail_rights, sees_all_customers

# the unassigned queue is every system-mailbox mail not yet distributed: mail admins only
UNASSIGNED_PART = [("all_system", "m.is_personal = 0")]


def can_inspect(user: str | None = None) -> bool:
	"""Work inspection (H1): managers and holders of ECRM All Customers."""
	return sees_all_customers(user)


def resolve_target(employee: str | None = None) -> frappe._dict:
	"""Whose workbench the caller opens: their own, or (inspection) a salesperson's. Refused otherwise."""
	me = frappe.session.user
	own = employee_of(me)
	if not employee or employee == own:
		name = frappe.db.get_value("ECRM Employee", own, "employee_name") if own else None
		return frappe._dict(
			user=me, employee=own, employee_name=name or frappe.utils.get_fullname(me), inspecting=False
		)
	if not can_inspect(me):
		frappe.throw(
			_("Only managers can inspect another salesperson's work."),
			frappe.PermissionError,
			title=_("Not Permitted"),
		)
	row = frappe.db.get_value("ECRM Employee", employee, ["name", "user", "employee_name"], as_dict=True)
	if not row or not row.user:
		frappe.throw(_("Employee {0} has no user account to inspect.").format(employee))
	return frappe._dict(user=row.user, employee=row.name, employee_name=row.employee_name, inspecting=True)


def target_info(target: frappe._dict) -> dict:
	return {
		"user": target.user,
		"employee": target.employee,
		"employee_name": target.employee_name,
		"inspecting": target.inspecting,
	}


def salespeople() -> list[dict]:
	"""Whom an inspector can pick: the salespeople in service."""
	return frappe.get_all(
		"ECRM Employee",
		filters={"is_salesperson": 1, "status": "In Service"},
		fields=["name", "employee_name"],
		order_by="name asc",
	)


def mail_parts(target: frappe._dict) -> list[tuple[str, str]]:
	"""(part name, SQL condition on `tabECRM Mail` m): the disjoint parts of the mail the target sees. When
	someone else inspects, personal-mailbox mail is left out unless the inspector may read it."""
	personal = not target.inspecting or mail_rights(frappe.session.user)[1]
	return visibility.mail_parts(target.user, alias="m", personal=personal, disjoint=True)


def sees_unassigned(target: frappe._dict) -> bool:
	return is_mail_admin(target.user)


def in_view(target: frappe._dict, mail: str) -> bool:
	"""Whether the mail is in the target's workbench (the unassigned queue included for mail admins)."""
	extra = (
		[("all_system", "m.is_personal = 0 and m.queue = 'Unassigned'")] if sees_unassigned(target) else []
	)
	for _name, part in mail_parts(target) + extra:
		if frappe.db.sql(f"select 1 from `tabECRM Mail` m where m.name = %s and ({part}) limit 1", mail):
			return True
	return False
