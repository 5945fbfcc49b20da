"""Personal functions (J3, C2, E7): options, default sending mailbox, reminder digest choice, own rows only,
personal address book, personal mailbox parameters checked against a real IMAP server on save."""

import unittest

import frappe
from frappe.utils import random_string

from ent_crm.devmail.imap import ImapServer
from ent_crm.mail.receiving import create_mailbox
from ent_crm.personal import api as personal_api
from ent_crm.personal import settings as personal
from tests.support import EntCRMTestCase
from tests.support.factories import make_salesperson, make_user


def mailbox(kind: str, employee: str | None = None, outgoing: int = 1) -> str:
	name = create_mailbox(f"box-{random_string(6).lower()}@company.example", kind, employee)
	frappe.db.set_value("Email Account", name, {"enable_outgoing": outgoing, "smtp_server": "127.0.0.1"})
	return name


class TestPersonalSettings(EntCRMTestCase):
	def setUp(self):
		super().setUp()
		self.a = make_salesperson(employee_name="张伟")
		self.b = make_salesperson(employee_name="李娜")

	def test_defaults_for_someone_who_never_saved(self):
		self.assertTrue(personal.wants_reminder_email(self.a.user))
		self.assertIsNone(frappe.db.exists("ECRM Personal Settings", self.a.user))
		self.assertNotIn(self.a.user, personal.personal_mailboxes(self.a.user))

	def test_own_personal_mailbox_is_the_default_sender(self):
		own = mailbox("Personal Mailbox", self.a.name)
		mailbox("Personal Mailbox", self.b.name)
		self.assertEqual(personal.default_sending_mailbox(self.a.user), own)
		frappe.db.set_value("Email Account", own, "enable_outgoing", 0)
		self.assertIsNone(personal.default_sending_mailbox(self.a.user))

	def test_chosen_mailbox_and_its_checks(self):
		company = mailbox("System Mailbox")
		own = mailbox("Personal Mailbox", self.a.name)
		others = mailbox("Personal Mailbox", self.b.name)
		with self.set_user(self.a.user):
			personal_api.save_my_settings(default_sending_mailbox=company, reminder_email=0)
			with self.assertRaises(frappe.ValidationError) as caught:
				personal_api.save_my_settings(default_sending_mailbox=others)
			self.assertIn(others, str(caught.exception))
		self.assertEqual(personal.default_sending_mailbox(self.a.user), company)
		self.assertFalse(personal.wants_reminder_email(self.a.user))
		self.assertTrue(personal.wants_reminder_email(self.b.user))
		# the chosen mailbox stops sending: the user's own personal mailbox takes over
		frappe.db.set_value("Email Account", company, "enable_outgoing", 0)
		self.assertEqual(personal.default_sending_mailbox(self.a.user), own)

	def test_language_and_signature_live_on_the_user(self):
		with self.set_user(self.a.user):
			data = personal_api.save_my_settings(
				language="zh", email_signature="张伟\n外贸一部", reminder_email=1
			)
			self.assertEqual(data["language"], "zh")
			with self.assertRaises(frappe.ValidationError):
				personal_api.save_my_settings(language="xx-nowhere")
		self.assertEqual(
			frappe.db.get_value("User", self.a.user, ["language", "email_signature"]),
			("zh", "张伟\n外贸一部"),
		)
		self.assertTrue(personal.wants_reminder_email(self.a.user))

	def test_settings_are_the_users_own(self):
		with self.set_user(self.a.user):
			personal_api.save_my_settings(reminder_email=0)
		with self.set_user(self.b.user):
			self.assertNotIn(self.a.user, frappe.get_list("ECRM Personal Settings", pluck="name"))
			self.assertFalse(frappe.has_permission("ECRM Personal Settings", "read", doc=self.a.user))
			personal_api.save_my_settings(reminder_email=1)  # only b's own row
			self.assertEqual(frappe.get_list("ECRM Personal Settings", pluck="name"), [self.b.user])
			with self.assertRaises(frappe.PermissionError):
				frappe.get_doc({"doctype": "ECRM Personal Settings", "user": make_user()}).insert()
		self.assertFalse(personal.wants_reminder_email(self.a.user))
		with self.set_user(self.a.user):
			self.assertTrue(frappe.has_permission("ECRM Personal Settings", "write", doc=self.a.user))

	def test_address_book_is_owner_only(self):
		with self.set_user(self.a.user):
			entry = frappe.get_doc(
				{
					"doctype": "ECRM Address Book Entry",
					"full_name": "Hans Müller",
					"email": " Hans@Forwarder.example ",
					"company": "Forwarder GmbH",
				}
			).insert()
			self.assertEqual(entry.email, "hans@forwarder.example")
			self.assertIn(entry.name, frappe.get_list("ECRM Address Book Entry", pluck="name"))
			with self.assertRaises(frappe.ValidationError):
				frappe.get_doc(
					{"doctype": "ECRM Address Book Entry", "full_name": "X", "email": "not-an-address"}
				).insert()
		with self.set_user(self.b.user):
			self.assertNotIn(entry.name, frappe.get_list("ECRM Address Book Entry", pluck="name"))
			self.assertFalse(frappe.has_permission("ECRM Address Book Entry", "read", doc=entry.name))

	def test_only_my_own_mailbox_can_be_changed(self):
		others = mailbox("Personal Mailbox", self.b.name)
		with self.set_user(self.a.user), self.assertRaises(frappe.PermissionError):
			personal_api.save_my_mailbox(others, password="x", smtp_server="smtp.example.net")
		self.assertEqual(frappe.db.get_value("Email Account", others, "smtp_server"), "127.0.0.1")

	def test_page_data(self):
		own = mailbox("Personal Mailbox", self.a.name)
		with self.set_user(self.a.user):
			data = personal_api.get_my_settings()
		self.assertEqual([m.name for m in data["personal_mailboxes"]], [own])
		self.assertIn(own, data["sending_mailboxes"])
		self.assertEqual(data["reminder_email"], 1)
		website = make_user(user_type="Website User")
		no_crm_role = make_user()
		for user in (website, no_crm_role):
			with self.set_user(user):
				with self.assertRaises(frappe.PermissionError):
					personal_api.get_my_settings()
				with self.assertRaises(frappe.PermissionError):
					personal_api.save_my_settings(reminder_email=0)
		self.assertFalse(frappe.db.exists("ECRM Personal Settings", no_crm_role))


