"""Mailbox health tells the truth at the edges (through dovecot on loopback):

- a pull that found another pull of the same mailbox running did nothing, so it records nothing — it is not
  a success with 0 mails (the running pull records its own outcome);
- a configured IMAP folder the server will not open (renamed, deleted, mistyped) is an error on the health
  panel and on the mailbox, in plain words, while the other folders are still read.
"""

import threading

import frappe

from ent_crm.mail import health
from ent_crm.mail.email_account import pull_lock
from tests.integration.test_mailbox_resilience import COMPANY, MailboxCase, mail, pull_in_own_connection


class TestPullEdges(MailboxCase):
	def health(self, account: str) -> dict:
		return frappe.db.get_value(
			"ECRM Mailbox Health",
			account,
			["last_pull_at", "last_success_at", "last_stored", "last_error", "error_detail"],
			as_dict=True,
		)

	def test_a_pull_skipped_for_a_running_one_records_nothing(self):
		account = self.mailbox()
		frappe.get_doc("Email Account", account).receive()  # a first pull: the record exists
		frappe.db.commit()  # nosemgrep: as the pull job does
		before = self.health(account)
		self.assertIsNone(before.last_error)
		self.imap.deliver(
			COMPANY, mail(f"buyer@{self.domain}", f"Locked {self.token}", f"<l-{self.token}@x>")
		)

		errors = []
		with pull_lock(account) as locked:  # a pull of this mailbox is running in this connection
			self.assertTrue(locked)
			other = threading.Thread(
				target=pull_in_own_connection,
				args=(frappe.local.site, frappe.local.sites_path, account, errors),
			)
			other.start()
			other.join(120)
		self.assertFalse(other.is_alive())
		self.assertFalse(errors, errors)
		frappe.db.rollback()
		self.assertEqual(self.health(account), before)  # no "success, 0 mails" for a pull that did nothing
		self.assertFalse(frappe.db.exists("ECRM Mail", {"subject": f"Locked {self.token}"}))

		frappe.get_doc("Email Account", account).receive()  # the lock is free: the mail comes in
		frappe.db.commit()  # nosemgrep
		after = self.health(account)
		self.assertEqual((after.last_stored, after.last_error), (1, None))
		self.assertGreater(after.last_pull_at, before.last_pull_at)

	def test_a_missing_folder_is_an_error_in_plain_words(self):
		account = self.mailbox(folders=("INBOX", "Archive2019"))
		self.imap.deliver(
			COMPANY, mail(f"buyer@{self.domain}", f"Folder {self.token}", f"<f-{self.token}@x>")
		)

		frappe.get_doc("Email Account", account).receive()
		frappe.db.commit()  # nosemgrep: as the pull job does

		self.assertTrue(frappe.db.exists("ECRM Mail", {"subject": f"Folder {self.token}"}))  # INBOX was read
		record = self.health(account)
		self.assertEqual(record.last_error, health.NO_FOLDER)
		self.assertIn("Archive2019", record.error_detail)
		self.assertIn("Archive2019", frappe.db.get_value("Email Account", account, "last_pull_error") or "")
		rows = [row for row in health.mailbox_health()["mailboxes"] if row["name"] == account]
		self.assertEqual(rows[0]["last_error"], health.NO_FOLDER)
		frappe.local.lang = "zh"
		try:
			shown = next(row for row in health.mailbox_health()["mailboxes"] if row["name"] == account)
			self.assertIn("文件夹", shown["last_error"])  # in the reader's language
		finally:
			frappe.local.lang = "en"
