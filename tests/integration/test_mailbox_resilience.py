"""The mailbox never goes dead (issue 11): every case through a real IMAP server (dovecot on loopback).

Import first and connect later, a folder the server renumbers, a personal mailbox full of mail the
company mailbox already has, the same mail in both, a mail whose failure cannot be recorded, a different
mail reusing a Message-ID, a mail without Message-ID over IMAP and from a file, two pulls at once, long
folded subjects, a wrongly declared charset, 1,000 recipients, and read receipts.

Pulling commits one mail at a time, so tearDown removes everything the test made, then commits.
"""

import threading
import time
import unittest
from email.utils import formatdate

import frappe
from frappe.utils import random_string

from ent_crm.core.roles import MAIL_ADMIN
from ent_crm.devmail.imap import ImapServer
from ent_crm.mail import api
from ent_crm.mail.errors import PULL_STOPPED
from ent_crm.mail.importer import import_messages
from ent_crm.mail.inbound import bulk_insert, receive_raw
from tests.integration.test_imap_harness import (
	MAILBOX,
	NO_DOVECOT,
	PASSWORD,
	connection_checked,
	delete_account,
	imap_account,
)
from tests.support import EntCRMTestCase
from tests.support.factories import make_salesperson, make_user

COMPANY = MAILBOX
PERSONAL = "anna.personal@company.example"
PREFIX = "_Test Resilience"
CHINESE = "请报价 304 不锈钢管，数量 20 吨。"


def mail(
	sender,
	subject,
	message_id=None,
	body="Please quote.\r\nThank you.",
	*,
	to=COMPANY,
	cc=None,
	date=None,
	extra="",
	charset="utf-8",
	body_bytes=None,
) -> bytes:
	"""A plain-text mail with CRLF line ends, as an IMAP server hands it out. `subject` is the raw header
	value (it may be folded)."""
	lines = [f"From: {sender}", f"To: {to}"]
	if cc:
		lines.append(f"Cc: {cc}")
	lines += [f"Subject: {subject}", f"Date: {date or formatdate(localtime=True)}"]
	if message_id:
		lines.append(f"Message-ID: {message_id}")
	lines += [
		"MIME-Version: 1.0",
		f"Content-Type: text/plain; charset={charset}",
		"Content-Transfer-Encoding: 8bit",
	]
	head = (extra + "\r\n".join(lines) + "\r\n\r\n").encode()
	return head + (body_bytes if body_bytes is not None else body.encode("utf-8")) + b"\r\n"


def questions() -> int:
	"""Statements this database connection has run (MariaDB's own counter)."""
	return int(frappe.db.sql("show session status like 'Questions'")[0][1])


@unittest.skipUnless(ImapServer.available(), NO_DOVECOT)
class MailboxCase(EntCRMTestCase):
	def setUp(self):
		super().setUp()
		remove_leftovers()
		self.imap = ImapServer()
		self.imap.add_user(COMPANY, PASSWORD)
		self.imap.add_user(PERSONAL, PASSWORD)
		self.imap.start()
		self.addCleanup(self.imap.stop)
		self.token = random_string(8).lower()
		self.domain = f"{self.token}.example.org"
		self.accounts, self.people = [], []

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		for account in self.accounts:
			mails = frappe.get_all("ECRM Mail", filters={"email_account": account}, pluck="name")
			frappe.db.delete("ECRM Mail Copy", {"email_account": account})
			if mails:
				frappe.db.delete("ECRM Mail Copy", {"mail": ("in", mails)})
			for name in mails:
				frappe.delete_doc(
					"ECRM Mail", name, force=True, ignore_permissions=True, delete_permanently=True
				)
			for name in frappe.get_all("ECRM Mail Failure", filters={"email_account": account}, pluck="name"):
				frappe.delete_doc(
					"ECRM Mail Failure", name, force=True, ignore_permissions=True, delete_permanently=True
				)
			delete_account(account)
		for person in self.people:
			for doctype, name in (("ECRM Employee", person.name), ("User", person.user)):
				if frappe.db.exists(doctype, name):
					frappe.delete_doc(
						doctype, name, force=True, ignore_permissions=True, delete_permanently=True
					)
		frappe.db.commit()  # nosemgrep: remove what the pulls committed
		frappe.db.savepoint("ent_crm_test")
		super().tearDown()

	def salesperson(self):
		person = make_salesperson()
		self.people.append(person)
		return person

	def mailbox(self, kind="System Mailbox", address=COMPANY, employee=None, folders=("INBOX",)) -> str:
		account = imap_account(
			self.imap,
			email_id=address,
			prefix=PREFIX,
			folders=folders,
			initial_sync_count="250",
			ecrm_mailbox_kind=kind,
			ecrm_employee=employee,
		)
		with connection_checked():
			account.insert(ignore_permissions=True)
		frappe.db.commit()  # nosemgrep: the pulls commit; the mailbox must exist for them
		self.accounts.append(account.name)
		return account.name

	def pull(self, account: str) -> None:
		frappe.get_doc("Email Account", account).receive()

	def subjects(self, account: str) -> list[str]:
		return sorted(frappe.get_all("ECRM Mail", filters={"email_account": account}, pluck="subject"))

	def failures(self, account: str) -> list:
		return frappe.get_all(
			"ECRM Mail Failure", filters={"email_account": account}, fields=["subject", "reason"]
		)


