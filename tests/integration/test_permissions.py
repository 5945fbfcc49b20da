"""Who may read and change the base data (A4): salespeople read, managers maintain."""

import frappe

from ent_crm.core.roles import MANAGER, SALESPERSON
from tests.support import EntCRMTestCase
from tests.support.factories import make_user

BASE_DATA = [
	"ECRM Region",
	"ECRM Department",
	"ECRM Employee",
	"ECRM Customer Type",
	"ECRM Product",
	"ECRM Follow-up Method",
	"ECRM Mail Category",
]


class TestBaseDataPermissions(EntCRMTestCase):
	def setUp(self):
		super().setUp()
		self.sales = make_user(profile=SALESPERSON)
		self.manager = make_user(profile=MANAGER)

	def test_role_profile_gives_the_roles(self):
		self.assertIn(SALESPERSON, frappe.get_roles(self.sales))
		self.assertNotIn(MANAGER, frappe.get_roles(self.sales))
		self.assertIn(MANAGER, frappe.get_roles(self.manager))

	def test_salesperson_reads_but_cannot_change_base_data(self):
		for doctype in BASE_DATA:
			self.assertTrue(frappe.has_permission(doctype, "read", user=self.sales), doctype)
			for ptype in ("write", "create", "delete"):
				self.assertFalse(frappe.has_permission(doctype, ptype, user=self.sales), f"{doctype} {ptype}")
		with self.set_user(self.sales), self.assertRaises(frappe.PermissionError):
			frappe.get_doc({"doctype": "ECRM Product", "code_name": "_Test Widget"}).insert()

	def test_salesperson_cannot_open_the_settings(self):
		self.assertFalse(frappe.has_permission("ECRM Settings", "read", user=self.sales))
		with self.set_user(self.sales), self.assertRaises(frappe.PermissionError):
			frappe.get_doc("ECRM Settings").check_permission("read")

	def test_manager_maintains_base_data_and_settings(self):
		for doctype in BASE_DATA:
			self.assertTrue(frappe.has_permission(doctype, "write", user=self.manager), doctype)
		self.assertTrue(frappe.has_permission("ECRM Settings", "write", user=self.manager))
		with self.set_user(self.manager):
			frappe.get_doc(
				{"doctype": "ECRM Product", "code_name": "_Test Widget", "local_name": "测试部件"}
			).insert()
		self.assertTrue(frappe.db.exists("ECRM Product", "_Test Widget"))

	def test_user_without_crm_roles_sees_nothing(self):
		outsider = make_user()
		self.assertFalse(frappe.has_permission("ECRM Region", "read", user=outsider))
		with self.set_user(outsider), self.assertRaises(frappe.PermissionError):
			frappe.get_list("ECRM Employee")

	def test_seed_records_are_for_system_managers_only(self):
		self.assertFalse(frappe.has_permission("ECRM Seed Record", "read", user=self.manager))
