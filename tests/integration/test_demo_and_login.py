"""The demo company (A2) and the office-network login rule (A5(2))."""

from types import SimpleNamespace

import frappe

from ent_crm.admin.login import check_office_network
from ent_crm.core.roles import MANAGER, REMOTE_ACCESS, SALESPERSON
from ent_crm.setup.demo import PEOPLE, make_demo
from tests.support import EntCRMTestCase
from tests.support.factories import make_user


class TestDemo(EntCRMTestCase):
	def test_demo_company(self):
		users = make_demo()
		self.assertEqual(sorted(users), ["manager", "sales1", "sales2", "sales3", "sales4", "sales5"])
		sales1 = frappe.get_doc("User", users["sales1"])
		self.assertEqual(sales1.username, "sales1")
		self.assertEqual(sales1.language, "zh")
		self.assertEqual(sales1.role_profile_name, SALESPERSON)
		roles = set(frappe.get_roles(users["sales1"]))
		self.assertIn(SALESPERSON, roles)
		self.assertFalse({r for r in roles if r.startswith("ECRM ")} - {SALESPERSON})
		self.assertIn(MANAGER, frappe.get_roles(users["manager"]))
		employees = frappe.get_all(
			"ECRM Employee",
			filters={"user": ("in", list(users.values()))},
			fields=["name", "is_salesperson", "department"],
		)
		self.assertEqual(len(employees), len(PEOPLE))
		self.assertTrue(all(e.is_salesperson for e in employees))
		self.assertEqual(len({e.name for e in employees}), len(PEOPLE))
		self.assertEqual(
			frappe.db.get_value("ECRM Department", "Foreign Trade Dept. 1", "parent_ecrm_department"),
			"Foreign Trade Department",
		)

	def test_demo_customers_across_regions_and_owners(self):
		before = frappe.db.count("ECRM Customer")
		users = make_demo()
		self.assertEqual(frappe.db.count("ECRM Customer") - before, 200)
		owners = frappe.get_all("ECRM Customer Owner", filters={"parenttype": "ECRM Customer"}, pluck="user")
		for n in range(1, 6):
			self.assertGreater(owners.count(users[f"sales{n}"]), 10)
		countries = frappe.db.sql(
			"select count(distinct r.country) from `tabECRM Customer` c join `tabECRM Region` r on r.name = c.region"
		)[0][0]
		self.assertGreaterEqual(countries, 15)
		contacts = frappe.db.count("ECRM Contact Person", {"parenttype": "ECRM Customer"})
		self.assertGreaterEqual(contacts, 200)
		with self.set_user(users["sales1"]):
			mine = frappe.get_list("ECRM Customer", pluck="name", limit_page_length=0)
		self.assertEqual(len(mine), owners.count(users["sales1"]))

	def test_demo_mailboxes_have_mail_in_every_queue(self):
		make_demo()
		boxes = frappe.get_all(
			"Email Account", filters={"email_id": ("like", "%@ent-crm.example")}, pluck="name"
		)
		queues = frappe.get_all("ECRM Mail", filters={"email_account": ("in", boxes)}, pluck="queue")
		self.assertGreaterEqual(len(queues), 300)
		self.assertEqual(
			set(queues), {"Unassigned", "Known Pending", "Stranger Pending", "Recycle Bin", "Handled"}
		)
		personal = frappe.get_all(
			"ECRM Mail", filters={"is_personal": 1, "email_account": ("in", boxes)}, pluck="assigned_user"
		)
		self.assertEqual(set(personal), {"sales1@ent-crm.example"})

	def test_demo_twice_adds_nothing(self):
		make_demo()
		doctypes = (
			"User",
			"ECRM Employee",
			"ECRM Department",
			"ECRM Customer",
			"ECRM Email Address",
			"ECRM Mail",
		)
		counts = [frappe.db.count(dt) for dt in doctypes]
		make_demo()
		self.assertEqual([frappe.db.count(dt) for dt in doctypes], counts)

	def test_only_a_system_manager_makes_the_demo(self):
		with self.set_user(make_user(profile=SALESPERSON)), self.assertRaises(frappe.PermissionError):
			make_demo()


class TestOfficeNetworkLogin(EntCRMTestCase):
	def login(self, user, ip):
		frappe.local.request_ip = ip
		try:
			check_office_network(SimpleNamespace(user=user))
		finally:
			frappe.local.request_ip = None

	def test_no_office_networks_no_restriction(self):
		frappe.db.set_single_value("ECRM Settings", "office_networks", "")
		self.login(make_user(profile=SALESPERSON), "198.51.100.9")

	def test_outside_the_office_is_refused_without_remote_access(self):
		frappe.db.set_single_value("ECRM Settings", "office_networks", "192.168.10.0/24")
		sales = make_user(profile=SALESPERSON)
		self.login(sales, "192.168.10.25")
		with self.assertRaisesRegex(frappe.AuthenticationError, "office network"):
			self.login(sales, "198.51.100.9")

	def test_remote_access_role_may_log_in_from_anywhere(self):
		frappe.db.set_single_value("ECRM Settings", "office_networks", "192.168.10.0/24")
		self.login(make_user(roles=[SALESPERSON, REMOTE_ACCESS]), "198.51.100.9")
		self.login("Administrator", "198.51.100.9")
