"""Frappe's generic routes obey the app's row rules (issue 19: items 2, 3, 4, 5, 11, 12).

Frappe 15 answers some of its generic routes without the row rules the app sets with
`permission_query_conditions` / `has_permission` (ent_crm.core.visibility and friends):

- private files: a File row's owner may always download it, so a File row made with the file_url of
  someone else's private file gave its bytes away (`frappe.utils.response.download_private_file`,
  `frappe.handler.download_file`, `zip_files`); and an inbound mail's attachments (Files of its
  Communication) followed the Communication's own rights, which only its owner has, instead of the mail's;
- link search with `ignore_user_permissions=1` ran its query with `ignore_permissions`: every row and any
  column (`frappe.desk.search.search_widget`);
- child tables listed with `parent=`, and a child row loaded by name, were checked against the parent
  *DocType* only, not the parent row;
- `frappe.client.get_count` (`frappe.db.count`) and the "assigned to" group-by count of the list sidebar
  (`frappe.desk.listview.get_group_by_count`) counted every row of any table;
- likes and follows wrote on any record (`toggle_like`, `follow_document`; follow also for another user).

The fixes are hooks (hooks.py): a `has_permission` and a `permission_query_conditions` rule for File, a
`before_validate` guard on File and a File class whose download check is the full one, one list rule for
every child table of the app (its parent's own list rule) and a base class for their rows (ChildRow), and
`override_whitelisted_methods` wrappers that check the right and then call Frappe's own function (also for
`communication.email.make`, which copied any File named in its attachments).
"""

import json

import frappe
from frappe import _
from frappe.core.doctype.file.file import File
from frappe.model.base_document import BaseDocument
from frappe.model.document import Document
from frappe.utils import cint

MODULE = "Ent CRM"
MAIL = "ECRM Mail"
READ_TYPES = (None, "read", "select", "print", "email", "export", "report")


# --- shared helpers ------------------------------------------------------------------------------------


def app_doctypes() -> set[str]:
	return set(frappe.get_all("DocType", filters={"module": MODULE}, pluck="name"))


def may_read(doctype: str, name: str, user: str | None = None, ptype: str = "read") -> bool:
	"""Whether `user` may read one record (a missing record counts as not readable)."""
	try:
		return bool(frappe.has_permission(doctype, ptype, doc=name, user=user or frappe.session.user))
	except frappe.DoesNotExistError:
		frappe.clear_last_message()
		return False


def require_read(doctype: str, name: str) -> None:
	if not doctype or not name or not may_read(doctype, name):
		frappe.throw(_("You cannot read this record."), frappe.PermissionError)


def permitted_names_sql(doctype: str, user: str) -> str | None:
	"""SQL selecting the names of `doctype` that `user` may list, by Frappe's own list rules (roles,
	if-owner rights, shares, User Permissions and the app's row rules); None when the user may not list
	that DocType at all."""
	if not frappe.has_permission(doctype, "select", user=user) and not frappe.has_permission(
		doctype, "read", user=user
	):
		return None
	return frappe.get_list(doctype, fields=[f"`tab{doctype}`.`name`"], user=user, order_by=None, run=0)


def has_row_rules(doctype: str, user: str) -> bool:
	"""Whether some rows of `doctype` may be hidden from a user who may read the DocType (every DocType of
	the app and every child table counts as such)."""
	if user == "Administrator":
		return False
	meta = frappe.get_meta(doctype)
	if meta.module == MODULE or meta.istable:
		return True
	return has_own_row_rules(doctype, user)


def has_own_row_rules(doctype: str, user: str) -> bool:
	"""Whether a rule beyond the DocType's role rights hides rows: a row rule hook or if-owner rights."""
	from frappe.model.db_query import requires_owner_constraint
	from frappe.permissions import get_role_permissions

	meta = frappe.get_meta(doctype)
	for hook in ("permission_query_conditions", "has_permission"):
		if doctype in (frappe.get_hooks(hook) or {}):
			return True
	return bool(requires_owner_constraint(get_role_permissions(meta, user=user)))


# --- item 4: child tables follow their parent's rule ---------------------------------------------------


