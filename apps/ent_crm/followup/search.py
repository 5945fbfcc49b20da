"""Finding customers to follow up (F4): the search box, quick and detailed queries, recent and all.

The search box matches prefixes of a denormalised key table (`ECRM Customer Search Key`, kept by the
customer's on_update) through its index, never a leading-wildcard LIKE over the customers. Every query
goes through the customer visibility rule of ent_crm.core.visibility, so a salesperson finds only the
customers they may see.
"""

import frappe
from frappe import _
from frappe.utils import add_days, cint, now_datetime

from ent_crm.core.visibility import customer_query_conditions, personal_mail_condition
from ent_crm.followup.history import mail_counts_as_contact
from ent_crm.followup.reminders import last_contacts
from ent_crm.followup.search_keys import HEAD, head_of, keys_for, like_prefix, query_prefixes

KEY = "ECRM Customer Search Key"
CUSTOMER = "ECRM Customer"
MAX_PAGE = 200
RECENT_DAYS = 7
KEYS_PER_CUSTOMER = 12  # at most this many keys of one customer can match one prefix (read ahead)
MAX_KEY_ROWS = 5000


# --- keeping the keys -------------------------------------------------------------------------------------


def on_customer_update(doc, method=None) -> None:
	index_customers([doc.name])


def on_customer_trash(doc, method=None) -> None:
	frappe.db.delete(KEY, {"customer": doc.name})


def on_customer_rename(doc, method=None, old=None, new=None, merge=False) -> None:
	frappe.db.delete(KEY, {"customer": old})
	index_customers([new])


def index_customers(names: list[str]) -> int:
	"""Rewrite the search keys of these customers from their records; returns the number of keys."""
	if not names:
		return 0
	customers = frappe.db.sql(
		"""select name, customer_name, mnemonic, phone, fax, primary_email from `tabECRM Customer`
		where name in %s""",
		(names,),
		as_dict=True,
	)
	backups: dict[str, list[str]] = {}
	for parent, email in frappe.db.sql(
		"select parent, email from `tabECRM Backup Email` where parenttype = %s and parent in %s",
		(CUSTOMER, names),
	):
		backups.setdefault(parent, []).append(email)
	contacts: dict[str, list[dict]] = {}
	for row in frappe.db.sql(
		"""select parent, contact_name, email, phone, mobile_no, fax from `tabECRM Contact Person`
		where parenttype = %s and parent in %s""",
		(CUSTOMER, names),
		as_dict=True,
	):
		contacts.setdefault(row.parent, []).append(row)
	frappe.db.delete(KEY, {"customer": ("in", names)})
	now = now_datetime()
	values = []
	for c in customers:
		for i, (key, kind) in enumerate(
			sorted(keys_for(c, backups.get(c.name, ()), contacts.get(c.name, ())))
		):
			values.append(
				(f"{c.name}:{i}", c.name, key, head_of(key), kind, now, now, "Administrator", "Administrator")
			)
	if values:
		frappe.db.bulk_insert(
			KEY,
			[
				"name",
				"customer",
				"search_key",
				"head",
				"key_kind",
				"creation",
				"modified",
				"owner",
				"modified_by",
			],
			values,
			chunk_size=5000,
		)
	return len(values)


def rebuild_all(chunk: int = 2000) -> int:
	"""Rebuild every customer's keys (after a bulk import or a migrate); reports progress."""
	names = frappe.db.sql_list("select name from `tabECRM Customer` order by name")
	total = 0
	for start in range(0, len(names), chunk):
		total += index_customers(names[start : start + chunk])
		frappe.db.commit()
		frappe.publish_progress(
			min(100, (start + chunk) * 100 / max(len(names), 1)), title=_("Rebuilding the customer search")
		)
	return total


def enqueue_rebuild() -> None:
	"""Rebuild the search keys in the background (ent_crm.followup.api: System Managers only)."""
	frappe.enqueue("ent_crm.followup.search.rebuild_all", queue="long", timeout=3600)


# --- finding ----------------------------------------------------------------------------------------------


FIELDS = (
	"`tabECRM Customer`.name, `tabECRM Customer`.customer_name, `tabECRM Customer`.mnemonic,"
	" `tabECRM Customer`.region, `tabECRM Customer`.customer_type, `tabECRM Customer`.customer_level,"
	" `tabECRM Customer`.customer_source, `tabECRM Customer`.phone, `tabECRM Customer`.primary_email,"
	" `tabECRM Customer`.owner_names"
)


def search_condition(text: str, values: dict) -> str | None:
	"""SQL matching customers with a key starting with what was typed; None when nothing can match."""
	prefixes = query_prefixes(text)
	if not prefixes:
		return None
	parts = []
	for i, prefix in enumerate(prefixes):
		values[f"p{i}"] = like_prefix(prefix)
		parts.append(f"k.search_key like %(p{i})s")
	return f"`tabECRM Customer`.name in (select k.customer from `tab{KEY}` k where {' or '.join(parts)})"


