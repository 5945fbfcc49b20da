"""Issue 12, "Done when": on the demo, sales1 replies to a known-pending mail in headless chromium and the
demo's local mail host accepts it — on the production-like stack (tests/browser/stack.py: web server with its
assets, socket.io, a worker, the one-site scheduler loop, a private Redis for the queue).

"Fresh site": the test site after `make_demo()` — what `bench --site S ent-crm-demo` runs (idempotent: a demo
already on the site is used as it is; the demo stays on the site afterwards, as after the command). The mail
host is the app's own command, `bench --site S ent-crm-mailhost`, started by the test as a process of the
stack on free loopback ports with a temporary store; the demo's mailboxes are pointed at those ports for the
test (setup_demo_mailboxes, as the demo does for 1025/1143) and put back as they were afterwards, like the
site's scheduler setting.

The steps, each with a screenshot in $ENT_CRM_ARTIFACTS/browser/demo-reply-*.png:
1. sales1 logs in (user name and demo password, as the README says) and opens a Known Pending mail of one of
   their customers in the workbench;
2. replies through the composer (its defaults: the customer's address, "Re: ...", the quoted mail, sales1's
   mailbox) with a line of their own;
3. sends: the composer says Queued; the mail's form says Queued (排队中), and the mail host has nothing;
4. Frappe's mail queue flush (scheduled job frappe.email.queue.flush, enqueued by the scheduler loop, run by
   the worker — nobody calls it by hand) hands the mail to the mail host: the customer's mailbox there holds
   it, the browser shows "Mail sent: the mail server accepted ..." at once (socket.io) and the mail's form,
   fetched again, Sent (已发送);
5. the demo customer's answer, handed back by the mail host into sales1's mailbox, is pulled by the scheduled
   pull and appears in sales1's Known Pending in the open workbench, without a reload.
The flush is an "all" job (every 4 minutes) and the pull a 10-minute cron job in Frappe 15: instead of waiting,
the test moves a job's last run back so that it is due at the next tick (the flush's is first put ahead, so that
it cannot run before the Queued state was seen).
"""

import email
import email.policy
import imaplib
import os
import re
import shutil
import tempfile
import time
import unittest

import frappe
from frappe.utils import add_to_date, get_datetime, now_datetime

from ent_crm.devmail import host as devmail
from ent_crm.devmail.imap import ImapServer
from ent_crm.mail.outbound.compose import prefixed
from ent_crm.setup.demo import DEMO_PASSWORD, DOMAIN, make_demo, save_mailbox, setup_demo_mailboxes
from tests.browser.harness import Browser, free_port
from tests.browser.stack import RealtimeStack, missing_stack_tools, wait_socket
from tests.conftest import BENCH, SITE
from tests.integration.test_demo_mailhost import MAILBOX_FIELDS

SALES1 = f"sales1@{DOMAIN}"
FLUSH_JOB = "frappe.email.queue.flush"
PULL_JOB = "frappe.email.doctype.email_account.email_account.pull"
WAIT = 150  # seconds for a scheduled job: a tick every 5 s, and the first tick runs every never-run job