def parent_doctypes(child: str) -> list[str]:
	parents = frappe.get_all(
		"DocField",
		filters={"fieldtype": ("in", ["Table", "Table MultiSelect"]), "options": child},
		pluck="parent",
	)
	parents += frappe.get_all(
		"Custom Field",
		filters={"fieldtype": ("in", ["Table", "Table MultiSelect"]), "options": child},
		pluck="dt",
	)
	return sorted({p for p in parents if not frappe.get_meta(p).istable})


def child_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""permission_query_conditions of a child table: a row is listed only when its parent row is, by the
	parent's own list rule (so `frappe.client.get_list` / `reportview.get` with `parent=` show no more than
	the parents' lists)."""
	user = user or frappe.session.user
	if user == "Administrator" or not doctype:
		return ""
	table = f"`tab{doctype}`"
	parts = []
	for parent in parent_doctypes(doctype):
		names = permitted_names_sql(parent, user)
		if names is None:
			continue
		parts.append(f"({table}.`parenttype` = {frappe.db.escape(parent)} and {table}.`parent` in ({names}))")
	return "(" + " or ".join(parts) + ")" if parts else "1=0"


# --- items 2 and 12: private files follow the record they belong to ------------------------------------


def is_private(doc) -> bool:
	return bool(cint(doc.get("is_private")) or (doc.get("file_url") or "").startswith("/private/"))


def records_of(attached_doctype: str | None, attached_name: str | None) -> list[tuple[str, str]] | None:
	"""The CRM records a file attached to (doctype, name) belongs to, or None when it belongs to none:
	a record of the app, or the ECRM Mail (else the CRM record) of a Communication."""
	if not attached_doctype or not attached_name:
		return None
	if attached_doctype == "Communication":
		mails = frappe.get_all(MAIL, filters={"communication": attached_name}, pluck="name")
		if mails:
			return [(MAIL, m) for m in mails]
		ref = frappe.db.get_value(
			"Communication", attached_name, ["reference_doctype", "reference_name"], as_dict=True
		)
		if ref and ref.reference_doctype in app_doctypes() and ref.reference_name:
			return [(ref.reference_doctype, ref.reference_name)]
		return None
	if attached_doctype in app_doctypes():
		return [(attached_doctype, attached_name)]
	return None


def may_read_any(records: list[tuple[str, str]], user: str) -> bool:
	return any(may_read(dt, dn, user) for dt, dn in records)


def crm_holders(file_url: str, exclude: str | None = None) -> list[tuple[str, str]]:
	"""The CRM records that hold a file with this URL (other than the File row `exclude`)."""
	rows = frappe.get_all(
		"File",
		filters={"file_url": file_url, "name": ("!=", exclude or ""), "is_folder": 0},
		fields=["attached_to_doctype", "attached_to_name"],
		distinct=True,
		limit=200,
	)
	records = []
	for row in rows:
		records += records_of(row.attached_to_doctype, row.attached_to_name) or []
	return records


def may_point_at(file_url: str, user: str, exclude: str | None = None) -> bool:
	"""Whether a File row of `user` may carry the URL of an existing private file: only when the user may
	read one of the File rows that already have it (a file on disk without any row: nobody but Administrator)."""
	others = frappe.get_all(
		"File",
		filters={"file_url": file_url, "name": ("!=", exclude or ""), "is_folder": 0},
		pluck="name",
		limit=50,
	)
	return any(
		frappe.has_permission("File", "read", doc=frappe.get_doc("File", name), user=user) for name in others
	)


def file_has_permission(doc, ptype: str | None = None, user: str | None = None, debug=False):
	"""has_permission of File (consulted before Frappe's own, which lets a row's owner always read it).

	- a private file of a CRM record (or of the Communication of an ECRM Mail) is read by exactly those who
	  may read that record: others are refused even if they own the File row, and readers of the mail may
	  open its inbound attachments although the Communication is not theirs;
	- a private file outside the CRM whose bytes are also a CRM record's file is refused to a user who may
	  read none of those records (a copy of someone else's file);
	- a new File row may point at an existing private file only for a user who may read that file."""
	user = user or frappe.session.user
	if user == "Administrator" or cint(doc.get("is_folder")):
		return None
	if ptype == "create":
		return None if may_create_file(doc, user) else False
	if not is_private(doc):
		return None
	records = records_of(doc.get("attached_to_doctype"), doc.get("attached_to_name"))
	if records is not None:
		if not may_read_any(records, user):
			return False
		return True if ptype in READ_TYPES else None
	if doc.get("file_url"):
		holders = crm_holders(doc.file_url, exclude=doc.get("name"))
		if holders and not may_read_any(holders, user):
			return False
	return None


