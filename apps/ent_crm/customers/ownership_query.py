"""Who owns which customer (G5, 客户分管查询): condition rows turned into one frappe.qb query.

One row per owner of a customer: customer code, name and region, the owner's employee code and name,
the date assigned, and whether that is the customer's latest assignment (1/0: the owner row's date is
the latest assigned_on among the customer's owner rows; owners assigned on the same latest day are
all latest).

Condition rows (ECRM Ownership Query Condition) compare a column with a value. They combine like SQL:
AND binds tighter than OR, so `A AND B OR C AND D` means `(A AND B) OR (C AND D)`; the logic of the
first row is ignored. `like` without % means "contains". Values are always bound parameters, never
written into the SQL text. Hidden customers are left out, and a user who does not see every customer
only gets the rows of the customers they own: Script Reports bypass permission_query_conditions, so the
scope is part of the query itself.

Saved queries (ECRM Ownership Query) belong to one user: the rules for their names and the one default
query per user are here too; the doctype's controller only calls them.
"""

import frappe
from frappe import _
from frappe.query_builder import Case, Criterion, Order
from frappe.query_builder.functions import Max
from frappe.utils import escape_html

from ent_crm.core.rights import sees_all_customers
from ent_crm.customers.ownership_conditions import ConditionError, check_rows, or_groups

QUERY_DOCTYPE = "ECRM Ownership Query"


def condition_message(error: ConditionError) -> str:
	"""The translated message of a row that cannot be queried."""
	detail = (
		_(error.detail) if error.code in ("unknown_column", "empty_value", "like_not_text") else error.detail
	)
	detail = escape_html(detail)  # the message is shown as HTML and the detail may be the user's input
	messages = {
		"no_column": _("Row {0}: choose a column."),
		"no_operator": _("Row {0}: choose an operator."),
		"unknown_column": _("Row {0}: {1} is not a column you can query."),
		"unknown_operator": _("Row {0}: {1} is not an operator you can use."),
		"unknown_logic": _("Row {0}: the logic must be AND or OR, not {1}."),
		"empty_value": _("Row {0}: enter the value to compare {1} with."),
		"like_not_text": _("Row {0}: the operator like only works on text columns, not on {1}."),
		"bad_date": _("Row {0}: {1} is not a date. Write dates like 2026-03-31."),
		"bad_flag": _(
			"Row {0}: Latest Assignment is 1 (the latest assignment) or 0 (an earlier one), not {1}."
		),
	}
	return messages[error.code].format(error.row, detail)


def validate_conditions(rows) -> list[dict]:
	"""The rows checked and converted; a clear message (frappe.throw) for the first bad one."""
	try:
		return check_rows(rows)
	except ConditionError as error:
		frappe.throw(condition_message(error), title=_("Invalid Query Condition"))


def get_rows(conditions=None, user: str | None = None) -> list[dict]:
	"""The owner rows matching the condition rows (all rows the user may see without conditions)."""
	checked = validate_conditions(conditions or [])
	return build_query(checked, user or frappe.session.user).run(as_dict=True)