@unittest.skipUnless(ImapServer.available(), "SKIPPED, needs dovecot: /usr/sbin/dovecot is missing")
@unittest.skipIf(missing_stack_tools(BENCH), f"SKIPPED, the stack needs: {missing_stack_tools(BENCH)}")
class TestDemoReplyInBrowser(unittest.TestCase):
	@classmethod
	def setUpClass(cls):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		cls.scheduler_before = frappe.db.get_single_value("System Settings", "enable_scheduler")
		started = time.monotonic()
		make_demo()  # bench --site S ent-crm-demo
		frappe.db.commit()  # nosemgrep: the stack's processes read it
		print(f"\nmake_demo: {time.monotonic() - started:.0f}s")
		cls.saved = {
			name: frappe.db.get_value("Email Account", name, MAILBOX_FIELDS, as_dict=True)
			for name in frappe.get_all(
				"Email Account", filters={"email_id": ("like", f"%@{DOMAIN}")}, pluck="name"
			)
		}
		cls.store = tempfile.mkdtemp(prefix="ecrm-demo-mailhost-")

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		for name, values in cls.saved.items():  # the demo's mailboxes as they were (the demo's 1025/1143)
			account = frappe.get_doc("Email Account", name)
			account.update(values)
			save_mailbox(account, check=False)  # unchecked, as the demo does: the test's mail host is gone
		frappe.db.set_single_value("System Settings", "enable_scheduler", cls.scheduler_before)
		frappe.db.commit()  # nosemgrep: put back what the test changed
		shutil.rmtree(cls.store, ignore_errors=True)

	# --- helpers ---

	def start_mailhost(self, stack) -> tuple[int, int]:
		"""`bench --site S ent-crm-mailhost` as a process of the stack, on free loopback ports."""
		smtp_port, imap_port = free_port(), free_port()
		stack.spawn(
			"mailhost",
			stack.frappe(
				"ent-crm-mailhost",
				"--smtp-port",
				str(smtp_port),
				"--imap-port",
				str(imap_port),
				"--root",
				self.store,
			),
		)
		stack.wait_for("mailhost", lambda: "Demo mail host:" in stack.log("mailhost"))
		return smtp_port, imap_port

	def mailbox(self, imap_port: int, address: str) -> list:
		"""An address's mailbox on the mail host, as any IMAP client sees it (the shared demo password)."""
		with imaplib.IMAP4(devmail.HOST, imap_port) as imap:
			imap.login(address, devmail.PASSWORD)
			imap.select("INBOX", readonly=True)
			_typ, data = imap.search(None, "ALL")
			out = []
			for number in (data[0] or b"").split():
				_typ, parts = imap.fetch(number, "(BODY.PEEK[])")
				out.append(email.message_from_bytes(parts[0][1], policy=email.policy.default))
			return out

	def set_last_run(self, method: str, minutes: int):
		"""A scheduled job's last run `minutes` from now (negative: due at the scheduler's next tick)."""
		frappe.db.rollback()
		when = add_to_date(now_datetime(), minutes=minutes)
		name = frappe.db.get_value("Scheduled Job Type", {"method": method})
		frappe.db.set_value("Scheduled Job Type", name, "last_execution", when, update_modified=False)
		frappe.db.commit()  # nosemgrep: the scheduler loop is another process
		return when

	def wait_db(self, what: str, probe, stack, timeout: float = WAIT):
		deadline = time.monotonic() + timeout
		while time.monotonic() < deadline:
			frappe.db.rollback()  # see what the stack's processes committed
			found = probe()
			if found:
				return found
			stack.check_alive()
			time.sleep(1)
		self.fail(f"waiting for {what}")

	def known_pending_of_sales1(self) -> list[str]:
		from ent_crm.workbench.lists import mail_page
		from ent_crm.workbench.target import resolve_target

		frappe.set_user(SALES1)
		try:
			return [r.name for r in mail_page(resolve_target(), "known")["rows"]]
		finally:
			frappe.set_user("Administrator")

	# --- the test ---

	def test_sales1_replies_in_the_browser_and_the_mail_host_accepts_it(self):
		started = time.monotonic()
		with RealtimeStack(SITE) as stack, Browser(stack.url) as browser:
			try:
				self.scenario(stack, browser)
			except BaseException:
				browser.screenshot("demo-reply-FAILED-last-screen")
				for name in ("mailhost", "worker", "scheduler"):
					print(f"\n--- {name} log (end) ---\n{stack.log(name)[-2000:]}")
				raise
		print(f"\ndemo reply test: {time.monotonic() - started:.0f}s")

	def scenario(self, stack, browser):
		smtp_port, imap_port = self.start_mailhost(stack)
		# the demo's mailboxes on this mail host (checked: a real IMAP and SMTP login each)
		setup_demo_mailboxes(smtp_port=smtp_port, imap_port=imap_port)
		frappe.db.commit()  # nosemgrep: the stack's processes read it
		# the scheduler's first burst (every job that never ran on this site) done before the test begins; then
		# no flush before the test has seen the mail Queued: a cron job every 4 minutes, its last run put ahead
		started = time.monotonic()
		stack.wait_jobs_done()
		print(f"\nthe scheduler's first jobs: {time.monotonic() - started:.0f}s")
		self.set_last_run(FLUSH_JOB, 10)
		stack.wait_jobs_done()  # a flush enqueued just before has run (and put its last run to now)
		self.set_last_run(FLUSH_JOB, 10)
		pending = self.known_pending_of_sales1()
		self.assertTrue(pending, "the demo leaves sales1 known-pending mail")
		original = frappe.db.get_value(
			"ECRM Mail", pending[0], ["name", "subject", "sender", "reference_name"], as_dict=True
		)

		# 1. sales1 logs in and opens the mail in the workbench
		browser.login("sales1", DEMO_PASSWORD)
		browser.js("frappe.set_route('ecrm-workbench')")  # no reload: see stack.wait_socket
		browser.wait_css(".ecrm-wb-whose b, .ecrm-wb-empty")
		browser.wait_idle()
		if not wait_socket(stack, browser, SALES1):
			self.fail("the page's socket.io connection receives nothing")
		browser.js("window.ecrm_no_reload = 1")
		browser.click(f'.ecrm-wb-row[data-name="{original.name}"]')
		browser.wait_text(".ecrm-wb-subject", original.subject)
		browser.wait_idle()
		browser.screenshot("demo-reply-01-workbench-known-pending-mail")

		# 2. the composer, filled from the mail, with sales1's answer on top
		browser.click(".ecrm-wb-act-reply")
		browser.wait_js(
			"return !!(window.cur_dialog && cur_dialog.fields_dict && cur_dialog.fields_dict.recipients && cur_dialog.display)",
			"the composer",
		)
		browser.wait_idle()
		subject = prefixed(original.subject, "Re:")  # "Re: ..." once
		self.assertEqual(browser.js("return cur_dialog.get_value('subject')"), subject)
		recipient = browser.js("return cur_dialog.get_value('recipients')")
		self.assertEqual(recipient.lower(), original.sender.lower())
		mailbox = browser.js("return cur_dialog.get_value('email_account')")
		self.assertTrue(mailbox)
		browser.js(
			"cur_dialog.set_value('content', arguments[0] + (cur_dialog.get_value('content') || ''))",
			"<p>Dear customer,</p><p>our price is 5 USD per piece, FOB Ningbo; lead time 30 days.</p>",
		)
		browser.wait_js(
			"return (cur_dialog.get_value('content') || '').includes('FOB Ningbo')", "the answer in the text"
		)
		browser.screenshot("demo-reply-02-composer-filled")

		# 3. send: Queued, and the mail host has nothing yet
		sent_at = now_datetime()
		browser.js("cur_dialog.get_primary_btn().click()")
		browser.wait_text("#alert-container", "邮件已排队")  # Mail queued: it shows as sent once ... accepted
		reply = self.wait_db(
			"the reply",
			lambda: frappe.db.get_value(
				"ECRM Mail",
				{"reply_to_mail": original.name, "direction": "Outbound", "creation": (">=", sent_at)},
				["name", "outbound_status", "communication", "email_account"],
				as_dict=True,
			),
			stack,
			timeout=30,
		)
		self.assertEqual(reply.outbound_status, "Queued")
		self.assertEqual(reply.email_account, mailbox)
		self.assertEqual(self.mailbox(imap_port, recipient), [])
		browser.screenshot("demo-reply-03-sent-composer-says-queued")
		browser.js("frappe.set_route('Form', 'ECRM Mail', arguments[0])", reply.name)
		browser.wait_js(
			f"return !!(window.cur_frm && cur_frm.doc.name === '{reply.name}')", "the sent mail's form"
		)
		browser.wait_text('[data-fieldname="outbound_status"]', "排队中")  # Queued
		browser.wait_idle()
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("ECRM Mail", reply.name, "outbound_status"), "Queued")
		browser.screenshot("demo-reply-04-mail-form-queued")

		# 4. the scheduler's flush, run by the worker, hands it to the mail host: Sent only then
		flush_due_since = self.set_last_run(FLUSH_JOB, -10)
		browser.wait_text("#alert-container", "邮件服务器已接受", timeout=WAIT)  # Mail sent: ... accepted
		stored = [m for m in self.mailbox(imap_port, recipient) if m["Subject"] == subject]
		self.assertEqual(len(stored), 1)
		self.assertIn("FOB Ningbo", stored[0].get_body(("html", "plain")).get_content())
		self.assertEqual(frappe.db.get_value("ECRM Mail", reply.name, "outbound_status"), "Sent")
		last_flush = frappe.db.get_value("Scheduled Job Type", {"method": FLUSH_JOB}, "last_execution")
		self.assertGreater(get_datetime(last_flush), get_datetime(flush_due_since))  # the scheduled flush ran
		browser.screenshot("demo-reply-05-mail-server-accepted")
		# the open form still shows the status it loaded (the status is written without a new `modified`, so
		# Frappe's form does not refresh itself); fetched again, as its reload button does, it says Sent
		browser.js("cur_frm.reload_doc()")
		browser.wait_text('[data-fieldname="outbound_status"]', "已发送")
		browser.wait_idle()
		browser.screenshot("demo-reply-06-mail-form-sent")
		self.assertTrue(
			frappe.db.exists(
				"Communication Link",
				{
					"parent": reply.communication,
					"link_doctype": "ECRM Customer",
					"link_name": original.reference_name,
				},
			)
		)

		# 5. the customer's answer comes back (the mail host put it into sales1's mailbox): the scheduled pull
		# brings it to sales1's Known Pending, live in the open workbench
		sender = frappe.db.get_value("Email Account", mailbox, "email_id")
		self.assertTrue(
			any(m["In-Reply-To"] == stored[0]["Message-ID"] for m in self.mailbox(imap_port, sender)),
			"the mail host handed the customer's answer back",
		)
		browser.js("frappe.set_route('ecrm-workbench')")
		browser.wait_css(".ecrm-wb-whose b, .ecrm-wb-empty")
		browser.wait_idle()
		pulled_since = self.set_last_run(PULL_JOB, -11)
		answer = self.wait_db(
			"the customer's answer",
			lambda: frappe.db.get_value(
				"ECRM Mail",
				{
					"direction": "Inbound",
					"communication": (
						"in",
						frappe.get_all(
							"Communication", filters={"in_reply_to": reply.communication}, pluck="name"
						)
						or [""],
					),
				},
			),
			stack,
		)
		browser.wait_css(f'.ecrm-wb-row[data-name="{answer}"]', timeout=60)
		self.assertEqual(browser.js("return window.ecrm_no_reload || 0"), 1, "the page was reloaded")
		row = frappe.db.get_value("ECRM Mail", answer, ["queue", "reference_name", "subject"], as_dict=True)
		self.assertEqual((row.queue, row.reference_name), ("Known Pending", original.reference_name))
		self.assertIn(answer, self.known_pending_of_sales1())
		last_pull = frappe.db.get_value("Scheduled Job Type", {"method": PULL_JOB}, "last_execution")
		self.assertGreater(get_datetime(last_pull), get_datetime(pulled_since))
		browser.click(f'.ecrm-wb-row[data-name="{answer}"]')
		browser.wait_text(".ecrm-wb-subject", row.subject)
		browser.wait_idle()
		browser.screenshot("demo-reply-07-customers-answer-known-pending")
		self.assertTrue(os.path.exists(browser.shots[-1]))
		self.assertFalse(re.search(r"Traceback", stack.log("mailhost")), stack.log("mailhost")[-2000:])
