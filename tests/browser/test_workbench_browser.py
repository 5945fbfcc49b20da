"""The workbench in a real browser (issue 6): Debian's chromium, headless, through Selenium, against a bench
web server on the test site that this test starts itself.

A salesperson (language zh) logs in, opens the workbench, opens a known-pending mail, marks it followed
with 3 days and sees the count drop; the manager distributes an unassigned mail to a second salesperson
and sees it in that salesperson's inspection view; the first salesperson cannot open that view. A manager
(language en) uses the same triage dialogs (ent_crm.triage_dialogs, in ent_crm.bundle.js) on the mail form,
and the bundle's statistics filters and contact history on a report and the customer form.
Each step leaves a screenshot under $ENT_CRM_ARTIFACTS/browser/ (default: artifacts/browser/).
The data is committed (the server is another process) and removed afterwards.
"""

import email.utils
import unittest

import frappe
from frappe.utils import random_string
from frappe.utils.password import update_password

from ent_crm.core.roles import MANAGER
from ent_crm.mail.inbound import receive_raw
from ent_crm.mail.receiving import create_mailbox
from tests.browser.harness import BenchServer, Browser, complete_frappe_setup
from tests.conftest import SITE
from tests.support.factories import make_customer, make_salesperson, make_user

PASSWORD = "Brows3r!" + random_string(8)


def raw_mail(sender: str, subject: str, body: str) -> bytes:
	return (
		f"From: {sender}\r\nTo: sales@company.example\r\nSubject: {subject}\r\n"
		f"Message-ID: <{random_string(16)}@example.net>\r\nDate: {email.utils.formatdate(localtime=True)}\r\n"
		"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
		f"{body}\r\n"
	).encode()


