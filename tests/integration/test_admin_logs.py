"""Logs in one place for administrators (A8): logins/logouts, changes field by field, exports and prints,
backups; paged and filtered; administrators only."""

import json
import os

import frappe
from frappe.core.doctype.access_log.access_log import make_access_log
from frappe.core.doctype.activity_log.activity_log import add_authentication_log
from frappe.utils import add_days, nowdate

from ent_crm.admin.api import get_logs
from ent_crm.admin.logs import describe_version
from ent_crm.core.roles import MANAGER, SALESPERSON
from tests.support import EntCRMTestCase
from tests.support.factories import make_customer, make_salesperson, make_user


class TestAdminLogs(EntCRMTestCase):
	def setUp(self):
		super().setUp()
		self.manager = make_user(roles=[MANAGER])

	def logs(self, log_type, **kw):
		with self.set_user(self.manager):
			return get_logs(log_type, **kw)

	def test_logins_and_logouts_paged_and_filtered(self):
		user = make_user(profile=SALESPERSON)
		add_authentication_log("logged in", user)
		add_authentication_log("Login refused for x: outside", user, status="Failed")
		add_authentication_log("logged out", user, operation="Logout")
		first = self.logs("login", user=user, page_length=2)
		self.assertEqual(len(first["rows"]), 2)
		self.assertTrue(first["has_more"])
		second = self.logs("login", user=user, start=2, page_length=2)
		self.assertEqual(len(second["rows"]), 1)
		self.assertFalse(second["has_more"])
		rows = first["rows"] + second["rows"]
		self.assertEqual({r["what"] for r in rows}, {"Login", "Logout"})
		self.assertEqual(sum(r["failed"] for r in rows), 1)
		self.assertEqual(self.logs("login", user=user, to_date=add_days(nowdate(), -1))["rows"], [])
		self.assertEqual(
			len(self.logs("login", user=user, from_date=nowdate(), to_date=nowdate())["rows"]), 3
		)

	def test_every_change_with_field_old_and_new_value(self):
		a, b = make_salesperson(employee_name="Log A"), make_salesperson(employee_name="Log B")
		customer = make_customer([a.name], customer_name="_Test Old Name")
		editor = make_user(roles=[MANAGER, "System Manager"])
		with self.set_user(editor):
			doc = frappe.get_doc("ECRM Customer", customer.name)
			doc.customer_name = "_Test New Name"
			doc.append("owners", {"employee": b.name})
			doc.save(ignore_version=False)  # Frappe skips versions under tests unless told
		rows = self.logs("change", user=editor)["rows"]
		self.assertEqual(len(rows), 1)
		row = rows[0]
		self.assertEqual(
			(row["doctype"], row["docname"], row["user"]), ("ECRM Customer", customer.name, editor)
		)
		changes = {c["field"]: (c["old"], c["new"]) for c in row["changes"]}
		label = frappe.get_meta("ECRM Customer").get_field("customer_name").label
		self.assertEqual(changes[label], ("_Test Old Name", "_Test New Name"))
		owners_label = frappe.get_meta("ECRM Customer").get_field("owners").label
		self.assertEqual(changes[owners_label], ("", "row added"))

	def test_a_changed_table_row_names_its_field(self):
		meta = frappe.get_meta("ECRM Customer")
		child = frappe.get_meta(meta.get_field("owners").options)
		fieldname = next(f.fieldname for f in child.fields if f.fieldtype == "Link")
		data = json.dumps(
			{"changed": [], "row_changed": [["owners", 0, "row1", [[fieldname, "0001", "0002"]]]]}
		)
		(change,) = describe_version("ECRM Customer", data)
		self.assertIn("#1", change["field"])
		self.assertIn(child.get_field(fieldname).label, change["field"])
		self.assertEqual((change["old"], change["new"]), ("0001", "0002"))

	def test_exports_and_prints(self):
		user = make_user(profile=SALESPERSON)
		customer = make_customer()
		with self.set_user(user):
			make_access_log(doctype="ECRM Customer", file_type="CSV", report_name="Customer list")
			make_access_log(doctype="ECRM Customer", document=customer.name, file_type="PDF", method="Print")
		rows = self.logs("access", user=user)["rows"]
		self.assertEqual([r["what"] for r in rows], ["Print", "Export"])
		self.assertIn(customer.name, rows[0]["details"])
		self.assertIn("CSV", rows[1]["details"])

	def test_backups_with_their_times(self):
		from frappe.utils.backups import new_backup

		backup = new_backup(ignore_files=True, force=True)
		made = os.path.basename(backup.backup_path_db)
		try:
			rows = self.logs("backup")["rows"]
			self.assertIn(made, [r["details"] for r in rows])
			row = next(r for r in rows if r["details"] == made)
			self.assertEqual(str(row["time"].date()), nowdate())
			self.assertGreater(row["size_mb"], 0)
			self.assertEqual(self.logs("backup", user=self.manager)["rows"], [])
			self.assertNotIn(
				made, [r["details"] for r in self.logs("backup", to_date=add_days(nowdate(), -1))["rows"]]
			)
		finally:
			for path in (backup.backup_path_db, backup.backup_path_conf):
				if path and os.path.exists(path):
					os.remove(path)

	def test_only_administrators_read_the_logs(self):
		with self.set_user(make_user(profile=SALESPERSON)), self.assertRaises(frappe.PermissionError):
			get_logs("login")
		with self.set_user(self.manager), self.assertRaises(frappe.ValidationError):
			get_logs("everything")

	def test_the_logs_are_indexed_by_user_and_time(self):
		# declared in ent_crm.setup.indexes, added on install and migrate (see bench/admin_logs.py)
		self.assertTrue(frappe.db.has_index("tabActivity Log", "ecrm_user_modified"))
		self.assertTrue(frappe.db.has_index("tabVersion", "ecrm_owner_modified"))
		self.assertTrue(frappe.db.has_index("tabAccess Log", "ecrm_user_modified"))