class TestNeverStuck(MailboxCase):
	def test_import_first_connect_later_keeps_receiving(self):
		# C5: old mail imported from .eml files, then the mailbox is connected; its server holds the same mail
		old = [
			mail(f"o{i}@{self.domain}", f"Old {i} {self.token}", f"<old{i}-{self.token}@x>") for i in range(3)
		]
		account = self.mailbox()
		counts = import_messages(
			[(f"{i}.eml", raw) for i, raw in enumerate(old)], frappe.get_doc("Email Account", account)
		)
		self.assertEqual(counts["imported"], 3)
		frappe.db.commit()  # nosemgrep: as the import job does
		for raw in old:
			self.imap.deliver(COMPANY, raw)
		self.pull(account)  # the first connection: all of it known already
		self.assertEqual(len(self.subjects(account)), 3)

		self.imap.deliver(COMPANY, mail(f"n@{self.domain}", f"New {self.token}", f"<new-{self.token}@x>"))
		self.pull(account)
		self.assertIn(f"New {self.token}", self.subjects(account))
		self.imap.deliver(COMPANY, mail(f"m@{self.domain}", f"Newer {self.token}", f"<newer-{self.token}@x>"))
		self.pull(account)
		self.assertEqual(len(self.subjects(account)), 5)
		self.assertFalse(self.failures(account))

	def test_renumbered_folder_is_read_again_and_keeps_receiving(self):
		account = self.mailbox(folders=("INBOX", "Archive"))
		old = [
			mail(f"a{i}@{self.domain}", f"Archived {i} {self.token}", f"<ar{i}-{self.token}@x>")
			for i in range(3)
		]
		for raw in old:
			self.imap.deliver(COMPANY, raw, folder="Archive")
		self.pull(account)
		self.assertEqual(len(self.subjects(account)), 3)
		validity = self.uidvalidity("Archive")

		# the server renumbers the folder (a moved server, a repaired mailbox): same mail, new numbers
		time.sleep(1.1)
		with self.imap.connect(COMPANY) as imap:
			self.assertEqual(imap.delete('"Archive"')[0], "OK")
		for raw in old:
			self.imap.deliver(COMPANY, raw, folder="Archive")
		self.assertNotEqual(self.uidvalidity("Archive"), validity)
		self.pull(account)
		self.assertEqual(len(self.subjects(account)), 3)  # recognised, not stored twice

		self.imap.deliver(
			COMPANY,
			mail(f"n@{self.domain}", f"After renumbering {self.token}", f"<an-{self.token}@x>"),
			folder="Archive",
		)
		self.pull(account)
		self.assertIn(f"After renumbering {self.token}", self.subjects(account))
		self.imap.deliver(COMPANY, mail(f"i@{self.domain}", f"Inbox {self.token}", f"<in-{self.token}@x>"))
		self.pull(account)
		self.assertEqual(len(self.subjects(account)), 5)
		self.assertFalse(self.failures(account))

	def uidvalidity(self, folder: str) -> bytes:
		with self.imap.connect(COMPANY) as imap:
			return imap.status(f'"{folder}"', "(UIDVALIDITY)")[1][0]

	def test_personal_mailbox_gets_past_mail_the_company_mailbox_has(self):
		person = self.salesperson()
		company = self.mailbox()
		personal = self.mailbox("Personal Mailbox", PERSONAL, person.name)
		company_doc = frappe.get_doc("Email Account", company)
		for i in range(120):
			raw = mail(f"s{i}@{self.domain}", f"Shared {i} {self.token}", f"<sh{i}-{self.token}@x>")
			receive_raw(raw, company_doc)  # the company mailbox stored it already
			self.imap.deliver(PERSONAL, raw)
		frappe.db.commit()  # nosemgrep: as the company mailbox's pull did
		for i in range(3):
			self.imap.deliver(
				PERSONAL,
				mail(f"p{i}@{self.domain}", f"Only mine {i} {self.token}", f"<mine{i}-{self.token}@x>"),
			)

		self.pull(personal)
		self.assertEqual(self.subjects(personal), [f"Only mine {i} {self.token}" for i in range(3)])
		self.assertEqual(len(self.subjects(company)), 120)
		self.assertEqual(frappe.db.count("ECRM Mail Copy", {"email_account": personal}), 120)


