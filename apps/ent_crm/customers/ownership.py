"""Who owns which customer (G3, G4): owners, the roles that see everything, strict region rules."""

import frappe
from frappe import _
from frappe.utils import today

from ent_crm.core.rights import employee_of, reads_all_customers, sees_all_customers


def may_change_owners(user: str | None = None) -> bool:
	"""Who may change a customer's owners: those who see every customer (managers, ECRM All Customers),
	as for the list's bulk actions (ent_crm.customers.ownership_actions) and the hand-over."""
	return sees_all_customers(user)


def check_owner_change(doc) -> None:
	"""Customer validate: an owner may not add or remove owners with a plain save (form, REST PUT,
	frappe.client.save); only those allowed to change owners may, and the app's own code (ignore_permissions)."""
	if doc.flags.ignore_permissions or may_change_owners():
		return
	if doc.is_new():
		check_new_owners(doc)
		return
	before = doc.get_doc_before_save()
	if not before:
		return
	if {row.employee for row in before.get("owners") or []} != {
		row.employee for row in doc.get("owners") or []
	}:
		frappe.throw(
			_("Only a manager can change the owners of a customer."),
			frappe.PermissionError,
			title=_("Not Permitted"),
		)


def check_new_owners(doc) -> None:
	"""A salesperson creates customers they own themselves (with, in strict mode, the region's default
	owners): naming a colleague as the owner would hand the record away unseen. Managers and mail admins
	(who file new customers from the mail they distribute, D4) choose the owners."""
	if reads_all_customers():
		return
	allowed = {employee_of()}
	if strict_mode() and doc.get("region"):
		allowed |= set(effective_rules(doc.region).default_owners)
	if {row.employee for row in doc.get("owners") or []} - allowed:
		frappe.throw(
			_("You can only create customers that you own yourself. A manager assigns other owners."),
			frappe.PermissionError,
			title=_("Not Permitted"),
		)


def add_owner(doc, employee: str, assigned_on: str | None = None) -> bool:
	"""Append `employee` to the customer's owners unless they are one already."""
	if any(row.employee == employee for row in doc.get("owners") or []):
		return False
	doc.append("owners", {"employee": employee, "assigned_on": assigned_on or today()})
	return True


def set_owner_fields(doc) -> None:
	"""Fill the owners' users and names (also for rows added in code) and the list column 'Owned By'."""
	missing = [row.employee for row in doc.get("owners") or [] if row.employee]
	info = (
		{
			e.name: e
			for e in frappe.get_all(
				"ECRM Employee", filters={"name": ("in", missing)}, fields=["name", "user", "employee_name"]
			)
		}
		if missing
		else {}
	)
	seen = set()
	for row in list(doc.get("owners") or []):
		if row.employee in seen:
			doc.remove(row)
			continue
		seen.add(row.employee)
		employee = info.get(row.employee)
		if employee:
			row.user, row.employee_name = employee.user, employee.employee_name
		row.assigned_on = row.assigned_on or today()
	doc.owner_names = ", ".join(row.employee_name or row.employee for row in doc.get("owners") or [])[:140]


# --- strict region mode (G4) -------------------------------------------------------------------------


def strict_mode() -> bool:
	return bool(frappe.db.get_single_value("ECRM Settings", "strict_region_mode"))


def effective_rules(region: str) -> frappe._dict:
	"""The rules of the nearest region, from `region` up to its continent, that has its own."""
	lft, rgt = frappe.db.get_value("ECRM Region", region, ["lft", "rgt"]) or (None, None)
	if lft is None:
		return frappe._dict(source=None, creators=[], default_owners=[])
	source = frappe.db.get_value(
		"ECRM Region",
		{"lft": ("<=", lft), "rgt": (">=", rgt), "has_own_rules": 1},
		"name",
		order_by="lft desc",
	)
	if not source:
		return frappe._dict(source=None, creators=[], default_owners=[])
	rows = frappe.get_all(
		"ECRM Region Employee",
		filters={"parenttype": "ECRM Region", "parent": source},
		fields=["parentfield", "employee"],
		order_by="idx asc",
	)
	return frappe._dict(
		source=source,
		creators=[r.employee for r in rows if r.parentfield == "authorised_creators"],
		default_owners=[r.employee for r in rows if r.parentfield == "default_owners"],
	)


def apply_region_rules_on_create(doc) -> None:
	"""Strict mode: only authorised creators (and managers) create customers in a region; its default
	owners are assigned. Non-strict: a salesperson creating a customer becomes its owner."""
	me = employee_of()
	if not strict_mode():
		if not doc.get("owners") and me and frappe.db.get_value("ECRM Employee", me, "is_salesperson"):
			add_owner(doc, me)
		return
	rules = effective_rules(doc.region)
	if not sees_all_customers() and me not in rules.creators:
		frappe.throw(
			_(
				"Strict region mode: you are not an authorised creator for region {0}. Ask a manager to add you to the region's rules."
			).format(_(doc.region)),
			frappe.PermissionError,
			title=_("Not Authorised for This Region"),
		)
	for employee in rules.default_owners:
		add_owner(doc, employee)


def push_down_rules(region: str) -> int:
	"""Copy a region's own rules to every region below it; returns how many regions were changed (the
	caller checks the user is a manager who may write the region: ent_crm.customers.api)."""
	source = frappe.get_doc("ECRM Region", region)
	if not source.has_own_rules:
		frappe.throw(_("Region {0} has no rules of its own to push down.").format(_(region)))
	creators = [r.employee for r in source.authorised_creators]
	owners = [r.employee for r in source.default_owners]
	descendants = frappe.get_all(
		"ECRM Region", filters={"lft": (">", source.lft), "rgt": ("<", source.rgt)}, pluck="name"
	)
	for name in descendants:
		region_doc = frappe.get_doc("ECRM Region", name)
		region_doc.has_own_rules = 1
		region_doc.set("authorised_creators", [{"employee": e} for e in creators])
		region_doc.set("default_owners", [{"employee": e} for e in owners])
		region_doc.save()
	return len(descendants)