class TestWorkbenchInBrowser(unittest.TestCase):
	@classmethod
	def setUpClass(cls):
		frappe.set_user("Administrator")
		cls.tag = random_string(5).lower()
		cls.made = []  # (doctype, name), removed in reverse order
		try:
			cls.make_data()
		except BaseException:
			cls.remove_data()
			raise

	@classmethod
	def make_data(cls):
		tag = cls.tag
		complete_frappe_setup()  # also done by conftest; here for a run of this class alone
		cls.box = create_mailbox(f"wb-{tag}@company.example")
		cls.made.append(("Email Account", cls.box))
		cls.s1 = make_salesperson(f"wbsales1{tag}", employee_name="张伟")
		cls.s2 = make_salesperson(f"wbsales2{tag}", employee_name="李娜")
		cls.manager = make_user(f"wbmanager{tag}", profile=MANAGER, first_name="赵强")
		cls.manager_en = make_user(f"wbmanageren{tag}", profile=MANAGER, first_name="Ray")
		for user in (cls.s1.user, cls.s2.user, cls.manager, cls.manager_en):
			cls.made.append(("User", user))
			frappe.db.set_value("User", user, "language", "en" if user == cls.manager_en else "zh")
			update_password(user, PASSWORD)
		cls.made += [("ECRM Employee", cls.s1.name), ("ECRM Employee", cls.s2.name)]
		domain = f"harbor-{tag}.example.com"
		customer = make_customer(
			[cls.s1.name], customer_name="Harbor Textiles GmbH", primary_email=f"anna@{domain}"
		)
		cls.customer = customer.name
		cls.made.append(("ECRM Customer", customer.name))
		account = frappe.get_doc("Email Account", cls.box)
		cls.known = [
			receive_raw(
				raw_mail(f"Anna Schmidt <anna@{domain}>", "Price list 2027", "Please send your price list."),
				account,
			),
			receive_raw(
				raw_mail(
					f"Anna Schmidt <anna@{domain}>", "Samples received", "The samples arrived, thank you."
				),
				account,
			),
		]
		cls.stranger = receive_raw(
			raw_mail(
				f"Tom Lee <tom@newbuyer-{tag}.example.org>", "Inquiry for 500 pcs", "Can you quote 500 pcs?"
			),
			account,
		)
		cls.form_mail = receive_raw(
			raw_mail(f"Lee Chen <lee@otherbuyer-{tag}.example.org>", "Catalogue request", "Your catalogue?"),
			account,
		)
		for mail in [*cls.known, cls.stranger, cls.form_mail]:
			cls.made.append(("ECRM Mail", mail))
		assert frappe.db.get_value("ECRM Mail", cls.stranger, "queue") == "Unassigned"
		assert frappe.db.get_value("ECRM Mail", cls.form_mail, "queue") == "Unassigned"
		frappe.db.commit()  # nosemgrep: the web server is another process and sees committed rows only
		for user in (cls.s1.user, cls.s2.user, cls.manager, cls.manager_en):
			frappe.clear_cache(user=user)  # roles cached while the account was being made

	@classmethod
	def tearDownClass(cls):
		cls.remove_data()

	@classmethod
	def remove_data(cls):
		frappe.db.rollback()
		users = [name for doctype, name in cls.made if doctype == "User"]
		for doctype, name in reversed(cls.made):
			if doctype == "ECRM Mail":
				communication = frappe.db.get_value("ECRM Mail", name, "communication")
				if communication:
					frappe.delete_doc("Communication", communication, force=True, ignore_permissions=True)
			if frappe.db.exists(doctype, name):
				if doctype == "User":
					for linked in ("ToDo", "Notification Log"):
						field = "allocated_to" if linked == "ToDo" else "for_user"
						frappe.db.delete(linked, {field: name})
					frappe.db.delete("ECRM Routing Rule", {"user": name})
				frappe.delete_doc(doctype, name, force=True, ignore_permissions=True)
		if users:
			frappe.db.delete("ToDo", {"allocated_to": ("in", users)})
		frappe.db.commit()  # nosemgrep: the rows were committed for the server

	def count(self, browser, queue: str) -> str:
		cells = browser.css(f'.ecrm-wb-queue[data-queue="{queue}"] .ecrm-wb-count')
		return cells[0].text.strip() if cells else ""

	def wait_count(self, browser, queue: str, value: str):
		browser.wait_until(lambda d: self.count(browser, queue) == value, f"the {queue} count to be {value}")

	def open_workbench(self, browser, query: str = ""):
		browser.open("/app/ecrm-workbench" + query)
		browser.wait_css(".ecrm-wb-whose b, .ecrm-wb-empty")
		browser.wait_idle()

	def test_workbench_follow_distribute_inspect(self):
		with BenchServer(SITE) as server, Browser(server.url) as browser:
			try:
				self.scenario(browser)
			except BaseException:
				browser.screenshot("FAILED-last-screen")
				raise

	def scenario(self, browser):
		if True:
			# 1. the salesperson (zh) opens the workbench: two known-pending mails
			browser.login(self.s1.user, PASSWORD)
			self.open_workbench(browser)
			browser.wait_text(".ecrm-wb-queue", "有档客户待处理")
			self.assertEqual(browser.js("return frappe.boot.lang"), "zh")
			self.assertEqual(self.count(browser, "known"), "2")
			self.assertEqual(browser.css(".ecrm-wb-list-head")[0].text, "有档客户待处理")
			browser.screenshot("01-salesperson-workbench")

			# keyboard: j opens the first mail, j again the next one
			rows = [e.get_attribute("data-name") for e in browser.css(".ecrm-wb-row")]
			self.assertEqual(set(rows), set(self.known))
			browser.css("body")[0].send_keys("j")
			browser.wait_css(f'.ecrm-wb-row.active[data-name="{rows[0]}"]')
			browser.wait_css(".ecrm-wb-subject")
			browser.css("body")[0].send_keys("j")
			browser.wait_css(f'.ecrm-wb-row.active[data-name="{rows[1]}"]')

			# 2. opens a known-pending mail
			browser.click(f'.ecrm-wb-row[data-name="{self.known[0]}"]')
			browser.wait_text(".ecrm-wb-subject", "Price list 2027")
			browser.wait_text(".ecrm-wb-meta", "Harbor Textiles GmbH")
			browser.wait_idle()
			browser.screenshot("02-mail-open")

			# 3. marks it followed with 3 days: the count drops
			browser.click(".ecrm-wb-act-followed")
			days = browser.wait_css('.ecrm-wb-followed-dialog [data-fieldname="followup_days"] input')
			days.clear()
			days.send_keys("3")
			browser.screenshot("03-mark-followed-dialog")
			browser.click(".ecrm-wb-followed-dialog .modal-footer .btn-primary")
			self.wait_count(browser, "known", "1")
			browser.wait_idle()
			browser.screenshot("04-count-dropped")
			frappe.db.rollback()  # a fresh snapshot of what the server committed
			queue, days_saved = frappe.db.get_value("ECRM Mail", self.known[0], ["queue", "followup_days"])
			self.assertEqual((queue, days_saved), ("Handled", 3))
			self.assertFalse(browser.css(f'.ecrm-wb-row[data-name="{self.known[0]}"]'))

			# 4. the manager distributes the unassigned mail to the second salesperson
			browser.login(self.manager, PASSWORD)
			self.open_workbench(browser, "?queue=unassigned")
			browser.click('.ecrm-wb-queue[data-queue="unassigned"]')
			browser.click(f'.ecrm-wb-row[data-name="{self.stranger}"]')
			browser.wait_text(".ecrm-wb-subject", "Inquiry for 500 pcs")
			browser.click(".ecrm-wb-act-distribute")
			browser.wait_css('.modal.show [data-fieldname="employee"] input')
			browser.wait_js(
				"return !!(window.cur_dialog && cur_dialog.fields_dict.employee)", "the distribute dialog"
			)
			browser.js("cur_dialog.set_value('employee', arguments[0])", self.s2.name)
			browser.wait_js(
				"return cur_dialog.get_value('employee') === arguments[0]".replace(
					"arguments[0]", repr(self.s2.name)
				)
			)
			browser.screenshot("05-distribute-dialog")
			browser.click(".modal.show .modal-footer .btn-primary")
			browser.wait_until(
				lambda d: not browser.css(f'.ecrm-wb-row[data-name="{self.stranger}"]'),
				"the mail to leave the unassigned list",
			)
			frappe.db.rollback()
			self.assertEqual(
				frappe.db.get_value("ECRM Mail", self.stranger, ["queue", "assigned_employee"]),
				("Stranger Pending", self.s2.name),
			)

			# 5. ... and sees it in the second salesperson's inspection view
			self.open_workbench(browser, f"?employee={self.s2.name}")
			browser.wait_text(".ecrm-wb-whose", "李娜")
			browser.wait_text(".page-title", "工作检查")
			browser.click('.ecrm-wb-queue[data-queue="stranger"]')
			browser.click(f'.ecrm-wb-row[data-name="{self.stranger}"]')
			browser.wait_text(".ecrm-wb-subject", "Inquiry for 500 pcs")
			self.assertEqual(self.count(browser, "stranger"), "1")
			browser.wait_idle()
			browser.screenshot("06-manager-inspects-salesperson")

			# 6. the first salesperson cannot open the second one's inspection view
			browser.login(self.s1.user, PASSWORD)
			browser.open(f"/app/ecrm-workbench?employee={self.s2.name}")
			browser.wait_text(".modal.show", "只有经理才能检查其他业务员的工作。")
			browser.wait_text(".ecrm-wb-empty", "您不能打开这个工作台。")
			self.assertFalse(browser.css(f'.ecrm-wb-row[data-name="{self.stranger}"]'))
			self.assertFalse(browser.css(".ecrm-wb-queue"))
			browser.screenshot("07-salesperson-refused")

	def test_mail_form_uses_the_shared_triage_dialogs(self):
		with BenchServer(SITE) as server, Browser(server.url, language="en-US") as browser:
			try:
				self.form_scenario(browser)
			except BaseException:
				browser.screenshot("FAILED-form-last-screen")
				raise

	def form_scenario(self, browser):
		# 1. the manager (en) distributes an unassigned mail from its form: the workbench's dialog
		browser.login(self.manager_en, PASSWORD)
		self.assertEqual(browser.js("return frappe.boot.lang"), "en")
		browser.open(f"/app/ecrm-mail/{self.form_mail}")
		browser.wait_js(
			"return !!(window.cur_frm && cur_frm.custom_buttons && cur_frm.custom_buttons['Distribute'])"
		)
		browser.wait_idle()
		browser.js("cur_frm.custom_buttons['Distribute'].click()")
		browser.wait_css('.modal.show [data-fieldname="route_address"] input')
		browser.wait_js("return !!(window.cur_dialog && cur_dialog.fields_dict.route_address)", "the dialog")
		browser.js("cur_dialog.set_value('employee', arguments[0])", self.s1.name)
		browser.wait_js(f"return cur_dialog.get_value('employee') === {self.s1.name!r}")
		browser.screenshot("08-mail-form-distribute-dialog-en")
		browser.click(".modal.show .modal-footer .btn-primary")
		browser.wait_js(
			"return cur_frm.doc.queue === 'Stranger Pending'", "the form to reload after distributing"
		)
		frappe.db.rollback()
		self.assertEqual(
			frappe.db.get_value("ECRM Mail", self.form_mail, ["queue", "assigned_employee"]),
			("Stranger Pending", self.s1.name),
		)

		# 2. ... and marks it followed there: the shared mark-followed dialog
		browser.wait_idle()
		browser.wait_js("return !!cur_frm.custom_buttons['Mark Followed']")
		browser.js("cur_frm.custom_buttons['Mark Followed'].click()")
		browser.wait_css('.ecrm-triage-followed-dialog [data-fieldname="followup_days"] input')
		browser.wait_js("return !!(window.cur_dialog && cur_dialog.fields_dict.followup_days)", "the dialog")
		browser.screenshot("09-mail-form-mark-followed-dialog-en")
		browser.click(".ecrm-triage-followed-dialog .modal-footer .btn-primary")
		browser.wait_js("return cur_frm.doc.queue === 'Handled'", "the form to reload after marking followed")

		# 3. a statistics report reads the bundle's shared filters; the customer form its contact history
		browser.open("/app/query-report/Customer Type Statistics")
		browser.wait_css('.page-form [data-fieldname="salesperson"] input')
		browser.wait_css('.page-form [data-fieldname="region"] input')
		browser.wait_idle()
		browser.screenshot("10-statistics-report-en")
		browser.open(f"/app/ecrm-customer/{self.customer}")
		browser.wait_css(".ecrm-history .ecrm-history-bar")
		browser.wait_text(".ecrm-history-bar", "Everything")
		browser.wait_idle()
		browser.screenshot("11-customer-form-history-en")