def _by_keys(
	prefixes: list[str], where: list[str], values: dict, start: int, page_length: int, sees_all: bool
) -> tuple[list, bool]:
	"""Customers whose keys start with a prefix, in the order of the matching key, visible and filtered.

	The first query reads only indexes: for a user who sees every customer it walks the key index in
	order and stops after a page (straight_join) instead of collecting every match; for a user who sees
	few, the database starts from the visible customers and reads their keys by (customer, search_key).
	The second query reads the page's customers."""
	join = "straight_join" if sees_all else ""
	wanted = start + page_length
	scan = min(MAX_KEY_ROWS, (wanted + 1) * KEYS_PER_CUSTOMER)
	seen, ordered, cut = set(), [], False
	for prefix in prefixes:
		head = "k.head = %(head)s and " if len(prefix) >= HEAD else ""
		names = frappe.db.sql_list(
			f"""select {join} k.customer from `tab{KEY}` k
			join `tabECRM Customer` on `tabECRM Customer`.name = k.customer
			where {head}k.search_key like %(prefix)s and {" and ".join(where)}
			order by k.search_key limit %(scan)s""",
			{**values, "prefix": like_prefix(prefix), "head": head_of(prefix), "scan": scan},
		)
		cut = cut or len(names) == scan
		for name in names:
			if name not in seen:
				seen.add(name)
				ordered.append(name)
	page = ordered[start:wanted]
	if not page:
		return [], cut
	rows = {
		r.name: r
		for r in frappe.db.sql(
			f"select {FIELDS} from `tabECRM Customer` where `tabECRM Customer`.name in %(names)s",
			{"names": page},
			as_dict=True,
		)
	}
	return [rows[n] for n in page if n in rows], cut or len(ordered) > wanted


def find_customers(
	text: str = "",
	view: str = "all",
	customer_type: str = "",
	customer_level: str = "",
	customer_source: str = "",
	product: str = "",
	region: str = "",
	employee: str = "",
	start: int = 0,
	page_length: int = 50,
	user: str | None = None,
	with_last_contact: bool = True,
) -> dict:
	"""Customers the user may see matching the search box and the filters, a page at a time.

	view: "all" (every visible customer) or "recent" (handled in the last 7 days: a contact log, a sent
	mail or a mail marked followed).
	"""
	user = user or frappe.session.user
	values: dict = {}
	where = ["1=1"]
	visible = customer_query_conditions(user)
	if visible:
		where.append(visible)
	prefixes = query_prefixes(text) if text and text.strip() else []
	if text and text.strip() and not prefixes:
		return {"customers": [], "has_more": False, "too_short": True}
	if prefixes and view == "recent":
		where.append(search_condition(text, values))  # the recent set is small: filter it by the keys
	for field, value in (
		("customer_type", customer_type),
		("customer_level", customer_level),
		("customer_source", customer_source),
	):
		if value:
			values[field] = value
			where.append(f"`tabECRM Customer`.`{field}` = %({field})s")
	if product:
		values["product"] = product
		where.append(
			"exists (select 1 from `tabECRM Product Item` pi where pi.parenttype = 'ECRM Customer'"
			" and pi.parent = `tabECRM Customer`.name and pi.product = %(product)s)"
		)
	if region:
		bounds = frappe.db.get_value("ECRM Region", region, ["lft", "rgt"], as_dict=True)
		if not bounds:
			frappe.throw(_("Region {0} does not exist.").format(region))
		values.update(lft=bounds.lft, rgt=bounds.rgt)
		where.append(
			"`tabECRM Customer`.region in (select r.name from `tabECRM Region` r"
			" where r.lft >= %(lft)s and r.rgt <= %(rgt)s)"
		)
	if employee:
		values["employee"] = employee
		where.append(
			"exists (select 1 from `tabECRM Customer Owner` eo where eo.parenttype = 'ECRM Customer'"
			" and eo.parent = `tabECRM Customer`.name and eo.employee = %(employee)s)"
		)
	page_length = max(1, min(cint(page_length) or 50, MAX_PAGE))
	values.update(
		start=max(cint(start), 0), limit=page_length + 1, since=add_days(now_datetime(), -RECENT_DAYS)
	)
	if prefixes and view != "recent":
		rows, has_more = _by_keys(prefixes, where, values, values["start"], page_length, not visible)
	else:
		rows = frappe.db.sql(
			_recent_sql(where, user) if view == "recent" else _all_sql(where), values, as_dict=True
		)
		has_more = len(rows) > page_length
		rows = rows[:page_length]
	if with_last_contact and rows:
		last = last_contacts([r.name for r in rows], user)
		for row in rows:
			row.update(last.get(row.name) or {})
	return {"customers": rows, "has_more": has_more}


def _all_sql(where: list[str]) -> str:
	return f"""select {FIELDS} from `tabECRM Customer` where {" and ".join(where)}
		order by `tabECRM Customer`.customer_name asc limit %(start)s, %(limit)s"""


def _recent_sql(where: list[str], user: str | None = None) -> str:
	"""Customers handled since %(since)s: a contact log, a sent mail or a mail marked followed (another
	salesperson's personal-mailbox mail does not count: the user may not know of it)."""
	personal = personal_mail_condition(user)
	personal = f" and {personal}" if personal else ""
	return f"""select {FIELDS}, recent.last_handled from `tabECRM Customer`
		join (select customer, max(at) as last_handled from (
			select customer, contact_date as at from `tabECRM Contact Log` where contact_date >= %(since)s
			union all
			select reference_name, received_at from `tabECRM Mail` where received_at >= %(since)s
				and reference_doctype = 'ECRM Customer' and (direction = 'Outbound' or queue = 'Handled')
				and {mail_counts_as_contact()}{personal}
		) handled group by customer) recent on recent.customer = `tabECRM Customer`.name
		where {" and ".join(where)}
		order by recent.last_handled desc limit %(start)s, %(limit)s"""


def search(query: dict) -> dict:
	"""The follow-up page's customer views (F4) for the signed-in user: `query` holds the page's filters
	(ent_crm.followup.api.search, which checks they may read customers; the row rules narrow the result to
	the customers they may see)."""
	if query.get("view", "all") not in ("all", "recent"):
		frappe.throw(_("Unknown view {0}.").format(query.get("view")))
	return find_customers(**query)
