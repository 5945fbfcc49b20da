"""A realistic demo company (A2): one manager and five salespeople in two sales departments.

`bench --site SITE ent-crm-demo` runs `make_demo()`. Running it again changes nothing that exists.
Later features extend the same demo with their own data.
"""

import frappe
from frappe import _

from ent_crm.setup.roles import MANAGER, SALESPERSON

DEMO_PASSWORD = "Demo@2026"
DOMAIN = "ent-crm.example"
ROOT_DEPARTMENT = "Foreign Trade Department"

DEPARTMENTS = [
	# name, Chinese name, parent
	("Foreign Trade Dept. 1", "外贸一部", ROOT_DEPARTMENT),
	("Foreign Trade Dept. 2", "外贸二部", ROOT_DEPARTMENT),
]

# username, first name (display), English name, role profile, department, duties
PEOPLE = [
	("manager", "赵强", "Zhao Qiang", MANAGER, ROOT_DEPARTMENT, {"is_salesperson": 1}),
	("sales1", "张伟", "Zhang Wei", SALESPERSON, "Foreign Trade Dept. 1", {"is_salesperson": 1}),
	("sales2", "李娜", "Li Na", SALESPERSON, "Foreign Trade Dept. 1", {"is_salesperson": 1}),
	("sales3", "王芳", "Wang Fang", SALESPERSON, "Foreign Trade Dept. 1", {"is_salesperson": 1, "is_document_clerk": 1}),
	("sales4", "刘洋", "Liu Yang", SALESPERSON, "Foreign Trade Dept. 2", {"is_salesperson": 1}),
	("sales5", "陈静", "Chen Jing", SALESPERSON, "Foreign Trade Dept. 2", {"is_salesperson": 1, "is_merchandiser": 1}),
]


def make_demo(password: str = DEMO_PASSWORD) -> dict:
	# not frappe.only_for: it lets everyone through while tests run
	if "System Manager" not in frappe.get_roles():
		frappe.throw(_("Only a System Manager can create the demo company."), frappe.PermissionError)
	complete_setup()
	for name, zh, parent in DEPARTMENTS:
		ensure_department(name, zh, parent)
	users = {}
	for username, display, english, profile, department, duties in PEOPLE:
		user = ensure_user(username, display, english, profile, password)
		ensure_employee(user, display, department, duties)
		users[username] = user
	return users


def complete_setup() -> None:
	"""What Frappe's setup wizard would do for a company in China; until then only Administrator can work."""
	settings = frappe.get_single("System Settings")
	if not settings.setup_complete:
		settings.update({"country": "China", "time_zone": "Asia/Shanghai", "currency": "CNY", "date_format": "yyyy-mm-dd"})
		settings.language = settings.language or "zh"
		settings.setup_complete = 1
		frappe.db.set_default("desktop:home_page", "workspace")  # as the wizard's last step does
	settings.allow_login_using_user_name = 1
	settings.flags.ignore_permissions = True
	settings.save()


def ensure_department(name: str, zh: str, parent: str) -> None:
	if frappe.db.exists("ECRM Department", name):
		return
	frappe.get_doc(
		{
			"doctype": "ECRM Department",
			"department_name": name,
			"local_name": zh,
			"parent_ecrm_department": parent,
		}
	).insert(ignore_permissions=True)


def ensure_user(username: str, display: str, english: str, profile: str, password: str) -> str:
	email = f"{username}@{DOMAIN}"
	if frappe.db.exists("User", email):
		return email
	first, _space, last = english.partition(" ")
	user = frappe.get_doc(
		{
			"doctype": "User",
			"email": email,
			"username": username,
			"first_name": display,
			"language": "zh",
			"role_profile_name": profile,
			"send_welcome_email": 0,
			"new_password": password,
			"bio": english,
		}
	)
	user.flags.no_welcome_mail = True
	user.insert(ignore_permissions=True)
	return email


def ensure_employee(user: str, display: str, department: str, duties: dict) -> str:
	existing = frappe.db.get_value("ECRM Employee", {"user": user})
	if existing:
		return existing
	doc = frappe.get_doc(
		{"doctype": "ECRM Employee", "employee_name": display, "user": user, "department": department, **duties}
	)
	doc.insert(ignore_permissions=True)
	return doc.name
