"""Row-level visibility of customers and suppliers (G3, A5(4)).

A salesperson sees and changes only the customers they own, and a merchandiser only their suppliers;
managers and holders of ECRM All Customers see everything; mail admins read everything (to merge mail
into the right record) but change nothing. One SQL condition serves lists, link search,
reports and the REST API (`permission_query_conditions`), and `has_permission` applies the same rule to a
single document, so the two cannot drift apart.
"""

import frappe

from ent_crm.core.rights import mail_rights, reads_all_customers


def customer_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	user = user or frappe.session.user
	if reads_all_customers(user):
		return ""
	return (
		"exists (select 1 from `tabECRM Customer Owner` o where o.parenttype = 'ECRM Customer' "
		f"and o.parent = `tabECRM Customer`.`name` and o.user = {frappe.db.escape(user)})"
	)


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


def mail_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	user = user or frappe.session.user
	all_system, all_personal = mail_rights(user)
	if all_system and all_personal:
		return ""
	me = frappe.db.escape(user)
	mine = (
		f"`tabECRM Mail`.`assigned_user` = {me}"
		f" or `tabECRM Mail`.`approver` = {me}"  # E5: the approver sees the outgoing mail they approve
		" or (`tabECRM Mail`.`reference_doctype` = 'ECRM Customer' and exists (select 1 from `tabECRM Customer Owner` o"
		f" where o.parenttype = 'ECRM Customer' and o.parent = `tabECRM Mail`.`reference_name` and o.user = {me}))"
		" or (`tabECRM Mail`.`reference_doctype` = 'ECRM Supplier' and exists (select 1 from `tabECRM Supplier` s"
		f" where s.name = `tabECRM Mail`.`reference_name` and s.merchandiser_user = {me}))"
	)
	system = "1=1" if all_system else f"({mine})"
	personal = "1=1" if all_personal else _own_personal_mail(user, "`tabECRM Mail`")
	# mail the CRM stored from another mailbox that also arrived in the user's personal mailbox (ECRM Mail Copy)
	copy = (
		f"exists (select 1 from `tabECRM Mail Copy` c where c.mail = `tabECRM Mail`.`name` and c.user = {me})"
	)
	return f"((`tabECRM Mail`.`is_personal` = 0 and {system}) or (`tabECRM Mail`.`is_personal` = 1 and {personal}) or {copy})"


def _own_personal_mail(user: str, alias: str) -> str:
	me = frappe.db.escape(user)
	return f"({alias}.`assigned_user` = {me} or {alias}.`approver` = {me})"


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