class TestSharedMail(MailboxCase):
	def test_same_mail_in_company_and_personal_mailbox(self):
		person = self.salesperson()
		admin = make_user(roles=[MAIL_ADMIN])
		company = self.mailbox()
		personal = self.mailbox("Personal Mailbox", PERSONAL, person.name)
		stranger = f"buyer@{self.domain}"
		first = mail(stranger, f"Company first {self.token}", f"<cf-{self.token}@x>")
		second = mail(stranger, f"Personal first {self.token}", f"<pf-{self.token}@x>")
		self.imap.deliver(COMPANY, first)
		self.imap.deliver(PERSONAL, first)
		self.pull(company)  # the company mailbox reads the first one first
		self.imap.deliver(PERSONAL, second)
		self.pull(personal)  # the personal mailbox: the first again, and the second one before the company
		self.imap.deliver(COMPANY, second)
		self.pull(company)

		for subject in (f"Company first {self.token}", f"Personal first {self.token}"):
			rows = frappe.get_all(
				"ECRM Mail",
				filters={"subject": subject},
				fields=["name", "queue", "assigned_user", "is_personal"],
			)
			self.assertEqual(len(rows), 1, subject)  # stored once
			self.assertEqual(frappe.db.count("Communication", {"subject": subject}), 1, subject)
			name = rows[0].name
			for user in (person.user, admin):  # the salesperson's own mail, and the company's
				self.assertIn(
					name,
					frappe.get_list("ECRM Mail", filters={"subject": subject}, pluck="name", user=user),
					(subject, user),
				)
			frappe.set_user(person.user)
			try:
				from ent_crm.workbench.lists import mail_page
				from ent_crm.workbench.target import resolve_target

				self.assertIn(
					name,
					[r.name for r in mail_page(resolve_target(), "all", page_length=100)["rows"]],
					subject,
				)
			finally:
				frappe.set_user("Administrator")
		company_first = frappe.get_value(
			"ECRM Mail", {"subject": f"Company first {self.token}"}, ["queue", "assigned_user"], as_dict=True
		)
		self.assertEqual(
			(company_first.queue, company_first.assigned_user), ("Unassigned", None)
		)  # routed once, as it came first
		personal_first = frappe.get_value(
			"ECRM Mail", {"subject": f"Personal first {self.token}"}, ["queue", "assigned_user"], as_dict=True
		)
		self.assertEqual(
			(personal_first.queue, personal_first.assigned_user), ("Stranger Pending", person.user)
		)

		from ent_crm.mail.api import delete_forever

		for subject in (f"Company first {self.token}", f"Personal first {self.token}"):
			delete_forever(frappe.db.get_value("ECRM Mail", {"subject": subject}))  # deleted for good ...
		frappe.db.commit()  # nosemgrep: as the request does
		self.pull(company)
		self.pull(personal)
		self.assertFalse(self.subjects(company) + self.subjects(personal))  # ... and not read again


