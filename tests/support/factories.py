"""Factories for test records: idempotent, unique names, example.com addresses."""

import frappe
from frappe.utils import add_to_date, get_system_timezone, now_datetime, random_string

from ent_crm.setup.base_data import load_data

ROOT_DEPARTMENT = load_data("departments.json")["departments"][0]["name"]


def mail_date(**delta) -> str:
	"""A mail's Date header for now (plus e.g. days=-1, hours=2) in the site's time zone, so that no test
	depends on the day it runs."""
	from email.utils import format_datetime
	from zoneinfo import ZoneInfo

	moment = add_to_date(now_datetime(), **delta)
	return format_datetime(moment.replace(tzinfo=ZoneInfo(get_system_timezone()), microsecond=0))


def make_user(
	username: str | None = None, roles: list[str] | tuple = (), profile: str | None = None, **kw
) -> str:
	username = username or "u" + random_string(8).lower()
	email = f"{username}@example.com"
	if frappe.db.exists("User", email):
		return email
	user = frappe.get_doc(
		{
			"doctype": "User",
			"email": email,
			"first_name": kw.pop("first_name", username),
			"send_welcome_email": 0,
			"role_profile_name": profile,
			**kw,
		}
	)
	for role in roles:
		user.append("roles", {"role": role})
	user.flags.no_welcome_mail = True
	user.insert(ignore_permissions=True)
	return email


def make_employee(user: str | None = None, **fields) -> "frappe.model.document.Document":
	doc = frappe.get_doc(
		{
			"doctype": "ECRM Employee",
			"employee_name": fields.pop("employee_name", "Test Employee"),
			"user": user or make_user(),
			"department": fields.pop("department", ROOT_DEPARTMENT),
			**fields,
		}
	)
	return doc.insert(ignore_permissions=True)


def make_salesperson(username: str | None = None, **fields):
	"""A user with the role profile ECRM Salesperson and an in-service salesperson employee record."""
	from ent_crm.core.roles import SALESPERSON

	user = make_user(username, profile=SALESPERSON)
	existing = frappe.db.get_value("ECRM Employee", {"user": user})
	if existing:
		return frappe.get_doc("ECRM Employee", existing)
	return make_employee(
		user=user, is_salesperson=1, employee_name=fields.pop("employee_name", user.split("@")[0]), **fields
	)


def make_customer(owners: list | tuple = (), **fields):
	"""A customer in Hamburg unless told otherwise; `owners` are ECRM Employee names."""
	doc = frappe.get_doc(
		{
			"doctype": "ECRM Customer",
			"customer_name": fields.pop("customer_name", "_Test Customer " + random_string(6)),
			"region": fields.pop("region", "Hamburg"),
			"owners": [{"employee": e} for e in owners],
			**fields,
		}
	)
	return doc.insert()
