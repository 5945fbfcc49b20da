"""A demo you can work a day in (issue 12): the demo's mailboxes send and receive through the demo mail host
(ent_crm.devmail: aiosmtpd in, dovecot out, on loopback), started here on free ports.

A customer writes to the company mailbox; the CRM pulls it into sales1's Known Pending queue; sales1
answers through ent_crm.mail.api.send; the mail is Queued until Frappe's Email Queue hands it to the
mail host, which stores it in the customer's mailbox (then it is Sent, on the customer's timeline); the
customer answers through the mail host, and the next pull routes the answer to sales1's Known Pending queue.

Pulling and sending commit, so tearDown removes what the test made (a demo already on the site stays, its
mailboxes as they were).
"""

import unittest
from email.message import EmailMessage
from email.utils import make_msgid

import frappe
from frappe.email.doctype.email_queue.email_queue import EmailQueue
from frappe.utils import random_string

from ent_crm.devmail.host import MailHost
from ent_crm.devmail.imap import ImapServer
from ent_crm.mail import api
from ent_crm.personal.settings import check_mailbox_connection
from ent_crm.setup.demo import (
	DEMO_PASSWORD,
	DEPARTMENTS,
	DOMAIN,
	PEOPLE,
	ensure_department,
	ensure_employee,
	ensure_user,
	setup_demo_mailboxes,
)
from tests.support import EntCRMTestCase
from tests.support.factories import make_customer

SYSTEM = f"sales@{DOMAIN}"
MAILBOX_FIELDS = (
	"enable_incoming",
	"use_imap",
	"email_server",
	"incoming_port",
	"use_ssl",
	"use_starttls",
	"awaiting_password",
	"email_sync_option",
	"initial_sync_count",
	"enable_outgoing",
	"smtp_server",
	"smtp_port",
	"use_tls",
	"use_ssl_for_outgoing",
	"no_smtp_authentication",
	"always_use_account_email_id_as_sender",
	"default_outgoing",
)