def build_query(checked: list[dict], user: str):
	"""The query over customers, their owner rows and the owners' employee records (see the module)."""
	customer = frappe.qb.DocType("ECRM Customer")
	owner = frappe.qb.DocType("ECRM Customer Owner")
	employee = frappe.qb.DocType("ECRM Employee")
	latest = latest_dates()
	is_latest = Case().when(owner.assigned_on == latest.latest_date, 1).else_(0)
	fields = {
		"Employee Code": employee.employee_code,
		"Employee Name": employee.employee_name,
		"Customer Code": customer.name,
		"Customer Name": customer.customer_name,
		"Assignment Date": owner.assigned_on,
		"Latest Assignment": is_latest,
	}
	query = (
		frappe.qb.from_(customer)
		.join(owner)
		.on(
			(owner.parent == customer.name)
			& (owner.parenttype == "ECRM Customer")
			& (owner.parentfield == "owners")
		)
		.join(employee)
		.on(employee.name == owner.employee)
		.left_join(latest)
		.on(latest.parent == customer.name)
		.select(
			customer.name.as_("customer"),
			customer.customer_name,
			customer.region,
			employee.name.as_("employee"),
			employee.employee_name,
			owner.assigned_on,
			is_latest.as_("is_latest"),
		)
		.where(customer.is_hidden == 0)
		.orderby(customer.customer_name, order=Order.asc)
		.orderby(customer.name, order=Order.asc)
		.orderby(owner.idx, order=Order.asc)
	)
	if not sees_all_customers(user):
		query = query.where(customer.name.isin(owned_customers(user)))
	criterion = conditions_criterion(checked, fields)
	if criterion is not None:
		query = query.where(criterion)
	return query


def latest_dates():
	"""Each customer's latest assigned_on among its owner rows (a derived table)."""
	owner = frappe.qb.DocType("ECRM Customer Owner").as_("dated_owner")
	return (
		frappe.qb.from_(owner)
		.select(owner.parent, Max(owner.assigned_on).as_("latest_date"))
		.where((owner.parenttype == "ECRM Customer") & (owner.parentfield == "owners"))
		.groupby(owner.parent)
	).as_("latest_assignment")


def owned_customers(user: str):
	"""The customers `user` owns (a subquery)."""
	owner = frappe.qb.DocType("ECRM Customer Owner").as_("own_owner")
	return (
		frappe.qb.from_(owner)
		.select(owner.parent)
		.where((owner.parenttype == "ECRM Customer") & (owner.parentfield == "owners") & (owner.user == user))
	)


def conditions_criterion(checked: list[dict], fields: dict):
	"""(row AND row …) OR (row AND row …) …, or None without rows."""
	groups = [
		Criterion.all([compare(fields[row["column"]], row) for row in group]) for group in or_groups(checked)
	]
	return Criterion.any(groups) if groups else None


def compare(field, row: dict):
	"""One row as a criterion; pypika turns the value into a bound parameter (ints stay literals)."""
	value, operator = row["value"], row["operator"]
	if operator == "like":
		return field.like(value)
	return {
		"=": field == value,
		"!=": field != value,
		">": field > value,
		">=": field >= value,
		"<": field < value,
		"<=": field <= value,
	}[operator]


# --- saved queries --------------------------------------------------------------------------------------


def validate_saved_query(doc) -> None:
	"""A saved query belongs to its user, its name is unique among theirs, and its rows can be run."""
	doc.user = doc.user or frappe.session.user
	doc.query_name = (doc.query_name or "").strip()
	duplicate = frappe.db.exists(
		QUERY_DOCTYPE, {"user": doc.user, "query_name": doc.query_name, "name": ("!=", doc.name or "")}
	)
	if duplicate:
		frappe.throw(
			_("You already have a saved query named {0}. Choose another name.").format(
				escape_html(doc.query_name)
			),
			frappe.DuplicateEntryError,
			title=_("Duplicate Query Name"),
		)
	validate_conditions(doc.get("conditions"))


def clear_other_defaults(doc) -> None:
	"""At most one default query per user: making this one the default clears the user's others."""
	if not doc.is_default:
		return
	others = frappe.get_all(
		QUERY_DOCTYPE, filters={"user": doc.user, "is_default": 1, "name": ("!=", doc.name)}, pluck="name"
	)
	for name in others:
		frappe.db.set_value(QUERY_DOCTYPE, name, "is_default", 0)


def query_conditions(name: str | None) -> list:
	"""The condition rows of a saved query the session user may read (PermissionError otherwise)."""
	if not name:
		return []
	doc = frappe.get_doc(QUERY_DOCTYPE, name)
	doc.check_permission("read")
	return doc.get("conditions")