class TestFailureCannotBeRecorded(MailboxCase):
	def test_pull_stops_before_it_says_so_and_retries(self):
		account = self.mailbox()
		for subject in ("First", "Poison", "Third"):
			self.imap.deliver(
				COMPANY, mail(f"x@{self.domain}", f"{subject} {self.token}", f"<{subject}-{self.token}@x>")
			)
		# a real database error both while storing the mail and while keeping it in the failure queue
		# (a full disk, say): triggers that refuse the rows
		self.addCleanup(drop_triggers)
		frappe.db.sql(
			f"""create trigger ecrm_test_refuse_mail before insert on `tabECRM Mail` for each row
			begin if new.subject like '%%Poison {self.token}%%' then
			signal sqlstate '45000' set message_text = 'test: the disk is full'; end if; end"""
		)
		frappe.db.sql(
			"""create trigger ecrm_test_refuse_failure before insert on `tabECRM Mail Failure` for each row
			signal sqlstate '45000' set message_text = 'test: the disk is full'"""
		)
		self.pull(account)
		self.assertEqual(self.subjects(account), [f"First {self.token}"])  # stopped before the poison
		error = frappe.db.get_value("Email Account", account, "last_pull_error")
		self.assertIn("will be read again", error or "")
		self.assertTrue(
			frappe.db.exists("Error Log", {"reference_doctype": "Email Account", "reference_name": account})
		)
		# the mailbox health panel shows it as an error, not as a good pull
		health = frappe.db.get_value(
			"ECRM Mailbox Health", account, ["last_error", "last_success_at"], as_dict=True
		)
		self.assertEqual((health.last_error, health.last_success_at), (PULL_STOPPED, None))

		drop_triggers()
		self.pull(account)
		self.assertEqual(
			self.subjects(account), sorted(f"{s} {self.token}" for s in ("First", "Poison", "Third"))
		)
		self.assertFalse(frappe.db.get_value("Email Account", account, "last_pull_error"))
		self.assertFalse(frappe.db.get_value("ECRM Mailbox Health", account, "last_error"))


def drop_triggers():
	frappe.db.sql("drop trigger if exists ecrm_test_refuse_mail")
	frappe.db.sql("drop trigger if exists ecrm_test_refuse_failure")


class TestIdentity(MailboxCase):
	def test_different_mail_reusing_a_message_id_is_kept(self):
		account = self.mailbox()
		reused = f"<same-{self.token}@broken-mailer.example>"
		sender = f"Buyer <buyer@{self.domain}>"
		order = mail(
			sender,
			f"Order {self.token}",
			reused,
			body="Order: 20 tons.",
			date=formatdate(time.time() - 3600, localtime=True),
		)
		prices = mail(sender, f"Price list {self.token}", reused, body="New prices attached.")
		again = (
			b"Received: from relay.example by mx.company.example; " + formatdate().encode() + b"\r\n" + order
		)
		for raw in (order, prices, again):
			self.imap.deliver(COMPANY, raw)
		self.pull(account)
		self.assertEqual(self.subjects(account), [f"Order {self.token}", f"Price list {self.token}"])
		contents = frappe.get_all("Communication", filters={"email_account": account}, pluck="content")
		self.assertTrue(
			any("20 tons" in (c or "") for c in contents)
			and any("New prices" in (c or "") for c in contents),
			contents,
		)

	def test_mail_stored_with_an_old_key_is_still_recognised(self):
		account = self.mailbox()
		raw = mail(f"buyer@{self.domain}", f"Stored long ago {self.token}", f"<old-key-{self.token}@x>")
		name = receive_raw(raw, frappe.get_doc("Email Account", account))
		# keys were the bare Message-ID until now
		frappe.db.set_value("ECRM Mail", name, "dedup_key", f"old-key-{self.token}@x", update_modified=False)
		frappe.db.commit()  # nosemgrep: as stored before
		self.imap.deliver(COMPANY, raw)
		self.pull(account)
		self.assertEqual(self.subjects(account), [f"Stored long ago {self.token}"])

	def test_mail_without_message_id_same_key_over_imap_and_from_a_file(self):
		account = self.mailbox()
		raw = mail(
			f"buyer@{self.domain}", f"No id {self.token}", None, body="Line one.\r\nLine two.\r\n\r\nRegards"
		)
		self.imap.deliver(COMPANY, raw)
		self.pull(account)
		self.assertEqual(self.subjects(account), [f"No id {self.token}"])
		exported = raw.replace(b"\r\n", b"\n")  # an .eml file saved by a mail program on the disk
		counts = import_messages([("exported.eml", exported)], frappe.get_doc("Email Account", account))
		self.assertEqual((counts["imported"], counts["duplicates"]), (0, 1))
		self.assertEqual(self.subjects(account), [f"No id {self.token}"])


