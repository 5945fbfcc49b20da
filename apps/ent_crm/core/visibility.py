"""Row-level visibility of customers and suppliers (G3, A5(4)).

A salesperson sees and changes only the customers they own, and a merchandiser only their suppliers;
managers and holders of ECRM All Customers see everything; mail admins read everything (to merge mail
into the right record) but change nothing. One SQL condition serves lists, link search,
reports and the REST API (`permission_query_conditions`), and `has_permission` applies the same rule to a
single document, so the two cannot drift apart.
"""

from dataclasses import dataclass

import frappe

from ent_crm.core.rights import mail_rights, reads_all_customers


def customer_condition(user: str | None = None, alias: str = "`tabECRM Customer`") -> str:
	"""SQL on ECRM Customer `alias`: the customers `user` may read; "" for those who read them all."""
	user = user or frappe.session.user
	return "" if reads_all_customers(user) else owned_customer(f"{alias}.`name`", user)


def owned_customer(column: str, user: str | None = None) -> str:
	"""SQL: the customer in `column` is one `user` owns (what a salesperson sees of customers)."""
	return (
		"exists (select 1 from `tabECRM Customer Owner` o where o.parenttype = 'ECRM Customer' "
		f"and o.parent = {column} and o.user = {frappe.db.escape(user or frappe.session.user)})"
	)


def customer_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	return customer_condition(user)


def customer_has_permission(doc, ptype: str | None = None, user: str | None = None, debug=False):
	user = user or frappe.session.user
	if ptype == "create" or reads_all_customers(user):
		return None  # role permissions decide the rest (mail admins have read only)
	if doc.is_new():
		return None
	owners = frappe.get_all(
		"ECRM Customer Owner",
		filters={"parenttype": "ECRM Customer", "parent": doc.name, "user": user},
		limit=1,
		pluck="name",
	)
	return None if owners else False


def supplier_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	user = user or frappe.session.user
	if reads_all_customers(user):
		return ""
	return f"`tabECRM Supplier`.`merchandiser_user` = {frappe.db.escape(user)}"


def supplier_has_permission(doc, ptype: str | None = None, user: str | None = None, debug=False):
	user = user or frappe.session.user
	if ptype == "create" or reads_all_customers(user) or doc.is_new():
		return None
	merchandiser_user = frappe.db.get_value("ECRM Supplier", doc.name, "merchandiser_user")
	return None if merchandiser_user == user else False


# --- mail (D1–D10, A5(1)(3)) ---------------------------------------------------------------------------
#
# A mail admin sees all system-mailbox mail; a holder of ECRM Personal Mail Reader sees personal-mailbox
# mail; managers and holders of ECRM All Customers see system mail of every customer (work inspection).
# A salesperson sees mail assigned to them and system mail of the customers and suppliers they own — so
# pending mail follows its customer when ownership changes — and mail that also arrived in their personal
# mailbox, though the CRM stored (and routed) it from the company mailbox (ECRM Mail Copy).
#
# The rule is one table of named parts. The permission hook ORs the parts that apply to a user into one
# condition; the workbench asks for the same parts made disjoint, each answerable from an index, and adds
# up their counts. Neither writes a part of its own, so the two cannot drift apart.

# which mail a part is limited to
SYSTEM_RIGHT = "system right"  # all system-mailbox mail: for those who read it all
PERSONAL_RIGHT = "personal right"  # all personal-mailbox mail: for holders of the reader right
OWN = "own"  # the user's own mail in either mailbox, where no right already shows that mailbox
OWN_SYSTEM = "own system"  # the user's own system-mailbox mail, where no right already shows it
COPY = "copy"  # copies in the user's personal mailbox (whatever mailbox the CRM stored the mail from)


@dataclass(frozen=True)
class MailPart:
	name: str
	scope: str
	sql: str  # on the mail table {t} for the user {me}
	doctype: str | None = None  # the reference_doctype the part is limited to (parts of two never overlap)


MAIL_PARTS = (
	MailPart("all_system", SYSTEM_RIGHT, "1=1"),
	MailPart("all_personal", PERSONAL_RIGHT, "1=1"),
	MailPart("assigned", OWN, "{t}.`assigned_user` = {me}"),
	# E5: the approver sees the outgoing mail they approve
	MailPart("approver", OWN, "{t}.`approver` = {me}"),
	MailPart(
		"customers",
		OWN_SYSTEM,
		"{t}.`reference_doctype` = 'ECRM Customer' and {t}.`reference_name` in (select o.parent from"
		" `tabECRM Customer Owner` o where o.parenttype = 'ECRM Customer' and o.user = {me})",
		"ECRM Customer",
	),
	MailPart(
		"suppliers",
		OWN_SYSTEM,
		"{t}.`reference_doctype` = 'ECRM Supplier' and {t}.`reference_name` in (select s.name from"
		" `tabECRM Supplier` s where s.merchandiser_user = {me})",
		"ECRM Supplier",
	),
	MailPart("copies", COPY, "{t}.`name` in (select c.mail from `tabECRM Mail Copy` c where c.user = {me})"),
)


