"""The recycle bin empties itself after ECRM Settings' retention days (B5, D5): expired mail goes for good
with its Communication; newer mail, the trash and a retention of 0 are left alone; a deleted mail's place
in its folder stays known, so the pull never fetches it again.

The purge job commits batch by batch, as it does in production, so tearDown removes what the test made.
"""

import frappe
from frappe.utils import add_days, now_datetime, random_string

from ent_crm.mail import recycle_bin, routing
from ent_crm.mail.inbound import receive_raw
from tests.integration.test_mail_routing import make_mailbox, raw_mail
from tests.support import EntCRMTestCase


class TestRecycleBin(EntCRMTestCase):
	def setUp(self):
		super().setUp()
		self.box = make_mailbox()
		self.token = random_string(8).lower()
		self.retention = frappe.db.get_single_value("ECRM Settings", "recycle_bin_days")
		frappe.db.set_single_value("ECRM Settings", "recycle_bin_days", 30)
		self.made = []

	def tearDown(self):
		frappe.db.rollback()
		for name in self.made:
			if frappe.db.exists("ECRM Mail", name):
				recycle_bin.delete_mail(name)
		frappe.db.delete("ECRM Mail Copy", {"email_account": self.box.name})
		frappe.delete_doc("Email Account", self.box.name, force=True, ignore_permissions=True)
		frappe.db.set_single_value("ECRM Settings", "recycle_bin_days", self.retention)
		frappe.db.commit()  # nosemgrep: remove what the purge committed
		frappe.db.savepoint("ent_crm_test")
		super().tearDown()

	def mail(self, queue: str, days_ago: int, uid: str) -> str:
		name = receive_raw(
			raw_mail(f"x{uid}@{self.token}.example.org", f"Bin {uid} {self.token}"),
			self.box,
			uid=uid,
			folder="INBOX",
		)
		self.assertIsNotNone(name)
		self.made.append(name)
		frappe.db.set_value(
			"ECRM Mail",
			name,
			{"queue": queue, "modified": add_days(now_datetime(), -days_ago)},
			update_modified=False,
		)
		return name

	def test_expired_mail_goes_for_good_and_the_rest_stays(self):
		old = self.mail(routing.RECYCLE_BIN, 40, "11")
		recent = self.mail(routing.RECYCLE_BIN, 5, "12")
		old_trash = self.mail("Trash", 40, "13")
		communication = frappe.db.get_value("ECRM Mail", old, "communication")
		self.assertTrue(communication)

		self.assertGreaterEqual(recycle_bin.purge(), 1)

		self.assertFalse(frappe.db.exists("ECRM Mail", old))
		self.assertFalse(frappe.db.exists("Communication", communication))
		self.assertTrue(frappe.db.exists("ECRM Mail", recent))
		self.assertTrue(frappe.db.exists("ECRM Mail", old_trash))
		# its place in the folder is remembered: the pull will not fetch it again
		self.assertTrue(
			frappe.db.exists(
				"ECRM Mail Copy", {"email_account": self.box.name, "imap_folder": "INBOX", "imap_uid": "11"}
			)
		)

	def test_a_retention_of_zero_keeps_the_bin(self):
		old = self.mail(routing.RECYCLE_BIN, 400, "21")
		frappe.db.set_single_value("ECRM Settings", "recycle_bin_days", 0)
		self.assertEqual(recycle_bin.purge(), 0)
		self.assertTrue(frappe.db.exists("ECRM Mail", old))

	def test_the_daily_job_is_scheduled(self):
		self.assertIn("ent_crm.mail.recycle_bin.purge", frappe.get_hooks("scheduler_events")["daily"])
