"""Realtime on a production-like stack (issue 12, part 3), in headless chromium.

The test starts, on loopback ports, and stops at the end (tests/browser/stack.py): Frappe's web server,
the socket.io server, a background worker, a one-site scheduler loop and a private Redis for their queue;
and a dovecot IMAP server (ent_crm.devmail.imap) that the CRM mailbox pulls from. Nothing calls the pull:
Frappe's scheduled job email_account.pull enqueues it, the worker runs it. That job is a cron job every
10 minutes in Frappe 15; so that the test need not wait for it, after delivering a mail it sets the job's
last run 11 minutes back — the job is then due, and the scheduler loop (a tick every 5 s) enqueues it.

(a) a mail delivered to the IMAP server appears in the salesperson's workbench without a reload;
(b) an internal message sent by a colleague (over HTTP, on the same web server) pops up without a reload;
(c) a new mail while the salesperson works on the follow-up page raises a notice there (toast, and the
    count in the tab title).
"No reload": a marker set on `window` before the event is still there after it. The salesperson moves
between desk pages with frappe.set_route, and the test first makes sure the page's socket.io connection
hears its user's room (stack.wait_socket: a probe, and a reconnect should socket.io have dropped the namespace).
Screenshots go to $ENT_CRM_ARTIFACTS/browser/realtime-*.png, the processes' logs to stack-*.log there.
"""

import base64
import email.utils
import imaplib
import re
import time
import unittest

import frappe
import requests
from frappe.utils import add_to_date, get_datetime, now_datetime, random_string
from frappe.utils.password import update_password

from ent_crm.devmail.imap import ImapServer
from tests.browser.harness import Browser, complete_frappe_setup
from tests.browser.stack import RealtimeStack, missing_stack_tools, wait_socket
from tests.conftest import BENCH, SITE
from tests.support.factories import make_customer, make_salesperson

PASSWORD = "Stack!" + random_string(8)
IMAP_PASSWORD = "Imap-Stack-2026"
PULL_WAIT = 120  # seconds: the first tick runs every never-run job of the site (about 25 s), then the pull
PULL_JOB = "frappe.email.doctype.email_account.email_account.pull"


def mail(sender: str, to: str, subject: str, body: str) -> bytes:
	return (
		f"From: {sender}\r\nTo: {to}\r\nSubject: {subject}\r\nDate: {email.utils.formatdate(localtime=True)}\r\n"
		f"Message-ID: <{random_string(16)}@example.net>\r\nMIME-Version: 1.0\r\n"
		"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
	).encode() + base64.encodebytes(body.encode())


