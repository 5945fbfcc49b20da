"""The mail composer in a real browser (E1, E5): Debian's chromium through Selenium against a bench web
server on the test site, mail delivered to aiosmtpd on loopback.

A salesperson (language zh) opens their customer, writes a new mail from the customer form, inserts a
stock phrase, sends it; the mail reaches the SMTP server. A second salesperson with an approver submits a
mail for approval from the composer; the approver opens it and approves it, and it is delivered.
Screenshots go to $ENT_CRM_ARTIFACTS/browser/. The data is committed (the server is another process)
and removed afterwards.
"""

import time
import unittest

import frappe
from frappe.email.doctype.email_queue.email_queue import EmailQueue
from frappe.utils import random_string
from frappe.utils.password import update_password

from ent_crm.core.roles import MANAGER
from ent_crm.devmail.smtp import SmtpServer
from tests.browser.harness import BenchServer, Browser
from tests.conftest import SITE
from tests.support.factories import mail_date, make_customer, make_salesperson, make_user

PASSWORD = "Brows3r!" + random_string(8)


class TestComposerInBrowser(unittest.TestCase):
	@classmethod
	def setUpClass(cls):
		frappe.set_user("Administrator")
		cls.tag = random_string(5).lower()
		cls.made = []
		cls.smtp = SmtpServer()
		cls.smtp.start()
		try:
			cls.make_data()
		except BaseException:
			cls.remove_data()
			raise

	@classmethod
	def make_data(cls):
		tag = cls.tag
		cls.account = frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": f"_Test Composer {tag}",
				"email_id": f"composer-{tag}@company.example",
				"enable_incoming": 0,
				"enable_outgoing": 1,
				"default_outgoing": 0,
				"smtp_server": cls.smtp.host,
				"smtp_port": str(cls.smtp.port),
				"use_tls": 0,
				"no_smtp_authentication": 1,
				"ecrm_mailbox_kind": "System Mailbox",
			}
		).insert(ignore_permissions=True)
		cls.s1 = make_salesperson(f"cmpsales1{tag}", employee_name=f"张伟{tag}")
		cls.s2 = make_salesperson(f"cmpsales2{tag}", employee_name=f"李娜{tag}")
		cls.approver = make_user(f"cmpboss{tag}", profile=MANAGER, first_name=f"赵强{tag}")
		for user in (cls.s1.user, cls.s2.user, cls.approver):
			cls.made.append(("User", user))
			frappe.db.set_value("User", user, "language", "zh")
			update_password(user, PASSWORD)
		cls.made += [("ECRM Employee", cls.s1.name), ("ECRM Employee", cls.s2.name)]
		frappe.db.set_value("ECRM Employee", cls.s2.name, "approver", cls.approver)
		cls.c1 = make_customer(
			[cls.s1.name], customer_name=f"Hamburg Trading {tag}", primary_email=f"buyer@hh{tag}.example.com"
		)
		cls.c2 = make_customer(
			[cls.s2.name], customer_name=f"Lyon Import {tag}", primary_email=f"achat@ly{tag}.example.com"
		)
		cls.made += [("ECRM Customer", cls.c1.name), ("ECRM Customer", cls.c2.name)]
		phrase = frappe.get_doc(
			{"doctype": "ECRM Stock Phrase", "title": "交期", "phrase": f"Lead time is 30 days {tag}."}
		).insert(ignore_permissions=True)
		phrase.db_set("owner", cls.s1.user)
		cls.made.append(("ECRM Stock Phrase", phrase.name))
		from ent_crm.mail.inbound import receive_raw

		cls.inquiry_id = f"inq-{tag}@buyer.example"
		raw = (
			f"From: Buyer <{cls.c1.primary_email}>\r\nTo: {cls.account.email_id}\r\nSubject: Inquiry {tag}\r\n"
			f"Message-ID: <{cls.inquiry_id}>\r\nDate: {mail_date(hours=-2)}\r\n\r\nPlease quote 500 pcs.\r\n"
		).encode()
		cls.inquiry = receive_raw(raw, cls.account)
		frappe.db.commit()  # nosemgrep: the web server is another process

	@classmethod
	def remove_data(cls):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		account = getattr(cls, "account", None)
		if account:
			mails = frappe.get_all("ECRM Mail", filters={"email_account": account.name}, pluck="name")
			for name in frappe.get_all("Email Queue", filters={"email_account": account.name}, pluck="name"):
				frappe.db.delete("Email Queue Recipient", {"parent": name})
				frappe.db.delete("Email Queue", {"name": name})
			comms = frappe.get_all("Communication", filters={"email_account": account.name}, pluck="name")
			if comms:
				frappe.db.delete("Communication Link", {"parent": ("in", comms)})
				frappe.db.delete("Communication", {"name": ("in", comms)})
			for name in mails:
				frappe.db.delete("Notification Log", {"document_type": "ECRM Mail", "document_name": name})
				frappe.db.delete("DocShare", {"share_doctype": "ECRM Mail", "share_name": name})
				frappe.db.delete("ECRM Mail", {"name": name})
		for doctype, name in reversed(cls.made):
			if frappe.db.exists(doctype, name):
				frappe.delete_doc(doctype, name, force=True, ignore_permissions=True, delete_permanently=True)
		if account:
			frappe.delete_doc("Email Account", account.name, force=True, ignore_permissions=True)
		frappe.db.commit()  # nosemgrep
		cls.smtp.stop()

	@classmethod
	def tearDownClass(cls):
		cls.remove_data()

	def flush(self) -> int:
		frappe.db.rollback()  # see what the web server committed
		frappe.flags.testing_email = True
		try:
			names = frappe.get_all(
				"Email Queue",
				filters={"email_account": self.account.name, "status": "Not Sent"},
				pluck="name",
			)
			for name in names:
				EmailQueue.find(name).send()
		finally:
			frappe.flags.testing_email = False
		return len(names)

	def wait_for_mail(self, filters: dict, timeout: float = 30):
		deadline = time.monotonic() + timeout
		while time.monotonic() < deadline:
			frappe.db.rollback()
			found = frappe.get_all(
				"ECRM Mail",
				filters={"email_account": self.account.name, **filters},
				fields=["name", "outbound_status"],
			)
			if found:
				return found[0]
			time.sleep(0.5)
		self.fail(f"no outgoing mail with {filters}")

	def compose_from_customer(self, browser, customer):
		browser.open(f"/app/ecrm-customer/{customer}")
		try:
			browser.wait_js(
				f"return !!(window.cur_frm && cur_frm.doc && cur_frm.doc.name === '{customer}' && (cur_frm.custom_buttons || {{}})[__('New Mail')])",
				"the customer form",
				timeout=120,
			)
		except Exception:
			browser.screenshot("outbound-failed-customer-form")
			raise
		browser.wait_idle()
		browser.js("cur_frm.custom_buttons[__('New Mail')].click()")
		browser.wait_js(
			"return !!(window.cur_dialog && cur_dialog.fields_dict && cur_dialog.fields_dict.recipients && cur_dialog.display)",
			"the composer",
		)
		browser.wait_idle()

	def test_salesperson_writes_and_sends_from_the_customer_form(self):
		with BenchServer(SITE) as server, Browser(server.url) as browser:
			browser.login(self.s1.user, PASSWORD)
			self.compose_from_customer(browser, self.c1.name)
			self.assertEqual(browser.js("return cur_dialog.get_value('recipients')"), self.c1.primary_email)
			self.assertEqual(
				browser.js("return cur_dialog.get_value('email_account')")
				in (browser.js("return cur_dialog.fields_dict.email_account.df.options") or []),
				True,
			)
			browser.js("cur_dialog.set_value('email_account', arguments[0])", self.account.name)
			browser.js("cur_dialog.set_value('subject', arguments[0])", f"报价 Offer {self.tag}")
			browser.js("cur_dialog.set_value('content', '<p>Dear buyer,</p><p></p>')")
			browser.wait_js(
				"return (cur_dialog.fields_dict.phrase.df.options || []).length > 1", "the stock phrases"
			)
			browser.js("cur_dialog.set_value('phrase', cur_dialog.fields_dict.phrase.df.options[1].value)")
			browser.wait_js(
				f"return (cur_dialog.get_value('content') || '').includes('Lead time is 30 days {self.tag}')",
				"the phrase in the text",
			)
			browser.screenshot("outbound-01-composer")
			browser.js("cur_dialog.get_primary_btn().click()")
			row = self.wait_for_mail({"subject": f"报价 Offer {self.tag}", "outbound_status": "Queued"})
			browser.screenshot("outbound-02-sent")
		self.assertEqual(self.flush(), 1)
		delivered = [
			d for d in self.smtp.to(self.c1.primary_email) if d.message["Subject"] == f"报价 Offer {self.tag}"
		]
		self.assertEqual(len(delivered), 1)
		self.assertEqual(
			frappe.db.get_value("ECRM Mail", row.name, "outbound_status"), "Sent"
		)  # only once accepted
		self.assertIn(
			f"Lead time is 30 days {self.tag}", delivered[0].message.get_body(("html",)).get_content()
		)
		self.assertEqual(frappe.db.get_value("ECRM Mail", row.name, "reference_name"), self.c1.name)

	def test_reply_from_the_mail_form_threads(self):
		with BenchServer(SITE) as server, Browser(server.url) as browser:
			browser.login(self.s1.user, PASSWORD)
			browser.open(f"/app/ecrm-mail/{self.inquiry}")
			browser.wait_js(
				"return !!(window.cur_frm && cur_frm.doc && cur_frm.doc.name === arguments[0] && cur_frm.custom_buttons[__('Reply')])".replace(
					"arguments[0]", f"'{self.inquiry}'"
				),
				"the reply button",
				timeout=120,
			)
			browser.wait_idle()
			browser.js("cur_frm.custom_buttons[__('Reply')].click()")
			browser.wait_js(
				"return !!(window.cur_dialog && cur_dialog.fields_dict && cur_dialog.fields_dict.recipients && cur_dialog.display)",
				"the composer",
			)
			browser.wait_idle()
			self.assertEqual(browser.js("return cur_dialog.get_value('recipients')"), self.c1.primary_email)
			self.assertEqual(browser.js("return cur_dialog.get_value('subject')"), f"Re: Inquiry {self.tag}")
			self.assertIn("Please quote 500 pcs.", browser.js("return cur_dialog.get_value('content')"))
			browser.js("cur_dialog.set_value('email_account', arguments[0])", self.account.name)
			browser.screenshot("outbound-06-reply")
			browser.js("cur_dialog.get_primary_btn().click()")
			self.wait_for_mail({"reply_to_mail": self.inquiry, "outbound_status": "Queued"})
		self.flush()
		reply = [
			d
			for d in self.smtp.to(self.c1.primary_email)
			if d.message["Subject"] == f"Re: Inquiry {self.tag}"
		]
		self.assertEqual(len(reply), 1)
		self.assertEqual(reply[0].message["In-Reply-To"], f"<{self.inquiry_id}>")

	def test_submitted_mail_is_approved_by_the_approver(self):
		with BenchServer(SITE) as server:
			with Browser(server.url) as browser:
				browser.login(self.s2.user, PASSWORD)
				self.compose_from_customer(browser, self.c2.name)
				self.assertEqual(browser.js("return cur_dialog.get_primary_btn().text().trim()"), "提交审核")
				browser.js("cur_dialog.set_value('email_account', arguments[0])", self.account.name)
				browser.js("cur_dialog.set_value('subject', arguments[0])", f"Devis {self.tag}")
				browser.js("cur_dialog.set_value('content', '<p>Bonjour</p>')")
				browser.screenshot("outbound-03-submit-for-approval")
				browser.js("cur_dialog.get_primary_btn().click()")
				row = self.wait_for_mail(
					{"subject": f"Devis {self.tag}", "outbound_status": "Pending Approval"}
				)
				self.assertEqual(self.flush(), 0)
			with Browser(server.url) as browser:  # the approver, in a browser of their own
				browser.login(self.approver, PASSWORD)
				browser.open(f"/app/ecrm-mail/{row.name}")
				browser.wait_js(
					"return !!(window.cur_frm && cur_frm.doc && cur_frm.doc.outbound_status === 'Pending Approval' && cur_frm.custom_buttons[__('Approve and Send')])",
					"the approve button",
					timeout=90,
				)
				browser.wait_idle()
				browser.screenshot("outbound-04-approver")
				browser.js("cur_frm.custom_buttons[__('Approve and Send')].click()")
				self.wait_for_mail({"subject": f"Devis {self.tag}", "outbound_status": "Queued"})
				browser.wait_idle()
				browser.screenshot("outbound-05-approved")
		self.assertEqual(self.flush(), 1)
		self.assertEqual(len(self.smtp.to(self.c2.primary_email)), 1)
