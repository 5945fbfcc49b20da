"""The follow-up page in a real browser (issue 5): Debian's chromium, headless, through Selenium (the harness
of tests/browser), against a bench web server on the test site that this test starts itself.

A salesperson (language zh) opens /app/ecrm-follow-up: one customer is due, with its last contact; they
postpone the reminder and the list empties; the search box finds their customer by a phone tail but not a
colleague's; the customer's detail shows the whole history (a fax contact log and a mail). The customer form
shows the history panel. Screenshots under $ENT_CRM_ARTIFACTS/browser/. Data is committed and removed.
"""

import unittest

import frappe
from frappe.utils import add_days, now_datetime, nowdate, random_string
from frappe.utils.password import update_password

from ent_crm.followup import reminders
from tests.browser.harness import BenchServer, Browser
from tests.conftest import SITE
from tests.support.factories import make_customer, make_salesperson

PASSWORD = "Brows3r!" + random_string(8)


class TestFollowUpInBrowser(unittest.TestCase):
	@classmethod
	def setUpClass(cls):
		frappe.set_user("Administrator")
		cls.tag = random_string(5).lower()
		cls.made = []
		try:
			cls.make_data()
		except BaseException:
			cls.remove_data()
			raise

	@classmethod
	def make_data(cls):
		tag = cls.tag
		cls.s1 = make_salesperson(f"fusales1{tag}", employee_name=f"张伟{tag}")
		cls.s2 = make_salesperson(f"fusales2{tag}", employee_name=f"李娜{tag}")
		for s in (cls.s1, cls.s2):
			cls.made += [("User", s.user), ("ECRM Employee", s.name)]
			frappe.db.set_value("User", s.user, "language", "zh")
			update_password(s.user, PASSWORD)
		cls.customer = make_customer(
			[cls.s1.name], customer_name=f"Harbor Textiles {tag}", phone="+49 40 3131 7272"
		)
		cls.other = make_customer(
			[cls.s2.name], customer_name=f"Harbor Logistics {tag}", phone="+49 40 3131 7272"
		)
		cls.made += [("ECRM Customer", cls.customer.name), ("ECRM Customer", cls.other.name)]
		frappe.set_user(cls.s1.user)
		log = frappe.get_doc(
			{
				"doctype": "ECRM Contact Log",
				"customer": cls.customer.name,
				"method": "By Fax",
				"subject": f"Fax: signed proforma {tag}",
				"contact_date": add_days(now_datetime(), -3),
			}
		).insert()
		frappe.set_user("Administrator")
		cls.made.append(("ECRM Contact Log", log.name))
		reminders.schedule(
			cls.customer.name, add_days(nowdate(), -1), "ECRM Contact Log", log.name, "confirm the order"
		)
		frappe.db.commit()  # nosemgrep: the web server is another process and sees committed rows only

	@classmethod
	def tearDownClass(cls):
		cls.remove_data()

	@classmethod
	def remove_data(cls):
		frappe.db.rollback()
		frappe.set_user("Administrator")
		customers = [n for d, n in cls.made if d == "ECRM Customer"]
		if customers:
			frappe.db.delete("ToDo", {"reference_type": "ECRM Customer", "reference_name": ("in", customers)})
		for doctype, name in reversed(cls.made):
			if doctype == "User":
				frappe.db.delete("ToDo", {"allocated_to": name})
				frappe.db.delete("Notification Log", {"for_user": name})
			if frappe.db.exists(doctype, name):
				frappe.delete_doc(doctype, name, force=True, ignore_permissions=True)
		frappe.db.commit()  # nosemgrep: the rows were committed for the server

	def test_due_list_search_and_history(self):
		with BenchServer(SITE) as server, Browser(server.url) as browser:
			browser.login(self.s1.user, PASSWORD)
			browser.open("/app/ecrm-follow-up")
			browser.wait_text(".page-title", "客户跟进")
			browser.wait_text(".ecrm-follow-up", f"Harbor Textiles {self.tag}")
			browser.wait_text(".ecrm-follow-up", f"Fax: signed proforma {self.tag}")  # the last contact
			browser.wait_text(".ecrm-due-count", "1")
			browser.wait_idle()
			browser.screenshot("followup-01-due-list")

			# postpone to a later day: the reminder leaves today's list
			browser.wait_css(".ecrm-postpone").click()
			browser.wait_css('.modal.show [data-fieldname="new_date"] input')
			browser.wait_idle()
			browser.screenshot("followup-02-postpone-dialog")
			browser.wait_css(".modal.show .btn-primary").click()
			browser.wait_text(".ecrm-follow-up", "目前没有需要跟进的客户。")
			browser.wait_until(lambda d: not browser.css(".modal.show"), "the dialog to close")
			browser.wait_idle()
			self.assertEqual(len(browser.css(".modal.show")), 0)
			frappe.db.rollback()
			todo = frappe.db.get_value(
				"ToDo",
				{"reference_name": self.customer.name, "allocated_to": self.s1.user},
				["status", "date"],
				as_dict=True,
			)
			self.assertEqual(todo.status, "Open")
			self.assertGreater(str(todo.date), nowdate())

			# the search box: the phone's last digits find the own customer only
			box = browser.wait_css('.page-form [data-fieldname="text"] input')
			box.send_keys("3131 7272")
			browser.wait_text(".ecrm-follow-up", f"Harbor Textiles {self.tag}")
			browser.wait_idle()
			self.assertNotIn(f"Harbor Logistics {self.tag}", browser.css(".ecrm-follow-up")[0].text)
			browser.screenshot("followup-03-search")

			# the customer's detail: the whole history
			browser.wait_css(f'.ecrm-open-customer[data-customer="{self.customer.name}"]').click()
			browser.wait_text(".ecrm-history-list", f"Fax: signed proforma {self.tag}")
			browser.wait_text(".ecrm-history-list", "传真")
			browser.wait_idle()
			browser.screenshot("followup-04-customer-history")

			# answer by mail: H1's composer opens for this customer
			browser.wait_css(".ecrm-follow-up .ecrm-mail").click()
			browser.wait_css('.modal.show [data-fieldname="customer"]')
			browser.wait_js(
				f"return cur_dialog && cur_dialog.get_value('customer') === {self.customer.name!r}",
				"the composer for the customer",
			)
			browser.wait_idle()
			browser.screenshot("followup-04b-reply-by-mail")
			browser.js("cur_dialog.hide()")
			browser.wait_until(lambda d: not browser.css(".modal.show"), "the composer to close")

			# the customer form shows the same history panel
			browser.open(f"/app/ecrm-customer/{self.customer.name}")
			browser.wait_text(".form-dashboard", f"Fax: signed proforma {self.tag}")
			browser.wait_idle()
			browser.screenshot("followup-05-customer-form-history")