class TestTwoPullsAtOnce(MailboxCase):
	def test_a_mail_stored_by_another_pull_meanwhile_is_not_a_failure(self):
		# the same mail pulled by the company mailbox and a personal mailbox at the same moment
		person = self.salesperson()
		company = self.mailbox()
		personal = self.mailbox("Personal Mailbox", PERSONAL, person.name)
		raw = mail(f"buyer@{self.domain}", f"Race {self.token}", f"<race-{self.token}@x>")
		self.imap.deliver(PERSONAL, raw)
		# the company mailbox's pull is storing this mail right now (not committed yet) ...
		receive_raw(raw, frappe.get_doc("Email Account", company), uid="1", folder="INBOX")
		errors = []
		# ... when the personal mailbox's pull reads it
		other = threading.Thread(
			target=pull_in_own_connection, args=(frappe.local.site, frappe.local.sites_path, personal, errors)
		)
		other.start()
		time.sleep(3)  # the personal pull waits on the company pull's row
		frappe.db.commit()  # nosemgrep: the company pull finishes
		other.join(120)
		self.assertFalse(other.is_alive())
		self.assertFalse(errors, errors)
		frappe.db.rollback()
		self.assertEqual(
			frappe.get_all("ECRM Mail", filters={"subject": f"Race {self.token}"}, pluck="email_account"),
			[company],
		)
		self.assertFalse(self.failures(company) + self.failures(personal))
		self.assertTrue(
			frappe.db.exists("ECRM Mail Copy", {"email_account": personal, "user": person.user}),
			(
				frappe.get_all(
					"ECRM Mail Copy",
					fields=["email_account", "user", "mail"],
					limit=5,
					order_by="creation desc",
				),
				person.user,
				personal,
			),
		)

	def test_two_pulls_of_one_mailbox_at_once(self):
		account = self.mailbox()
		for i in range(30):
			self.imap.deliver(
				COMPANY, mail(f"b{i}@{self.domain}", f"Busy {i} {self.token}", f"<busy{i}-{self.token}@x>")
			)
		errors = []
		pulls = [
			threading.Thread(
				target=pull_in_own_connection,
				args=(frappe.local.site, frappe.local.sites_path, account, errors),
			)
			for _ in range(2)
		]
		for pull in pulls:
			pull.start()
		for pull in pulls:
			pull.join(300)
		self.assertFalse(errors, errors)
		frappe.db.rollback()
		self.pull(account)  # whatever a skipped pull left is read now
		self.assertEqual(len(self.subjects(account)), 30)
		self.assertFalse(self.failures(account))


def pull_in_own_connection(site: str, sites_path: str, account: str, errors: list) -> None:
	"""A second worker: its own Frappe context and database connection."""
	try:
		frappe.init(site=site, sites_path=sites_path)
		frappe.connect()
		frappe.flags.in_test = True
		frappe.set_user("Administrator")
		frappe.get_doc("Email Account", account).receive()
		frappe.db.commit()  # nosemgrep: as the pull job does
	except Exception:
		errors.append(frappe.get_traceback())
	finally:
		frappe.destroy()


