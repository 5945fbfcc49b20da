"""The statistics reports in a real browser (issue 6): Debian's chromium, headless, through Selenium (the
harness of tests/browser), against a bench web server on the test site that this test starts itself.

A salesperson (language zh) with customers in Hamburg, Berlin and Hangzhou opens Customer Region
Distribution: the continents with their counts and the summary cards; a click on Europe shows Germany, a
click on Germany its cities; "Up One Level" goes back. Then Mail Volume per Week shows its chart.
Screenshots under $ENT_CRM_ARTIFACTS/browser/. Data is committed and removed.
"""

import unittest

import frappe
from frappe.utils import random_string
from frappe.utils.password import update_password

from tests.browser.harness import BenchServer, Browser
from tests.conftest import SITE
from tests.support.factories import make_customer, make_salesperson

PASSWORD = "Brows3r!" + random_string(8)
REPORT = "/app/query-report/Customer Region Distribution"


class TestStatisticsInBrowser(unittest.TestCase):
	@classmethod
	def setUpClass(cls):
		frappe.set_user("Administrator")
		cls.made = []
		try:
			tag = random_string(5).lower()
			if not frappe.db.get_single_value("System Settings", "setup_complete"):
				# a fresh site sends everyone but Administrator to Frappe's setup wizard
				frappe.db.set_single_value("System Settings", "setup_complete", 1)
				frappe.db.set_default("desktop:home_page", "workspace")
			cls.s1 = make_salesperson(f"stsales{tag}", employee_name=f"王芳{tag}")
			cls.made += [("User", cls.s1.user), ("ECRM Employee", cls.s1.name)]
			frappe.db.set_value("User", cls.s1.user, "language", "zh")
			update_password(cls.s1.user, PASSWORD)
			for region in ("Hamburg", "Hamburg", "Berlin", "Hangzhou"):
				cls.made.append(("ECRM Customer", make_customer([cls.s1.name], region=region).name))
			frappe.db.commit()  # nosemgrep: the web server is another process and sees committed rows only
		except BaseException:
			cls.remove_data()
			raise

	@classmethod
	def tearDownClass(cls):
		cls.remove_data()

	@classmethod
	def remove_data(cls):
		frappe.db.rollback()
		frappe.set_user("Administrator")
		for doctype, name in reversed(cls.made):
			if frappe.db.exists(doctype, name):
				frappe.delete_doc(doctype, name, force=True, ignore_permissions=True)
		frappe.db.commit()  # nosemgrep: the rows were committed for the server

	def rows(self, browser) -> dict:
		"""Region label -> customers, from the report's data as the page holds it."""
		return {
			row["region_label"]: row["customers"]
			for row in browser.js("return frappe.query_report.data || []")
			if row.get("region_label")
		}

	def wait_rows(self, browser, expected: dict, what: str):
		browser.wait_until(lambda d: self.rows(browser) == expected, what)
		browser.wait_idle()

	def test_region_drill_down_and_weekly_chart(self):
		with BenchServer(SITE) as server, Browser(server.url) as browser:
			try:
				self.walk_through(browser)
			except Exception:
				browser.screenshot("statistics-failed")
				raise

	def walk_through(self, browser):
		if True:
			browser.login(self.s1.user, PASSWORD)
			browser.open(REPORT)
			browser.wait_text(".page-title", "客户地区分布统计")
			# a salesperson counts their own customers only: 3 in Europe, 1 in Asia (continents in Chinese)
			europe, asia = (
				frappe.db.get_value(
					"Translation", {"source_text": "Europe", "language": "zh"}, "translated_text"
				),
				frappe.db.get_value(
					"Translation", {"source_text": "Asia", "language": "zh"}, "translated_text"
				),
			)
			self.wait_rows(browser, {europe or "Europe": 3, asia or "Asia": 1}, "the continents")
			browser.wait_text(".report-summary", "4")
			browser.screenshot("statistics-01-region-continents")

			browser.click('a.ecrm-drill[data-region="Europe"]')
			browser.wait_js(
				"return frappe.query_report.get_filter_value('parent_region') === 'Europe'",
				"the Europe filter",
			)
			germany = (
				frappe.db.get_value(
					"Translation", {"source_text": "Germany", "language": "zh"}, "translated_text"
				)
				or "Germany"
			)
			self.wait_rows(browser, {germany: 3}, "the countries of Europe")
			browser.screenshot("statistics-02-region-europe")

			browser.click('a.ecrm-drill[data-region="Germany"]')
			hamburg = (
				frappe.db.get_value(
					"Translation", {"source_text": "Hamburg", "language": "zh"}, "translated_text"
				)
				or "Hamburg"
			)
			berlin = (
				frappe.db.get_value(
					"Translation", {"source_text": "Berlin", "language": "zh"}, "translated_text"
				)
				or "Berlin"
			)
			self.wait_rows(browser, {hamburg: 2, berlin: 1}, "the cities of Germany")
			browser.screenshot("statistics-03-region-germany")

			browser.js(
				"frappe.query_report.page.inner_toolbar.find('button:contains(\"返回上一级\")').click()"
			)
			self.wait_rows(browser, {germany: 3}, "back up to Europe")

			browser.open("/app/query-report/Mail Volume per Week")
			browser.wait_text(".page-title", "每周邮件量")
			browser.wait_css(".chart-container .frappe-chart")
			browser.wait_idle()
			self.assertEqual(len(browser.js("return frappe.query_report.data")), 12)  # the last 12 weeks
			browser.screenshot("statistics-04-mail-volume")
