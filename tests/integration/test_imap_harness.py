"""The IMAP test harness (ent_crm.devmail.imap) proven with Frappe itself: a real dovecot on loopback,
a Frappe Email Account that logs in to it, and Frappe's own pull turning its mail into Communications.

Pulling commits (one message at a time), which a per-test rollback cannot undo and which also ends
EntCRMTestCase's savepoint: tearDown deletes the Email Account and everything the pull made, then commits.
"""

import base64
import email.utils
import unittest
from contextlib import contextmanager

import frappe
from frappe.email.smtp import InvalidEmailCredentials
from frappe.model.document import Document
from frappe.utils import random_string

from ent_crm.devmail.imap import ImapServer
from tests.support import EntCRMTestCase

MAILBOX = "sales@company.example"
PASSWORD = "Imap-Test-2026"
ACCOUNT_PREFIX = "_Test IMAP"
CHINESE_SUBJECT = "询价：不锈钢管"
CHINESE_BODY = "请报价 304 不锈钢管，数量 20 吨。"
NO_DOVECOT = (
	"SKIPPED, needs dovecot: /usr/sbin/dovecot is missing (apt-get install dovecot-imapd; .ci/run does it)"
)


def imap_account(
	imap,
	*,
	email_id: str = MAILBOX,
	password: str = PASSWORD,
	prefix: str = ACCOUNT_PREFIX,
	folders=("INBOX",),
	**fields,
) -> Document:
	"""An Email Account (not inserted) that reads `imap`, the dovecot on loopback, and sends nothing."""
	return frappe.get_doc(
		{
			"doctype": "Email Account",
			"email_account_name": f"{prefix} {random_string(8)}",
			"email_id": email_id,
			"password": password,
			"awaiting_password": 0,
			"enable_incoming": 1,
			"use_imap": 1,
			"email_server": imap.host,
			"incoming_port": str(imap.port),
			"use_ssl": 0,
			"use_starttls": 0,
			"imap_folder": [{"folder_name": f} for f in folders],
			"enable_outgoing": 0,
			"no_smtp_authentication": 1,
			**fields,
		}
	)


def message(sender: str, subject_header: str, body: bytes, message_id: str | None, charset="utf-8") -> bytes:
	headers = [
		f"From: {sender}",
		f"To: {MAILBOX}",
		f"Subject: {subject_header}",
		f"Date: {email.utils.formatdate(localtime=True)}",
		"MIME-Version: 1.0",
		f"Content-Type: text/plain; charset={charset}",
		"Content-Transfer-Encoding: base64",
	]
	if message_id:
		headers.append(f"Message-ID: {message_id}")
	return ("\r\n".join(headers) + "\r\n\r\n").encode() + base64.encodebytes(body)


def gb2312_header(text: str) -> str:
	return f"=?GB2312?B?{base64.b64encode(text.encode('gb2312')).decode()}?="


@contextmanager
def connection_checked():
	"""Email Account.validate logs in to the incoming server, except in tests: let it, here."""
	in_test = frappe.flags.in_test
	frappe.flags.in_test = False
	try:
		yield
	finally:
		frappe.flags.in_test = in_test


