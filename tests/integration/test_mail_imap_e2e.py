"""End to end through a real IMAP server (dovecot on loopback): mail delivered to the company mailbox is
pulled by the CRM mailbox and lands in the right queues — including mail someone already opened in
webmail, more than one batch of 100, and mail without a Message-ID pulled twice.

Pulling commits one mail at a time, so tearDown removes everything the test made, then commits.
"""

import unittest

import frappe
from frappe.utils import random_string

from ent_crm.devmail.imap import ImapServer
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
from tests.support.factories import make_customer, make_salesperson


@unittest.skipUnless(ImapServer.available(), NO_DOVECOT)
class TestCrmMailboxOverImap(EntCRMTestCase):
	def setUp(self):
		super().setUp()
		remove_leftover_accounts()
		self.imap = ImapServer()
		self.imap.add_user(MAILBOX, PASSWORD)
		self.imap.start()
		self.addCleanup(self.imap.stop)
		self.owner = make_salesperson()
		self.domain = f"{random_string(6).lower()}.example.com"
		self.customer = make_customer([self.owner.name], primary_email=f"buyer@{self.domain}")
		self.account = imap_account(
			self.imap,
			email_sync_option="UNSEEN",  # the CRM mailbox turns this into ALL
			initial_sync_count="250",
			create_contact=1,  # and this off
			ecrm_mailbox_kind="System Mailbox",
		)
		with connection_checked():
			self.account.insert(ignore_permissions=True)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		for mail in frappe.get_all("ECRM Mail", filters={"email_account": self.account.name}, pluck="name"):
			frappe.delete_doc("ECRM Mail", mail, force=True, ignore_permissions=True, delete_permanently=True)
		delete_account(self.account.name)
		for doctype, name in (
			("ECRM Customer", self.customer.name),
			("ECRM Employee", self.owner.name),
			("User", self.owner.user),
		):
			if frappe.db.exists(doctype, name):
				frappe.delete_doc(doctype, name, force=True, ignore_permissions=True, delete_permanently=True)
		frappe.db.commit()  # nosemgrep: remove what the pull committed
		frappe.db.savepoint("ent_crm_test")
		super().tearDown()

	def test_pull_routes_every_message_once(self):
		self.assertEqual((self.account.email_sync_option, self.account.create_contact), ("ALL", 0))
		token = random_string(6)
		self.imap.deliver(
			MAILBOX,
			message(f"Anna <buyer@{self.domain}>", f"Known {token}", b"quote please", f"<k-{token}@x>"),
			seen=True,
		)
		self.imap.deliver(
			MAILBOX, message(f"x{token}@stranger.example.org", f"Stranger {token}", b"hi", None)
		)
		for i in range(128):
			self.imap.deliver(
				MAILBOX, message(f"bulk{i}@bulk{token}.example.org", f"Bulk {i}", b"x", f"<b{i}-{token}@x>")
			)

		frappe.get_doc("Email Account", self.account.name).receive()

		mails = frappe.get_all(
			"ECRM Mail",
			filters={"email_account": self.account.name},
			fields=["subject", "queue", "reference_name"],
		)
		self.assertEqual(
			len(mails), 130, frappe.get_all("Error Log", pluck="error", limit=3, order_by="creation desc")
		)
		by_subject = {m.subject: m for m in mails}
		self.assertEqual(
			(by_subject[f"Known {token}"].queue, by_subject[f"Known {token}"].reference_name),
			("Known Pending", self.customer.name),
		)
		self.assertEqual(by_subject[f"Stranger {token}"].queue, "Unassigned")
		self.assertFalse(frappe.db.exists("Contact", {"email_id": f"x{token}@stranger.example.org"}))

		frappe.get_doc("Email Account", self.account.name).receive()  # again: nothing new, nothing twice
		self.assertEqual(frappe.db.count("ECRM Mail", {"email_account": self.account.name}), 130)
		self.assertFalse(frappe.get_all("ECRM Mail Failure", filters={"email_account": self.account.name}))

	def test_each_folder_continues_after_its_own_last_message(self):
		# Frappe keeps one highest UID for the whole account: with INBOX at 1–3 and Archive at 1–2, new
		# Archive mail numbered 3–5 would be asked for from 4. The CRM mailbox asks each folder from its own.
		self.account.append("imap_folder", {"folder_name": "Archive"})
		self.account.save(ignore_permissions=True)
		token = random_string(6)
		for i in range(3):
			self.imap.deliver(
				MAILBOX, message(f"i{i}@in{token}.example.org", f"Inbox {i}", b"x", f"<in{i}-{token}@x>")
			)
		for i in range(2):
			self.imap.deliver(
				MAILBOX,
				message(f"a{i}@ar{token}.example.org", f"Archive {i}", b"x", f"<ar{i}-{token}@x>"),
				folder="Archive",
			)
		frappe.get_doc("Email Account", self.account.name).receive()
		self.assertEqual(frappe.db.count("ECRM Mail", {"email_account": self.account.name}), 5)
		for i in range(2, 5):
			self.imap.deliver(
				MAILBOX,
				message(f"a{i}@ar{token}.example.org", f"Archive {i}", b"x", f"<ar{i}-{token}@x>"),
				folder="Archive",
			)
		frappe.get_doc("Email Account", self.account.name).receive()
		archived = frappe.get_all(
			"ECRM Mail",
			filters={"email_account": self.account.name, "imap_folder": "Archive"},
			pluck="imap_uid",
		)
		self.assertEqual(sorted(archived), [1, 2, 3, 4, 5])
		self.assertEqual(frappe.db.count("ECRM Mail", {"email_account": self.account.name}), 8)
