"""What each role sees in the desk sidebar (A4): salespeople the CRM only, managers its setup too."""

import frappe
from frappe.desk.desktop import get_workspace_sidebar_items

from ent_crm.core.roles import MANAGER, MODULE_PROFILES, SALESPERSON
from tests.support import EntCRMTestCase
from tests.support.factories import make_user


def sidebar(user):
	frappe.set_user(user)
	try:
		return {page["name"] for page in get_workspace_sidebar_items()["pages"]}
	finally:
		frappe.set_user("Administrator")


class TestDeskAccess(EntCRMTestCase):
	def test_salesperson_profile_brings_its_module_profile(self):
		user = frappe.get_doc("User", make_user(profile=SALESPERSON))
		self.assertEqual(user.module_profile, SALESPERSON)
		self.assertEqual(sorted(m.module for m in user.block_modules), sorted(MODULE_PROFILES[SALESPERSON]))

	def test_an_explicit_module_profile_is_kept(self):
		frappe.get_doc({"doctype": "Module Profile", "module_profile_name": "_Test Open"}).insert()
		user = frappe.get_doc("User", make_user(profile=SALESPERSON, module_profile="_Test Open"))
		self.assertEqual(user.module_profile, "_Test Open")

	def test_salesperson_sees_only_the_crm(self):
		self.assertEqual(sidebar(make_user(profile=SALESPERSON)), {"Foreign Trade CRM"})

	def test_manager_also_sees_the_setup(self):
		pages = sidebar(make_user(profile=MANAGER))
		self.assertTrue({"Foreign Trade CRM", "Foreign Trade CRM Setup"} <= pages, pages)
		self.assertFalse({"Users", "Build"} & pages)

	def test_system_manager_keeps_frappes_workspaces(self):
		pages = sidebar(make_user(roles=["System Manager"]))
		self.assertTrue({"Users", "Build", "Foreign Trade CRM Setup"} <= pages, pages)