@unittest.skipUnless(ImapServer.available(), NO_DOVECOT)
class TestImapHarness(EntCRMTestCase):
	def setUp(self):
		super().setUp()
		self.account = None
		remove_leftover_accounts()
		self.imap = ImapServer()
		self.imap.add_user(MAILBOX, PASSWORD)
		self.imap.start()
		self.addCleanup(self.imap.stop)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()  # what was not committed
		if self.account:
			delete_account(self.account)
		frappe.db.commit()
		frappe.db.savepoint("ent_crm_test")  # EntCRMTestCase.tearDown rolls back to it
		super().tearDown()

	def make_account(self, password: str = PASSWORD) -> Document:
		account = imap_account(
			self.imap,
			password=password,
			email_sync_option="ALL",
			initial_sync_count="100",
			create_contact=0,
			enable_auto_reply=0,
		)
		with connection_checked():
			account.insert(ignore_permissions=True)
		self.account = account.name
		return account

	def deliver_three(self) -> dict[str, str]:
		"""One message already read, one with a GB2312-encoded subject, one without Message-ID."""
		token = random_string(10)
		seen = message(
			"Buyer One <buyer1@customer.example>",
			f"Seen inquiry {token}",
			b"Already read in webmail.",
			f"<seen-{token}@customer.example>",
		)
		chinese = message(
			f"{gb2312_header('王先生')} <wang@customer.example>",
			gb2312_header(CHINESE_SUBJECT),
			CHINESE_BODY.encode("gb2312"),
			f"<gbk-{token}@customer.example>",
			charset="GB2312",
		)
		anonymous = message("buyer3@customer.example", f"No id {token}", b"Sent without a Message-ID.", None)
		self.imap.deliver(MAILBOX, seen, seen=True)
		self.imap.deliver(MAILBOX, anonymous)
		self.imap.deliver(MAILBOX, chinese)
		return {
			f"Seen inquiry {token}": "buyer1@customer.example",
			f"No id {token}": "buyer3@customer.example",
			CHINESE_SUBJECT: "wang@customer.example",
		}

	def test_harness_serves_what_it_was_given(self):
		self.deliver_three()
		stored = self.imap.messages(MAILBOX)
		self.assertEqual([uid for uid, _flags, _raw in stored], [1, 2, 3])
		self.assertEqual([("\\Seen" in flags) for _uid, flags, _raw in stored], [True, False, False])
		self.assertIn(b"=?GB2312?B?", stored[2][2])

	def test_wrong_password_is_refused_when_saving(self):
		with self.assertRaises(InvalidEmailCredentials):
			self.make_account(password="not-the-password")

	def test_frappe_pulls_every_message_into_communications(self):
		expected = self.deliver_three()
		account = self.make_account()  # validate logged in to dovecot with these settings

		frappe.get_doc("Email Account", account.name).receive()

		communications = frappe.get_all(
			"Communication",
			filters={"email_account": account.name},
			fields=[
				"subject",
				"sender",
				"sent_or_received",
				"communication_medium",
				"content",
				"message_id",
				"uid",
			],
		)
		self.assertEqual(len(communications), 3, msg=errors_of(account.name))
		self.assertEqual({c.subject: c.sender for c in communications}, expected)
		self.assertEqual({c.sent_or_received for c in communications}, {"Received"})
		self.assertEqual({c.communication_medium for c in communications}, {"Email"})
		self.assertEqual(sorted(c.uid for c in communications), [1, 2, 3])
		chinese = next(c for c in communications if c.subject == CHINESE_SUBJECT)
		self.assertIn(CHINESE_BODY, chinese.content)
		self.assertFalse(frappe.get_all("Unhandled Email", filters={"email_account": account.name}))

		# Frappe read the mailbox without changing it: what was unread is still unread
		flags = [("\\Seen" in flags) for _uid, flags, _raw in self.imap.messages(MAILBOX)]
		self.assertEqual(flags, [True, False, False])
		folder = frappe.get_doc("Email Account", account.name).imap_folder[0]
		self.assertTrue(folder.uidvalidity, "Frappe stored the server's UIDVALIDITY")


def errors_of(account: str) -> str:
	logs = frappe.get_all(
		"Error Log", filters={"reference_doctype": "Email Account", "reference_name": account}, pluck="error"
	)
	return "\n".join(logs) or "no Error Log for the account"


def remove_leftover_accounts() -> None:
	"""An interrupted earlier run may have left its test account, whose address is unique."""
	for name in frappe.get_all(
		"Email Account", filters={"email_id": MAILBOX, "name": ("like", f"{ACCOUNT_PREFIX} %")}, pluck="name"
	):
		delete_account(name)
	frappe.db.commit()


def delete_account(name: str) -> None:
	"""The Email Account and whatever pulling its mail committed."""
	communications = frappe.get_all("Communication", filters={"email_account": name}, pluck="name")
	for communication in communications:
		for queued in frappe.get_all("Email Queue", filters={"communication": communication}, pluck="name"):
			frappe.delete_doc(
				"Email Queue", queued, force=True, ignore_permissions=True, delete_permanently=True
			)
		frappe.delete_doc(
			"Communication", communication, force=True, ignore_permissions=True, delete_permanently=True
		)
	if communications:
		frappe.db.delete("Version", {"ref_doctype": "Communication", "docname": ("in", communications)})
	for unhandled in frappe.get_all("Unhandled Email", filters={"email_account": name}, pluck="name"):
		frappe.delete_doc(
			"Unhandled Email", unhandled, force=True, ignore_permissions=True, delete_permanently=True
		)
	frappe.db.delete("Error Log", {"reference_doctype": "Email Account", "reference_name": name})
	frappe.db.delete("Version", {"ref_doctype": "Email Account", "docname": name})
	if frappe.db.exists("Email Account", name):
		frappe.delete_doc("Email Account", name, force=True, ignore_permissions=True, delete_permanently=True)
	frappe.cache.delete_value(f"{name}:email-account-failed-attempts")