@unittest.skipUnless(ImapServer.available(), "SKIPPED, needs dovecot: /usr/sbin/dovecot is missing")
@unittest.skipIf(missing_stack_tools(BENCH), f"SKIPPED, the stack needs: {missing_stack_tools(BENCH)}")
class TestRealtimeOnTheStack(unittest.TestCase):
	@classmethod
	def setUpClass(cls):
		frappe.set_user("Administrator")
		cls.tag = random_string(5).lower()
		cls.made = []  # (doctype, name), removed in reverse order
		cls.mailbox_address = f"stack-{cls.tag}@company.example"
		cls.imap = ImapServer()
		cls.imap.add_user(cls.mailbox_address, IMAP_PASSWORD)
		try:
			cls.imap.start()
			cls.make_data()
		except BaseException:
			cls.remove_data()
			cls.imap.stop()
			raise

	@classmethod
	def make_data(cls):
		tag = cls.tag
		complete_frappe_setup()
		cls.s1 = make_salesperson(f"stacksales1{tag}", employee_name="张伟")
		cls.s2 = make_salesperson(f"stacksales2{tag}", employee_name="李娜")
		for user in (cls.s1.user, cls.s2.user):
			cls.made.append(("User", user))
			frappe.db.set_value("User", user, "language", "zh")
			update_password(user, PASSWORD)
		cls.made += [("ECRM Employee", cls.s1.name), ("ECRM Employee", cls.s2.name)]
		cls.domain = f"harbor-{tag}.example.com"
		customer = make_customer(
			[cls.s1.name], customer_name=f"Harbor Textiles {tag}", primary_email=f"anna@{cls.domain}"
		)
		cls.made.append(("ECRM Customer", customer.name))
		cls.customer = customer.name
		account = frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": f"_Test Stack {tag}",
				"email_id": cls.mailbox_address,
				"password": IMAP_PASSWORD,
				"awaiting_password": 0,
				"enable_incoming": 1,
				"use_imap": 1,
				"email_server": cls.imap.host,
				"incoming_port": str(cls.imap.port),
				"use_ssl": 0,
				"use_starttls": 0,
				"email_sync_option": "UNSEEN",
				"imap_folder": [{"folder_name": "INBOX"}],
				"enable_outgoing": 0,
				"no_smtp_authentication": 1,
				"create_contact": 0,
				"ecrm_mailbox_kind": "System Mailbox",
			}
		).insert(ignore_permissions=True)
		cls.account = account.name
		cls.made.insert(0, ("Email Account", account.name))  # removed last, after its mail
		frappe.db.commit()  # nosemgrep: the stack's processes see committed rows only
		for user in (cls.s1.user, cls.s2.user):
			frappe.clear_cache(user=user)

	@classmethod
	def tearDownClass(cls):
		cls.remove_data()
		cls.imap.stop()

	@classmethod
	def remove_data(cls):
		from tests.integration.test_imap_harness import delete_account

		frappe.db.rollback()
		users = [name for doctype, name in cls.made if doctype == "User"]
		if users:
			for name in frappe.get_all(
				"ECRM Message Recipient", filters={"user": ("in", users)}, pluck="parent"
			):
				frappe.delete_doc("ECRM Message", name, force=True, ignore_permissions=True)
		for doctype, name in reversed(cls.made):
			if doctype == "Email Account":
				for row in frappe.get_all("ECRM Mail", filters={"email_account": name}, pluck="name"):
					frappe.delete_doc(
						"ECRM Mail", row, force=True, ignore_permissions=True, delete_permanently=True
					)
				if frappe.db.exists(doctype, name):
					delete_account(name)
				continue
			if frappe.db.exists(doctype, name):
				if doctype == "User":
					frappe.db.delete("ToDo", {"allocated_to": name})
					frappe.db.delete("Notification Log", {"for_user": name})
					frappe.db.delete("ECRM Routing Rule", {"user": name})
				frappe.delete_doc(doctype, name, force=True, ignore_permissions=True)
		frappe.db.commit()  # nosemgrep: the rows were committed for the stack

	# --- helpers ---

	def deliver(self, subject: str, body: str) -> None:
		self.imap.deliver(
			self.mailbox_address,
			mail(f"Anna Schmidt <anna@{self.domain}>", self.mailbox_address, subject, body),
		)

	def make_pull_due(self):
		"""Frappe's mailbox pull (every 10 minutes) becomes due: its last run 11 minutes ago. Returns that time."""
		frappe.db.rollback()
		when = add_to_date(now_datetime(), minutes=-11)
		name = frappe.db.get_value("Scheduled Job Type", {"method": PULL_JOB})
		frappe.db.set_value("Scheduled Job Type", name, "last_execution", when, update_modified=False)
		frappe.db.commit()  # nosemgrep: the scheduler loop is another process
		return when

	def mark_page(self, browser) -> None:
		"""A marker a reload would lose; and a record of the realtime events this page received."""
		browser.js(
			"window.ecrm_no_reload = 1; window.ecrm_events = window.ecrm_events || [];"
			"frappe.realtime.on('ecrm_new_mail', (d) => window.ecrm_events.push(d));"
		)

	def diagnose(self, browser) -> None:
		from selenium.common.exceptions import WebDriverException

		frappe.db.rollback()
		print(
			"\nmails pulled:",
			frappe.get_all(
				"ECRM Mail",
				filters={"email_account": self.account},
				fields=["name", "subject", "queue", "creation"],
			),
		)
		print(
			"account:",
			frappe.db.get_value(
				"Email Account", self.account, ["uidvalidity", "uidnext", "enable_incoming"], as_dict=True
			),
		)
		try:
			print("IMAP:", [(uid, flags) for uid, flags, raw in self.imap.messages(self.mailbox_address)])
		except (OSError, RuntimeError, imaplib.IMAP4.error) as error:
			print("IMAP:", error)
		try:
			print("events in the page:", browser.js("return JSON.stringify(window.ecrm_events || null)"))
			print(
				"socket connected:",
				browser.js("return !!(frappe.realtime.socket && frappe.realtime.socket.connected)"),
			)
		except WebDriverException as error:
			print("browser:", error)

	def assert_no_reload(self, browser) -> None:
		self.assertEqual(browser.js("return window.ecrm_no_reload || 0"), 1, "the page was reloaded")

	def wait_socket(self, stack, browser, user: str) -> None:
		if not wait_socket(stack, browser, user):
			self.fail("the page's socket.io connection receives nothing")

	def colleague_session(self, stack) -> requests.Session:
		"""The second salesperson, logged in on the stack's web server like a browser (with its CSRF token)."""
		session = requests.Session()
		session.post(
			f"{stack.url}/api/method/login", data={"usr": self.s2.user, "pwd": PASSWORD}, timeout=30
		).raise_for_status()
		page = session.get(f"{stack.url}/app", timeout=60).text
		token = re.search(r'frappe.csrf_token = "([^"]+)"', page)
		session.headers["X-Frappe-CSRF-Token"] = token.group(1) if token else ""
		return session

	# --- the test ---

	def test_mail_and_messages_arrive_live(self):
		started = time.monotonic()
		with RealtimeStack(SITE) as stack, Browser(stack.url) as browser:
			try:
				self.scenario(stack, browser)
			except BaseException:
				browser.screenshot("realtime-FAILED-last-screen")
				self.diagnose(browser)
				raise
		print(f"\nrealtime stack test: {time.monotonic() - started:.0f}s")

	def scenario(self, stack, browser):
		tag = self.tag
		browser.login(self.s1.user, PASSWORD)
		browser.js("frappe.set_route('ecrm-workbench')")  # no reload: see wait_socket
		browser.wait_css(".ecrm-wb-whose b, .ecrm-wb-empty")
		browser.wait_idle()
		self.wait_socket(stack, browser, self.s1.user)
		self.assertEqual(browser.js("return String(frappe.boot.socketio_port)"), str(stack.socketio_port))
		browser.screenshot("realtime-01-workbench-connected")

		# (a) a customer's mail reaches the IMAP server; the scheduler's pull brings it into the open workbench
		self.mark_page(browser)
		subject_a = f"Price list {tag}"
		self.deliver(subject_a, "Please send your price list for 2027.")
		due_since = self.make_pull_due()
		try:
			browser.wait_text(".ecrm-wb-row", subject_a, timeout=PULL_WAIT)
		finally:
			stack.check_alive()
		self.assert_no_reload(browser)
		browser.wait_idle()
		browser.screenshot("realtime-02-mail-pulled-into-workbench")
		frappe.db.rollback()
		row = frappe.db.get_value(
			"ECRM Mail",
			{"email_account": self.account, "subject": subject_a},
			["queue", "reference_name"],
			as_dict=True,
		)
		self.assertEqual((row.queue, row.reference_name), ("Known Pending", self.customer))
		# pulled by Frappe's scheduled job, run by the stack's worker
		last_run = frappe.db.get_value("Scheduled Job Type", {"method": PULL_JOB}, "last_execution")
		self.assertGreater(get_datetime(last_run), get_datetime(due_since))
		self.assertIn("pull_from_email_account", stack.log("worker"))

		# (b) a colleague sends an internal message: it pops up for the salesperson without a reload
		subject_b = f"Samples for {tag}"
		session = self.colleague_session(stack)
		answer = session.post(
			f"{stack.url}/api/method/ent_crm.messages.api.send_message",
			data={
				"subject": subject_b,
				"body": "The samples are at the front desk.",
				"audience": "Chosen People",
				"recipients": frappe.as_json([self.s1.user]),
			},
			timeout=60,
		)
		self.assertEqual(answer.status_code, 200, answer.text[:2000])
		browser.wait_text(".modal.show .modal-title", subject_b)
		browser.wait_text(".modal.show .ecrm-message-body", "The samples are at the front desk.")
		self.assert_no_reload(browser)
		browser.screenshot("realtime-03-message-popped-up")
		self.assertEqual(len([m for m in browser.css(".modal.show .modal-title") if subject_b in m.text]), 1)

		from selenium.common.exceptions import WebDriverException

		def closed(driver):  # a click during the dialog's fade-in can be lost: click Close until it is gone
			buttons = browser.css(".modal.show .modal-footer .btn-primary")
			if not buttons:
				return True
			try:
				buttons[-1].click()
			except WebDriverException:
				pass  # covered or gone meanwhile: look again
			return False

		browser.wait_until(closed, "the message to close")

		# (c) on the follow-up page, a new mail raises a notice: a toast and the count in the tab title
		browser.js("frappe.set_route('ecrm-follow-up')")
		browser.wait_until(lambda d: "ecrm-follow-up" in d.current_url, "the follow-up page")
		browser.wait_idle()
		self.assert_no_reload(browser)
		subject_c = f"Order confirmation {tag}"
		self.deliver(subject_c, "We confirm the order of 20 tons.")
		self.make_pull_due()
		try:
			browser.wait_text(".ecrm-new-mail-notice", subject_c, timeout=PULL_WAIT)
		finally:
			stack.check_alive()
		browser.wait_until(lambda d: d.title.startswith("(1) "), "the new-mail count in the title")
		self.assertIn("ecrm-follow-up", browser.driver.current_url)
		self.assert_no_reload(browser)
		notice = browser.css(".ecrm-new-mail-notice")[0]
		self.assertIn("新邮件", notice.text)
		browser.screenshot("realtime-04-notice-on-follow-up-page")

		# opening the workbench from the notice clears the count and shows the mail
		notice.click()
		browser.wait_until(lambda d: "ecrm-workbench" in d.current_url, "the workbench")
		browser.wait_text(".ecrm-wb-row", subject_c)
		browser.wait_until(lambda d: not d.title.startswith("("), "the title without the count")
		self.assert_no_reload(browser)
		browser.screenshot("realtime-05-workbench-from-notice")