@unittest.skipUnless(ImapServer.available(), "dovecot is not installed (apt-get install dovecot-imapd)")
class TestDemoMailHost(EntCRMTestCase):
	"""The demo's people and mailboxes (made here when the site has no demo, and removed afterwards; a demo
	already on the site is used and its mailboxes are put back as they were) and one customer of sales1."""

	def setUp(self):
		super().setUp()
		self.before = {
			doctype: set(frappe.get_all(doctype, pluck="name"))
			for doctype in ("User", "ECRM Employee", "ECRM Department", "Email Account")
		}
		self.saved = {
			name: frappe.db.get_value("Email Account", name, MAILBOX_FIELDS, as_dict=True)
			for name in frappe.get_all(
				"Email Account", filters={"email_id": ("like", f"%@{DOMAIN}")}, pluck="name"
			)
		}
		for name, zh, parent in DEPARTMENTS:
			ensure_department(name, zh, parent)
		employees = {}
		for username, display, english, profile, department, duties in PEOPLE:
			user = ensure_user(username, display, english, profile, DEMO_PASSWORD)
			employees[username] = ensure_employee(user, display, department, duties)
		self.token = random_string(8).lower()
		self.sales1 = f"sales1@{DOMAIN}"
		self.customer = make_customer([employees["sales1"]], primary_email=f"info@{self.token}.example")
		self.host = MailHost(smtp_port=None, imap_port=None)  # free loopback ports, a temporary store
		self.host.start()
		self.addCleanup(self.host.stop)
		self.boxes = setup_demo_mailboxes(
			employees, smtp_port=self.host.smtp_port, imap_port=self.host.imap_port
		)
		frappe.db.commit()  # nosemgrep: sending and pulling commit; tearDown removes all of it
		frappe.flags.testing_email = True

	def tearDown(self):
		frappe.flags.testing_email = False
		frappe.set_user("Administrator")
		frappe.db.rollback()
		mails = frappe.get_all("ECRM Mail", filters={"subject": ("like", f"%{self.token}%")}, pluck="name")
		comms = frappe.get_all(
			"Communication", filters={"subject": ("like", f"%{self.token}%")}, pluck="name"
		)
		for name in frappe.get_all(
			"Email Queue", filters={"communication": ("in", comms or [""])}, pluck="name"
		):
			frappe.db.delete("Email Queue Recipient", {"parent": name})
			frappe.db.delete("Email Queue", {"name": name})
		if comms:
			frappe.db.delete("Communication Link", {"parent": ("in", comms)})
			frappe.db.delete("Communication", {"name": ("in", comms)})
		for name in mails:
			for doctype, field in (
				("File", "attached_to_name"),
				("ToDo", "reference_name"),
				("Notification Log", "document_name"),
			):
				frappe.db.delete(doctype, {field: name})
			frappe.db.delete("ECRM Mail", {"name": name})
		frappe.db.delete("ToDo", {"reference_type": "ECRM Customer", "reference_name": self.customer.name})
		frappe.delete_doc(
			"ECRM Customer", self.customer.name, force=True, ignore_permissions=True, delete_permanently=True
		)
		for name, values in self.saved.items():  # a demo that was here: its mailboxes as they were
			account = frappe.get_doc("Email Account", name)
			account.update(values)
			account.save(ignore_permissions=True)
		for doctype in ("Email Account", "ECRM Employee", "User", "ECRM Department"):  # what this test made
			for name in sorted(
				set(frappe.get_all(doctype, pluck="name")) - self.before[doctype], reverse=True
			):
				frappe.delete_doc(doctype, name, force=True, ignore_permissions=True, delete_permanently=True)
		frappe.db.commit()  # nosemgrep: remove what sending and pulling committed
		frappe.db.savepoint("ent_crm_test")
		super().tearDown()

	def pull(self, account: str) -> None:
		frappe.get_doc("Email Account", account).receive()

	def known_pending_of_sales1(self) -> list[str]:
		"""The mail in sales1's Known Pending queue, as their workbench lists it."""
		from ent_crm.workbench.lists import mail_page
		from ent_crm.workbench.target import resolve_target

		with self.set_user(self.sales1):
			return [row.name for row in mail_page(resolve_target(), "known", page_length=100)["rows"]]

	def test_every_demo_mailbox_logs_in_to_the_mail_host(self):
		self.assertEqual(
			len(self.boxes), 7
		)  # the system mailbox and six salespeople's (the manager sells too)
		self.assertEqual(
			frappe.db.get_value("Email Account", {"default_outgoing": 1, "enable_outgoing": 1}), SYSTEM
		)
		for name in self.boxes:
			account = frappe.get_doc("Email Account", name)
			self.assertEqual((account.email_server, account.smtp_server), ("127.0.0.1", "127.0.0.1"))
			check_mailbox_connection(account)  # a real IMAP and SMTP login, or it throws

	def test_reply_is_sent_only_once_accepted_and_the_customers_answer_comes_back_known_pending(self):
		# a customer writes; the pull routes it to sales1
		inquiry = EmailMessage()
		inquiry["From"] = f"Buyer <{self.customer.primary_email}>"
		inquiry["To"] = SYSTEM
		inquiry["Subject"] = f"Inquiry {self.token}"
		inquiry["Message-ID"] = make_msgid(domain="buyer.example")
		inquiry.set_content("Please quote 2 containers.")
		import smtplib

		with smtplib.SMTP(self.host.host, self.host.smtp_port) as smtp:
			smtp.send_message(inquiry)
		self.pull(SYSTEM)
		received = frappe.db.get_value(
			"ECRM Mail",
			{"subject": f"Inquiry {self.token}"},
			["name", "queue", "reference_name"],
			as_dict=True,
		)
		self.assertEqual((received.queue, received.reference_name), ("Known Pending", self.customer.name))
		self.assertIn(received.name, self.known_pending_of_sales1())

		# sales1 replies: Queued until the mail host accepted it
		frappe.set_user(self.sales1)
		defaults = api.compose_defaults("reply", mail=received.name)
		self.assertIn(SYSTEM, defaults["mailboxes"])
		result = api.send(
			mode="reply",
			reply_to_mail=received.name,
			recipients=defaults["recipients"],
			subject=defaults["subject"],
			content="<p>5 USD per piece, FOB Ningbo.</p>" + defaults["content"],
			email_account=defaults["email_account"],
		)
		frappe.set_user("Administrator")
		self.assertEqual(result["status"], "Queued")
		self.assertEqual(frappe.db.get_value("ECRM Mail", result["name"], "outbound_status"), "Queued")
		self.assertEqual(self.host.mailbox(self.customer.primary_email), [])

		comm = frappe.db.get_value("ECRM Mail", result["name"], "communication")
		for name in frappe.get_all(
			"Email Queue", filters={"communication": comm, "status": "Not Sent"}, pluck="name"
		):
			EmailQueue.find(name).send()  # what the scheduler's flush does

		stored = self.host.mailbox(self.customer.primary_email)
		self.assertEqual([m["Subject"] for m in stored], [f"Re: Inquiry {self.token}"])
		self.assertIn("5 USD per piece", stored[0].get_body(("html", "plain")).get_content())
		self.assertEqual(frappe.db.get_value("ECRM Mail", result["name"], "outbound_status"), "Sent")
		self.assertTrue(
			frappe.db.exists(
				"Communication Link",
				{"parent": comm, "link_doctype": "ECRM Customer", "link_name": self.customer.name},
			)
		)

		# the customer's answer, handed back by the mail host, comes with the next pull to sales1's Known Pending
		# (into the mailbox sales1 wrote from: by default their personal one)
		sender = frappe.get_doc("Email Account", defaults["email_account"])
		self.assertEqual(stored[0]["From"].addresses[0].addr_spec, sender.email_id)
		self.assertEqual(stored[0]["From"].addresses[0].display_name, frappe.utils.get_fullname(self.sales1))
		answers = [
			m
			for m in self.host.mailbox(sender.email_id)
			if self.token in str(m["Subject"]) and m["In-Reply-To"]
		]
		self.assertEqual(len(answers), 1)
		self.assertEqual(answers[0]["In-Reply-To"], stored[0]["Message-ID"])
		self.pull(sender.name)
		answer = frappe.db.get_value(
			"ECRM Mail",
			{"subject": f"Re: Inquiry {self.token}", "direction": "Inbound"},
			["name", "queue", "reference_name", "communication"],
			as_dict=True,
		)
		self.assertEqual((answer.queue, answer.reference_name), ("Known Pending", self.customer.name))
		self.assertIn(answer.name, self.known_pending_of_sales1())
		self.assertEqual(frappe.db.get_value("Communication", answer.communication, "in_reply_to"), comm)