def _mailboxes(part: MailPart, all_system: bool, all_personal: bool, personal: bool) -> tuple[int, ...]:
	"""The values of is_personal a part covers for a user with these rights ((0, 1): either; (): none)."""
	if part.scope == SYSTEM_RIGHT:
		return (0,) if all_system else ()
	if part.scope == PERSONAL_RIGHT:
		return (1,) if all_personal and personal else ()
	if part.scope == COPY:
		return (0, 1) if personal and not (all_system and all_personal) else ()
	uncovered = [0] if not all_system else []
	if part.scope == OWN and personal and not all_personal:
		uncovered.append(1)
	return tuple(uncovered)


def mail_parts(
	user: str | None = None, alias: str = "`tabECRM Mail`", personal: bool = True, disjoint: bool = False
) -> list[tuple[str, str]]:
	"""(name, SQL condition on the mail table `alias`) of each part of MAIL_PARTS that applies to `user`;
	their union is the mail the user sees. `personal=False` leaves personal-mailbox mail out (someone
	inspecting without the reader right). `disjoint`: each part less the earlier ones it may overlap, so
	counts can be added up."""
	user = user or frappe.session.user
	all_system, all_personal = mail_rights(user)
	me = frappe.db.escape(user)
	parts, taken = [], []
	for part in MAIL_PARTS:
		boxes = _mailboxes(part, all_system, all_personal, personal)
		if not boxes:
			continue
		sql = part.sql.format(t=alias, me=me)
		if len(boxes) == 1:
			sql = f"{alias}.`is_personal` = {boxes[0]}" + ("" if sql == "1=1" else f" and {sql}")
		condition = sql
		if disjoint:
			overlapping = [
				c
				for b, d, c in taken
				if set(b) & set(boxes) and (not d or not part.doctype or d == part.doctype)
			]
			if overlapping:
				condition += " and not coalesce((" + " or ".join(f"({c})" for c in overlapping) + "), 0)"
		taken.append((boxes, part.doctype, sql))
		parts.append((part.name, condition))
	return parts


def mail_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	user = user or frappe.session.user
	if all(mail_rights(user)):
		return ""
	return "(" + " or ".join(f"({sql})" for _name, sql in mail_parts(user)) + ")"


def _own_personal_mail(user: str, alias: str) -> str:
	me = frappe.db.escape(user)
	return "(" + " or ".join(p.sql.format(t=alias, me=me) for p in MAIL_PARTS if p.scope == OWN) + ")"


def personal_mail_condition(user: str | None = None, alias: str = "`tabECRM Mail`") -> str:
	"""SQL on ECRM Mail `alias`: the personal-mailbox part of the mail rule above. Personal mail stays with
	its salesperson (and its approver) unless the user holds the personal-mail right; "" when they do.
	Where the customer is already one the user may read (last contact, recent customers), this is all of
	the mail rule that is left to apply."""
	user = user or frappe.session.user
	if mail_rights(user)[1]:
		return ""
	return f"({alias}.`is_personal` = 0 or {_own_personal_mail(user, alias)})"


def hidden_communications(names: list[str], user: str | None = None) -> set[str]:
	"""Those of the Communications `names` that belong to personal-mailbox mail the user may not read
	(Frappe's form timeline lists every Communication linked to a record, whoever's mail it is)."""
	user = user or frappe.session.user
	names = [n for n in names or [] if n]
	if not names or mail_rights(user)[1]:
		return set()
	hidden = set()
	for mail, communication in frappe.db.sql(
		"select name, communication from `tabECRM Mail` where communication in %s and is_personal = 1",
		(names,),
	):
		if not frappe.has_permission("ECRM Mail", "read", doc=frappe.get_doc("ECRM Mail", mail), user=user):
			hidden.add(communication)
	return hidden


def mail_has_permission(doc, ptype: str | None = None, user: str | None = None, debug=False):
	user = user or frappe.session.user
	all_system, all_personal = mail_rights(user)
	if doc.is_new() or (all_system and all_personal):
		return None
	if ptype in (None, "read", "print") and frappe.db.exists(
		"DocShare", {"share_doctype": "ECRM Mail", "share_name": doc.name, "user": user, "read": 1}
	):
		return None  # an internal copy from a colleague: read only
	condition = mail_query_conditions(user)
	found = frappe.db.sql(
		f"select 1 from `tabECRM Mail` where `tabECRM Mail`.name = %s and {condition} limit 1", doc.name
	)
	return None if found else False
