"""Mailbox health (issue 11): each CRM mailbox's pulls are recorded and a mailbox that goes quiet is seen.

Through a real IMAP server (dovecot on loopback): a pull that succeeds records when and how many mails it
stored; a pull with a wrong password records the error in plain words. A mailbox that has not pulled for
longer than ECRM Settings allows, or a site whose scheduler is off, shows a warning to mail admins and
System Managers (the workbench banner), and rings their bell once per incident. Salespeople cannot look.

Pulling commits (one mail at a time, and the health record), so tearDown removes what the test made.
"""

import unittest

import frappe
from frappe.utils import add_to_date, now_datetime, random_string

from ent_crm.core.roles import MAIL_ADMIN
from ent_crm.devmail.imap import ImapServer
from ent_crm.mail import api, health
from tests.integration.test_imap_harness import (
	MAILBOX,
	NO_DOVECOT,
	PASSWORD,
	connection_checked,
	delete_account,
	imap_account,
	message,
	remove_leftover_accounts,
)
from tests.support import EntCRMTestCase
from tests.support.factories import make_salesperson, make_user


@unittest.skipUnless(ImapServer.available(), NO_DOVECOT)
class TestMailboxHealth(EntCRMTestCase):
	def setUp(self):
		super().setUp()
		remove_leftover_accounts()
		self.imap = ImapServer()
		self.imap.add_user(MAILBOX, PASSWORD)
		self.imap.start()
		self.addCleanup(self.imap.stop)
		self.made = []  # (doctype, name) to delete, committed by the pull
		self.settings = {
			("ECRM Settings", "mailbox_stale_minutes"): frappe.db.get_value(
				"Singles",
				{"doctype": "ECRM Settings", "field": "mailbox_stale_minutes"},
				"value",
				order_by=None,
			),
			("System Settings", "enable_scheduler"): frappe.db.get_single_value(
				"System Settings", "enable_scheduler"
			),
		}
		self.account = imap_account(self.imap, ecrm_mailbox_kind="System Mailbox")
		with connection_checked():
			self.account.insert(ignore_permissions=True)
		frappe.db.commit()  # nosemgrep: the pull's own commits must find the mailbox

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		for mail in frappe.get_all("ECRM Mail", filters={"email_account": self.account.name}, pluck="name"):
			frappe.delete_doc("ECRM Mail", mail, force=True, ignore_permissions=True, delete_permanently=True)
		frappe.db.delete("ECRM Mail Failure", {"email_account": self.account.name})
		frappe.db.delete("ECRM Mailbox Health", {"email_account": self.account.name})
		for (doctype, field), value in self.settings.items():
			if value is None:
				frappe.db.delete("Singles", {"doctype": doctype, "field": field})
			else:
				frappe.db.set_single_value(doctype, field, value)
		frappe.db.delete("Notification Log", {"document_type": "ECRM Mailbox Health"})
		delete_account(self.account.name)
		for doctype, name in self.made:
			if frappe.db.exists(doctype, name):
				frappe.delete_doc(doctype, name, force=True, ignore_permissions=True, delete_permanently=True)
		frappe.db.commit()  # nosemgrep: remove what the pull committed
		frappe.db.savepoint("ent_crm_test")
		super().tearDown()

	def row(self) -> dict:
		rows = [m for m in health.mailbox_health()["mailboxes"] if m["name"] == self.account.name]
		self.assertEqual(len(rows), 1)
		return rows[0]

	def test_successful_pull_records_time_and_count(self):
		token = random_string(6)
		for i in range(3):
			self.imap.deliver(
				MAILBOX,
				message(f"b{i}@h{token}.example.org", f"Health {i} {token}", b"x", f"<h{i}-{token}@x>"),
			)
		before = now_datetime()
		from ent_crm.mail.api import receive_now

		self.assertEqual(
			receive_now(self.account.name), [self.account.name]
		)  # "Receive Now", as the scheduler pulls

		record = frappe.get_doc("ECRM Mailbox Health", self.account.name)
		self.assertGreaterEqual(record.last_success_at, before)
		self.assertEqual((record.last_stored, record.last_error), (3, None))
		row = self.row()
		self.assertEqual(
			(row["total"], row["last_24h"], row["last_error"], row["warning"], row["status"]),
			(3, 3, None, None, "OK"),
		)

		frappe.get_doc("Email Account", self.account.name).receive()  # nothing new: still a success
		self.assertEqual(frappe.db.get_value("ECRM Mailbox Health", self.account.name, "last_stored"), 0)
		self.assertEqual(self.row()["total"], 3)

	def test_wrong_password_is_recorded_in_plain_words(self):
		account = frappe.get_doc("Email Account", self.account.name)
		account.password = "not-the-password"
		account.save(ignore_permissions=True)  # tests do not log in on save
		frappe.db.commit()  # nosemgrep

		with self.assertRaises(Exception):
			frappe.get_doc("Email Account", self.account.name).receive()

		record = frappe.get_doc("ECRM Mailbox Health", self.account.name)
		self.assertEqual(record.last_error, health.AUTH_FAILED)
		self.assertTrue(record.failing_since and record.last_error_at and not record.last_success_at)
		self.assertTrue(record.error_detail)
		frappe.local.lang = "zh"
		try:
			self.assertIn("密码", self.row()["last_error"])  # shown in the reader's language
		finally:
			frappe.local.lang = "en"

		account = frappe.get_doc("Email Account", self.account.name)
		account.password = PASSWORD
		account.save(ignore_permissions=True)
		frappe.get_doc("Email Account", self.account.name).receive()  # fixed: the incident is over
		record.reload()
		self.assertEqual((record.last_error, record.failing_since), (None, None))
		self.assertTrue(record.last_success_at)

	def test_server_down_is_recorded_as_connection_refused(self):
		self.imap.stop()
		with self.assertRaises(Exception):
			frappe.get_doc("Email Account", self.account.name).receive()
		record = frappe.get_doc("ECRM Mailbox Health", self.account.name)
		self.assertEqual(record.last_error, health.CONNECTION_REFUSED)  # not the pull's own AttributeError
		self.assertIn("Connection refused", record.error_detail)

	def test_mailbox_quiet_for_longer_than_the_setting_is_warned(self):
		frappe.db.set_single_value("ECRM Settings", "mailbox_stale_minutes", 30)
		health.record_pull_success(self.account.name, 2)
		frappe.db.set_value(
			"Email Account", self.account.name, "creation", add_to_date(now_datetime(), days=-2)
		)
		self.assertNotIn(self.account.name, " ".join(health.warnings()))

		frappe.db.set_value(
			"ECRM Mailbox Health",
			self.account.name,
			"last_success_at",
			add_to_date(now_datetime(), minutes=-45),
		)
		health.record_pull_error(self.account.name, OSError("[Errno 111] Connection refused"))
		lines = [line for line in health.warnings() if self.account.name in line]
		self.assertEqual(len(lines), 1, health.warnings())
		self.assertIn("45 minutes", lines[0])
		self.assertIn(health.CONNECTION_REFUSED, lines[0])
		self.assertEqual(self.row()["status"], "Warning")

		# the bell rings once per incident, for mail admins and System Managers
		admin = make_user(roles=[MAIL_ADMIN])
		self.made.append(("User", admin))
		frappe.db.commit()  # nosemgrep
		self.assertGreaterEqual(health.notify_stale_mailboxes(), 1)
		bells = {
			"for_user": admin,
			"document_type": "ECRM Mailbox Health",
			"subject": ("like", f"%{self.account.name}%"),
		}
		self.assertEqual(frappe.db.count("Notification Log", bells), 1)
		health.notify_stale_mailboxes()
		self.assertEqual(frappe.db.count("Notification Log", bells), 1)

		health.record_pull_success(
			self.account.name, 0
		)  # pulled again: no warning, the next incident rings again
		self.assertNotIn(self.account.name, " ".join(health.warnings()))
		self.assertIsNone(frappe.db.get_value("ECRM Mailbox Health", self.account.name, "warned_at"))

		frappe.db.set_single_value("ECRM Settings", "mailbox_stale_minutes", 0)  # 0: no warning at all
		frappe.db.set_value(
			"ECRM Mailbox Health", self.account.name, "last_success_at", add_to_date(now_datetime(), days=-1)
		)
		self.assertNotIn(self.account.name, " ".join(health.warnings()))

	def test_mailbox_that_never_pulled_is_warned_after_the_setting(self):
		frappe.db.set_single_value("ECRM Settings", "mailbox_stale_minutes", 60)
		self.assertNotIn(self.account.name, " ".join(health.warnings()))  # just made: give it time
		frappe.db.set_value(
			"Email Account", self.account.name, "creation", add_to_date(now_datetime(), hours=-2)
		)
		self.assertIn(f"{self.account.name} has not pulled mail successfully yet.", health.warnings())

	def test_scheduler_off_is_warned(self):
		frappe.db.set_single_value("System Settings", "enable_scheduler", 0)
		self.assertTrue(health.mailbox_health()["scheduler_off"])
		self.assertTrue(any("enable-scheduler" in line for line in health.warnings()))
		frappe.db.set_single_value("System Settings", "enable_scheduler", 1)
		self.assertFalse(health.mailbox_health()["scheduler_off"])
		self.assertFalse(any("enable-scheduler" in line for line in health.warnings()))

	def test_only_mail_admins_and_system_managers_see_health(self):
		from ent_crm.workbench.api import first_paint

		frappe.db.set_single_value("System Settings", "enable_scheduler", 0)  # a warning to show
		seller = make_salesperson()
		admin = make_user(roles=[MAIL_ADMIN])
		frappe.set_user(seller.user)
		with self.assertRaises(frappe.PermissionError):
			api.get_mailbox_health()
		painted = first_paint()
		self.assertEqual((painted["sees_mailbox_health"], painted["mailbox_warnings"]), (False, []))

		frappe.set_user(admin)
		self.assertTrue(api.get_mailbox_health()["scheduler_off"])
		painted = first_paint()
		self.assertTrue(painted["sees_mailbox_health"])
		self.assertTrue(any("enable-scheduler" in line for line in painted["mailbox_warnings"]))


class TestDemoTurnsTheSchedulerOn(EntCRMTestCase):
	def test_demo_enables_the_scheduler(self):
		from ent_crm.setup.demo import make_demo

		frappe.db.set_single_value("System Settings", "enable_scheduler", 0)
		self.assertTrue(health.scheduler_off())
		make_demo()
		self.assertFalse(health.scheduler_off())
		self.assertFalse(any("enable-scheduler" in line for line in health.warnings()))