class ECRMFile(File):
	"""File whose download check is the full permission check: Frappe's `is_downloadable` (behind
	/private/files/ and `frappe.handler.download_file`) calls only Frappe's own File rule, under which a
	File row's owner may always read it and a Communication's attachment follows the Communication."""

	def is_downloadable(self):
		return bool(frappe.has_permission("File", "read", doc=self))


def may_create_file(doc, user: str) -> bool:
	records = records_of(doc.get("attached_to_doctype"), doc.get("attached_to_name"))
	if records is not None and not may_read_any(records, user):
		return False  # no attaching files to a record one cannot read
	if doc.get("content"):
		return True  # the caller brings the bytes
	url = doc.get("file_url") or ""
	if not url.startswith("/private/"):
		return True
	return may_point_at(url, user, exclude=doc.get("name"))


def guard_file_change(doc, method=None) -> None:
	"""File before_validate: a user may not re-point, re-attach or publish a private file they may not
	read (Frappe lets a File row's owner or a writer of the record it is attached to change it, and
	publishing moves the bytes of every row with that URL to a public URL)."""
	user = frappe.session.user
	if user == "Administrator" or doc.flags.ignore_permissions or doc.is_new() or cint(doc.is_folder):
		return
	before = doc.get_doc_before_save()
	if not before:
		return
	fields = ("file_url", "is_private", "attached_to_doctype", "attached_to_name")
	if all((before.get(f) or None) == (doc.get(f) or None) for f in fields):
		return
	refused = _("You cannot change this file.")
	if is_private(before) and not frappe.has_permission("File", "read", doc=before, user=user):
		frappe.throw(refused, frappe.PermissionError)
	if doc.file_url != before.file_url and (doc.file_url or "").startswith("/private/"):
		if not may_point_at(doc.file_url, user, exclude=doc.name):
			frappe.throw(refused, frappe.PermissionError)
	if cint(doc.is_private) != cint(before.is_private) and before.file_url:
		others = frappe.get_all(
			"File", filters={"file_url": before.file_url, "name": ("!=", doc.name)}, pluck="name"
		)
		if not all(
			frappe.has_permission("File", "read", doc=frappe.get_doc("File", n), user=user) for n in others
		):
			frappe.throw(refused, frappe.PermissionError)


