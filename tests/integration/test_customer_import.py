"""Customers with contacts from a spreadsheet through Frappe's Data Import (G1): the rows that break the
address rules are reported, the rest imported."""

import frappe
from frappe.utils import random_string

from ent_crm.customers.address_index import lookup
from tests.support import EntCRMTestCase
from tests.support.factories import make_customer


class TestCustomerImport(EntCRMTestCase):
	def setUp(self):
		super().setUp()
		self.tag = random_string(6).lower()
		self.taken = f"taken@{self.tag}.example.com"
		self.holder = make_customer(primary_email=self.taken, customer_name=f"_Imp {self.tag} Holder")
		frappe.db.commit()  # nosemgrep: Data Import commits per row; the holder must exist for it
		self.cleanup = [("ECRM Customer", self.holder.name)]

	def tearDown(self):
		frappe.db.rollback()
		names = frappe.get_all(
			"ECRM Customer", filters={"customer_name": ("like", f"_Imp {self.tag}%")}, pluck="name"
		)
		for name in names:
			frappe.delete_doc("ECRM Customer", name, force=True, ignore_permissions=True)
		for doctype, name in self.cleanup:
			if frappe.db.exists(doctype, name):
				frappe.delete_doc(doctype, name, force=True, ignore_permissions=True)
		frappe.db.commit()  # nosemgrep: remove what the import committed
		super().tearDown()

	def csv(self):
		t = self.tag
		rows = [
			"Customer Name,Region,Primary Email,Backup Emails,Remarks,Contact Name (Contacts),Email (Contacts),Job Title (Contacts)",
			f"_Imp {t} 汉堡贸易有限公司,Hamburg,buyer@{t}-hh.example.com,a@{t}-hh.example.com; b@{t}-hh.example.com,老客户,Hans Müller,hans@{t}-hh.example.com,采购经理",
			f",,,,,Greta Klein,greta@{t}-hh.example.com,Buyer",
			f"_Imp {t} Bad Mail,Hamburg,not-an-address,,,,,",
			f"_Imp {t} Taken,Guangzhou,{self.taken.upper()},,,,,",
			f"_Imp {t} Lyon Imports,Lyon,contact@{t}-ly.example.com,,,Pierre Martin,pierre@{t}-ly.example.com,CEO",
		]
		return ("\n".join(rows) + "\n").encode("utf-8")

	def test_import_reports_bad_rows_and_keeps_the_rest(self):
		file = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": f"customers-{self.tag}.csv",
				"content": self.csv(),
				"is_private": 1,
			}
		).insert(ignore_permissions=True)
		data_import = frappe.get_doc(
			{
				"doctype": "Data Import",
				"reference_doctype": "ECRM Customer",
				"import_type": "Insert New Records",
				"import_file": file.file_url,
			}
		).insert(ignore_permissions=True)
		frappe.db.commit()  # nosemgrep: as Frappe's own importer tests do
		self.cleanup += [("Data Import", data_import.name), ("File", file.name)]
		data_import.start_import()

		data_import.reload()
		self.assertEqual(data_import.status, "Partial Success")
		logs = frappe.get_all(
			"Data Import Log",
			filters={"data_import": data_import.name},
			fields=["success", "messages", "docname"],
		)
		failures = [log for log in logs if not log.success]
		self.assertEqual(len(failures), 2, logs)
		messages = " ".join(log.messages or "" for log in failures)
		self.assertIn("not-an-address", messages)
		self.assertIn(self.taken, messages)

		hamburg = lookup(f"hans@{self.tag}-hh.example.com")
		doc = frappe.get_doc("ECRM Customer", hamburg.reference_name)
		self.assertEqual(doc.customer_name, f"_Imp {self.tag} 汉堡贸易有限公司")
		self.assertEqual([c.contact_name for c in doc.contacts], ["Hans Müller", "Greta Klein"])
		self.assertEqual(
			[r.email for r in doc.backup_emails],
			[f"a@{self.tag}-hh.example.com", f"b@{self.tag}-hh.example.com"],
		)
		self.assertEqual(doc.remarks, "老客户")
		self.assertIsNotNone(lookup(f"pierre@{self.tag}-ly.example.com"))
		self.assertEqual(lookup(self.taken).reference_name, self.holder.name)