class TestContent(MailboxCase):
	def test_long_folded_subject_stored_unfolded_and_forwarded_as_attachment(self):

		account = self.mailbox()
		folded = f"Inquiry about stainless steel pipes 304 and 316L for the new\r\n plant, 20 tons, delivery to Hamburg {self.token}"
		self.imap.deliver(COMPANY, mail(f"buyer@{self.domain}", folded, f"<long-{self.token}@x>"))
		self.pull(account)
		unfolded = folded.replace("\r\n", "")
		self.assertEqual(self.subjects(account), [unfolded])
		name, communication = frappe.db.get_value(
			"ECRM Mail", {"email_account": account}, ["name", "communication"]
		)
		self.assertNotIn("\n", frappe.db.get_value("Communication", communication, "subject"))

		draft = api.save_draft(
			mode="forward_attachment",
			reply_to_mail=name,
			recipients=f"factory@{self.domain}",
			subject=f"Fwd: {unfolded}",
			content="<p>FYI</p>",
		)
		files = frappe.get_all(
			"File", filters={"attached_to_doctype": "ECRM Mail", "attached_to_name": draft}, pluck="file_name"
		)
		self.assertTrue(any(f.endswith(".eml") for f in files), files)

	def test_wrongly_declared_charset_keeps_chinese_text(self):
		account = self.mailbox()
		gbk = CHINESE.encode("gbk")
		for declared in ("utf-8", "iso-8859-1"):
			self.imap.deliver(
				COMPANY,
				mail(
					f"buyer@{self.domain}",
					f"Charset {declared} {self.token}",
					f"<cs-{declared}-{self.token}@x>",
					charset=declared,
					body_bytes=gbk,
				),
			)
		self.pull(account)
		contents = frappe.get_all(
			"Communication", filters={"email_account": account}, fields=["subject", "content"]
		)
		self.assertEqual(len(contents), 2)
		for row in contents:
			self.assertIn(CHINESE, row.content or "", row.subject)

	def test_a_thousand_recipients_cost_a_bounded_number_of_queries(self):
		account = self.mailbox()
		to = ", ".join(f"r{i}@{self.domain}" for i in range(500))
		cc = ", ".join(f"c{i}@{self.domain}" for i in range(500))
		self.imap.deliver(
			COMPANY,
			mail(f"buyer@{self.domain}", f"Newsletter {self.token}", f"<many-{self.token}@x>", to=to, cc=cc),
		)
		before = questions()
		self.pull(account)
		spent = questions() - before
		self.assertEqual(self.subjects(account), [f"Newsletter {self.token}"])
		self.assertLess(spent, 200, f"{spent} queries for one mail to 1,000 recipients")


class TestReadReceipts(MailboxCase):
	def test_read_receipt_is_shown_on_the_sent_mail_not_filed_as_bounce(self):
		account = self.mailbox()
		sent_id = f"sent-{self.token}@company.example"
		sent = frappe.generate_hash(length=10)
		bulk_insert(
			"ECRM Mail",
			[
				{
					"name": sent,
					"subject": f"Quotation {self.token}",
					"direction": "Outbound",
					"queue": "Handled",
					"outbound_status": "Sent",
					"email_account": account,
					"dedup_key": sent_id,
					"recipients": f"buyer@{self.domain}",
					"received_at": frappe.utils.now_datetime(),
					"docstatus": 0,
				}
			],
		)
		frappe.db.commit()  # nosemgrep: the mail was sent earlier
		receipt = (
			f"From: Buyer <buyer@{self.domain}>\r\nTo: {COMPANY}\r\nSubject: Read: Quotation {self.token}\r\n"
			f"Date: {formatdate(localtime=True)}\r\nMessage-ID: <mdn-{self.token}@{self.domain}>\r\nMIME-Version: 1.0\r\n"
			'Content-Type: multipart/report; report-type=disposition-notification; boundary="b1"\r\n\r\n'
			"--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nYour message was read.\r\n"
			"--b1\r\nContent-Type: message/disposition-notification\r\n\r\nReporting-UA: Foxmail\r\n"
			f"Final-Recipient: rfc822;buyer@{self.domain}\r\nOriginal-Message-ID: <{sent_id}>\r\n"
			"Disposition: manual-action/MDN-sent-manually; displayed\r\n\r\n--b1--\r\n"
		).encode()
		self.imap.deliver(COMPANY, receipt)
		self.pull(account)
		self.assertTrue(frappe.db.get_value("ECRM Mail", sent, "read_receipt_at"))
		row = frappe.db.get_value(
			"ECRM Mail",
			{"email_account": account, "direction": "Inbound"},
			["is_bounce", "queue"],
			as_dict=True,
		)
		self.assertEqual(row.is_bounce, 0)
		self.assertNotIn(row.queue, ("Unassigned", "Known Pending", "Stranger Pending"))


def remove_leftovers() -> None:
	"""An interrupted earlier run may have left its mailboxes, whose addresses are unique."""
	for name in frappe.get_all(
		"Email Account",
		filters={"email_id": ("in", [COMPANY, PERSONAL]), "name": ("like", "_Test %")},
		pluck="name",
	):
		for mail_name in frappe.get_all("ECRM Mail", filters={"email_account": name}, pluck="name"):
			frappe.db.delete("ECRM Mail Copy", {"mail": mail_name})
			frappe.delete_doc(
				"ECRM Mail", mail_name, force=True, ignore_permissions=True, delete_permanently=True
			)
		delete_account(name)
	drop_triggers()
	frappe.db.commit()