def file_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""File lists show a private file of a CRM record only to those who may list that record (on top of
	Frappe's own File rule)."""
	user = user or frappe.session.user
	if user == "Administrator":
		return ""
	crm = sorted(d for d in app_doctypes() if not frappe.get_meta(d).istable)
	listed = ["`tabFile`.`is_private` = 0", "ifnull(`tabFile`.`attached_to_doctype`, '') = ''"]
	listed.append(
		"`tabFile`.`attached_to_doctype` not in ("
		+ ", ".join(frappe.db.escape(d) for d in [*crm, "Communication"])
		+ ")"
	)
	for dt in crm:
		cond = f"`tabFile`.`attached_to_doctype` = {frappe.db.escape(dt)}"
		if not has_own_row_rules(dt, user):
			listed.append(f"({cond})")  # Frappe's own File rule asks for read on the DocType
		elif names := permitted_names_sql(dt, user):
			listed.append(f"({cond} and `tabFile`.`attached_to_name` in ({names}))")
	mails = permitted_names_sql(MAIL, user)
	mail_of = (
		f"select m.`communication` from `tab{MAIL}` m where m.`communication` = `tabFile`.`attached_to_name`"
	)
	communication = f"(`tabFile`.`attached_to_doctype` = 'Communication' and (not exists ({mail_of})"
	if mails:
		communication += f" or exists ({mail_of} and m.`name` in ({mails}))"
	listed.append(communication + "))")
	return "(" + " or ".join(listed) + ")"


# --- item 3: link search keeps the row rules -----------------------------------------------------------


def may_ignore_user_permissions(doctype: str, ignore_user_permissions) -> bool:
	"""Frappe runs the search without any permission when ignore_user_permissions is set: allowed only
	where no row of the DocType is hidden from anyone who may read it."""
	if not cint(ignore_user_permissions):
		return False
	return not has_row_rules(doctype, frappe.session.user)


@frappe.whitelist()
def search_link(
	doctype: str,
	txt: str,
	query: str | None = None,
	filters: str | dict | list | None = None,
	page_length: int = 10,
	searchfield: str | None = None,
	reference_doctype: str | None = None,
	ignore_user_permissions: bool = False,
):
	from frappe.desk.search import search_link as frappe_search_link

	return frappe_search_link(
		doctype,
		txt,
		query=query,
		filters=filters,
		page_length=page_length,
		searchfield=searchfield,
		reference_doctype=reference_doctype,
		ignore_user_permissions=may_ignore_user_permissions(doctype, ignore_user_permissions),
	)


@frappe.whitelist()
def search_widget(
	doctype: str,
	txt: str,
	query: str | None = None,
	searchfield: str | None = None,
	start: int = 0,
	page_length: int = 10,
	filters: str | dict | list | None = None,
	filter_fields=None,
	as_dict: bool = False,
	reference_doctype: str | None = None,
	ignore_user_permissions: bool = False,
):
	from frappe.desk.search import search_widget as frappe_search_widget

	return frappe_search_widget(
		doctype,
		txt,
		query=query,
		searchfield=searchfield,
		start=start,
		page_length=page_length,
		filters=filters,
		filter_fields=filter_fields,
		as_dict=as_dict,
		reference_doctype=reference_doctype,
		ignore_user_permissions=may_ignore_user_permissions(doctype, ignore_user_permissions),
	)


# --- item 5: counts count only what the caller may list ------------------------------------------------


@frappe.whitelist()
def get_count(doctype, filters=None, debug=False, cache=False, parent=None):
	"""frappe.client.get_count through the list rules (Frappe's counts every row of any table)."""
	from frappe.client import get_count as frappe_get_count
	from frappe.model.db_query import check_parent_permission
	from frappe.model.utils import is_virtual_doctype
	from frappe.utils import get_safe_filters

	meta = frappe.get_meta(doctype)
	if meta.issingle or is_virtual_doctype(doctype):
		if not frappe.has_permission(doctype, "read"):
			frappe.throw(_("You cannot read this record."), frappe.PermissionError)
		return frappe_get_count(doctype, filters, cache=cache)
	if meta.istable:
		check_parent_permission(parent, doctype)
	rows = frappe.get_list(
		doctype,
		filters=get_safe_filters(filters),
		fields=[f"count(distinct `tab{doctype}`.`name`) as total_count"],
		parent_doctype=parent,
		order_by=None,
	)
	return rows[0].total_count if rows else 0


@frappe.whitelist()
def get_group_by_count(doctype: str, current_filters: str, field: str) -> list[dict]:
	"""The list sidebar's group-by counts; "assigned to" counted over the rows the caller may list (Frappe
	counts the to-dos of every row that matches the filters, readable or not)."""
	from frappe.desk.listview import get_group_by_count as frappe_group_by_count

	if field != "assigned_to":
		return frappe_group_by_count(doctype, current_filters, field)
	names = frappe.get_list(
		doctype,
		filters=frappe.parse_json(current_filters),
		fields=[f"`tab{doctype}`.`name`"],
		order_by=None,
		run=0,
	)
	return frappe.db.sql(
		f"""select t.`allocated_to` as name, count(*) as count
		from `tabToDo` t join `tabUser` u on u.`name` = t.`allocated_to`
		where t.`status` != 'Cancelled' and u.`user_type` = 'System User'
			and t.`reference_type` = {frappe.db.escape(doctype)} and t.`reference_name` in ({names})
		group by t.`allocated_to` order by count desc limit 50""",
		as_dict=True,
	)


# --- item 11: likes and follows only on records one may read -------------------------------------------


@frappe.whitelist()
def toggle_like(doctype, name, add=False):
	from frappe.desk.like import toggle_like as frappe_toggle_like

	require_read(doctype, name)
	return frappe_toggle_like(doctype, name, add)


def require_self(user: str | None) -> None:
	if user and user != frappe.session.user and "System Manager" not in frappe.get_roles():
		frappe.throw(_("You can only follow or unfollow documents yourself."), frappe.PermissionError)


@frappe.whitelist()
def follow_document(doctype, doc_name, user):
	from frappe.desk.form.document_follow import follow_document as frappe_follow

	require_self(user)
	require_read(doctype, doc_name)
	return frappe_follow(doctype, doc_name, user)


@frappe.whitelist()
def update_follow(doctype: str, doc_name: str, following: bool):
	from frappe.desk.form.document_follow import update_follow as frappe_update_follow

	if cint(following) if not isinstance(following, str) else following.lower() in ("1", "true"):
		require_read(doctype, doc_name)
	return frappe_update_follow(doctype, doc_name, following)


@frappe.whitelist()
def unfollow_document(doctype, doc_name, user):
	from frappe.desk.form.document_follow import unfollow_document as frappe_unfollow

	require_self(user)
	return frappe_unfollow(doctype, doc_name, user)


@frappe.whitelist()
def get_follow_users(doctype, doc_name):
	from frappe.desk.form.document_follow import get_follow_users as frappe_follow_users

	require_read(doctype, doc_name)
	return frappe_follow_users(doctype, doc_name)


# --- item 2: the zip of files holds only files the caller may read -------------------------------------


@frappe.whitelist()
def zip_files(files: str):
	"""Frappe's zip_files checks only Frappe's own File rule (the row's owner may always read it)."""
	from frappe.core.api.file import zip_files as frappe_zip_files

	names = frappe.parse_json(files)
	if not isinstance(names, list):
		names = [names]
	readable = []
	for name in names:
		if isinstance(name, str) and frappe.db.exists("File", name):
			if frappe.has_permission("File", "read", doc=frappe.get_doc("File", name)):
				readable.append(name)
	return frappe_zip_files(json.dumps(readable))


# --- item 2: a Communication does not copy files the caller may not read ------------------------------


@frappe.whitelist()
def make_communication(**kwargs):
	"""frappe.core.doctype.communication.email.make copies the Files named in `attachments` onto the new
	Communication (and into the mail it sends) without asking whether the caller may read them."""
	from frappe.core.doctype.communication.email import make
	from frappe.utils import escape_html

	attachments = kwargs.get("attachments")
	if isinstance(attachments, str):
		attachments = json.loads(attachments)
	for name in attachments or []:
		if not isinstance(name, str):
			continue
		if not frappe.db.exists("File", name) or not frappe.has_permission(
			"File", "read", doc=frappe.get_doc("File", name)
		):
			frappe.throw(_("You cannot attach {0}.").format(escape_html(name)), frappe.PermissionError)
	kwargs.pop("cmd", None)
	return make(**kwargs)


# --- item 4: a child row on its own is checked against its parent row ----------------------------------


class ChildRow(Document):
	"""Base class of the app's child tables. A row loaded on its own (`frappe.get_doc(child, name)`: REST
	/api/resource/<child>/<name>, frappe.client.get, the form's getdoc, delete) has no `parent_doc`, and
	Frappe then checks its rights on the parent *DocType* only (permissions.has_child_permission): anyone
	who may read customers read, changed or deleted another salesperson's customer rows by name. Here such a
	row finds its parent row, so the parent's own rules decide."""

	@property
	def parent_doc(self):
		doc = BaseDocument.parent_doc.fget(self)
		if doc is None and self.get("parenttype") and self.get("parent") and not self.get("__islocal"):
			try:
				doc = frappe.get_doc(self.parenttype, self.parent)
			except frappe.DoesNotExistError:
				frappe.clear_last_message()
				return None
			self._parent_doc = doc
		return doc

	@parent_doc.setter
	def parent_doc(self, value):
		BaseDocument.parent_doc.fset(self, value)

	@parent_doc.deleter
	def parent_doc(self):
		BaseDocument.parent_doc.fdel(self)