MAILBOX = "wei.zhang@company.example"
PASSWORD = "Imap-Personal-2026"


@unittest.skipUnless(ImapServer.available(), "SKIPPED, needs dovecot: /usr/sbin/dovecot is missing")
class TestPersonalMailboxCheckedOnSave(EntCRMTestCase):
	"""C2: a salesperson changing their personal mailbox's parameters logs in to the real server first."""

	def setUp(self):
		super().setUp()
		self.imap = ImapServer()
		self.imap.add_user(MAILBOX, PASSWORD)
		self.imap.start()
		self.addCleanup(self.imap.stop)
		self.person = make_salesperson(employee_name="张伟")
		self.account = frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": f"_Test Personal {random_string(6)}",
				"email_id": MAILBOX,
				"enable_incoming": 1,
				"use_imap": 1,
				"email_server": self.imap.host,
				"incoming_port": "1",
				"use_ssl": 0,
				"use_starttls": 0,
				"imap_folder": [{"folder_name": "INBOX"}],
				"password": "old-password",
				"awaiting_password": 0,
				"enable_outgoing": 0,
				"ecrm_mailbox_kind": "Personal Mailbox",
				"ecrm_employee": self.person.name,
			}
		).insert(ignore_permissions=True)  # under tests Frappe does not log in on insert

	def test_wrong_password_is_refused_with_a_clear_message_and_nothing_changes(self):
		with self.set_user(self.person.user), self.assertRaises(frappe.ValidationError) as caught:
			personal_api.save_my_mailbox(
				self.account.name, password="wrong", incoming_port=str(self.imap.port)
			)
		text = str(caught.exception)
		self.assertIn("Could not log in", text)
		self.assertIn(MAILBOX, text)
		self.assertIn(self.imap.host, text)
		self.assertEqual(frappe.db.get_value("Email Account", self.account.name, "incoming_port"), "1")
		self.assertEqual(self.account.get_password(), "old-password")

	def test_right_parameters_are_saved(self):
		with self.set_user(self.person.user):
			personal_api.save_my_mailbox(
				self.account.name, password=PASSWORD, incoming_port=str(self.imap.port)
			)
		self.assertEqual(
			frappe.db.get_value("Email Account", self.account.name, "incoming_port"), str(self.imap.port)
		)
		self.assertEqual(frappe.get_doc("Email Account", self.account.name).get_password(), PASSWORD)

	def test_an_unreachable_server_is_refused(self):
		with self.set_user(self.person.user), self.assertRaises(frappe.ValidationError) as caught:
			personal_api.save_my_mailbox(self.account.name, password=PASSWORD, incoming_port="1")
		self.assertIn("Could not log in", str(caught.exception))

	def test_an_administrator_saving_the_email_account_form_gets_the_same_check(self):
		"""Outside tests Frappe's Email Account.validate runs too; ours comes first with the clearer message."""
		from tests.integration.test_imap_harness import connection_checked

		account = frappe.get_doc("Email Account", self.account.name)
		account.incoming_port = str(self.imap.port)
		account.password = "wrong"
		with connection_checked(), self.assertRaises(frappe.ValidationError) as caught:
			account.save(ignore_permissions=True)
		self.assertIn("Could not log in", str(caught.exception))
		account = frappe.get_doc("Email Account", self.account.name)  # as the form reloads after an error
		account.incoming_port = str(self.imap.port)
		account.password = PASSWORD
		with connection_checked():
			account.save(ignore_permissions=True)  # Frappe's own login check passes as well
		self.assertEqual(
			frappe.db.get_value("Email Account", self.account.name, "incoming_port"), str(self.imap.port)
		)
