"""Test helpers shared by the suite in the repository's tests/ folder.

`EntCRMTestCase` is the one base class (FrappeTestCase on v15), isolating each test with a savepoint on
top of FrappeTestCase's per-class rollback, so the suite behaves the same under pytest and under
`bench run-tests`.
"""

import frappe
from frappe.tests.utils import FrappeTestCase


class EntCRMTestCase(FrappeTestCase):
	def setUp(self):
		super().setUp()
		frappe.set_user("Administrator")
		frappe.db.savepoint("ent_crm_test")

	def tearDown(self):
		try:
			frappe.db.rollback(save_point="ent_crm_test")
		except Exception:  # the test rolled back (or committed) past the savepoint itself
			frappe.db.rollback()
		frappe.set_user("Administrator")
		frappe.local.lang = "en"
		super().tearDown()
