"""Bad input answers with a clear message (a ValidationError, HTTP 417), never a crash (HTTP 500 with a
traceback), and keeps what the user wrote (issue 19, item 14); an approver's rejection reason is stored as
plain text (item 13).

Dates that are not dates keep the draft (with the user's text) and refuse only the date; malformed JSON,
missing arguments and values of the wrong kind in a new customer are refused with a message. The last
test sends the same through a real HTTP server, as a browser or an API client would.
"""

import json

import frappe
import frappe.client
from frappe.utils import random_string

from ent_crm.core.roles import SALESPERSON
from ent_crm.followup import api as followup_api
from ent_crm.mail import api
from ent_crm.messages.api import send_message
from tests.integration.test_outbound import OutboundCase
from tests.support import EntCRMTestCase
from tests.support.factories import make_customer, make_employee, make_salesperson, make_user
from tests.support.server import LiveServer

BAD_DATES = ("next tuesday-ish", "2026-13-45", "31/31/2026")


class TestDatesKeepTheDraft(EntCRMTestCase):
	"""save_draft and send commit the draft before refusing, so these tests remove what they made."""

	def setUp(self):
		super().setUp()
		self.sales = make_salesperson()
		self.customer = make_customer(
			[self.sales.name], primary_email=f"buyer@{random_string(6).lower()}.example.com"
		)
		self.token = random_string(8)
		frappe.db.commit()  # nosemgrep: the drafts below are committed; these rows go with them

	def tearDown(self):
		frappe.db.rollback()
		frappe.set_user("Administrator")
		for name in frappe.get_all("ECRM Mail", filters={"owner": self.sales.user}, pluck="name"):
			frappe.delete_doc("ECRM Mail", name, force=True, ignore_permissions=True)
		frappe.delete_doc("ECRM Customer", self.customer.name, force=True, ignore_permissions=True)
		frappe.delete_doc("ECRM Employee", self.sales.name, force=True, ignore_permissions=True)
		frappe.delete_doc("User", self.sales.user, force=True, ignore_permissions=True)
		frappe.db.commit()  # nosemgrep: remove what the tests committed
		frappe.db.savepoint("ent_crm_test")
		super().tearDown()

	def values(self, **extra) -> dict:
		return {
			"customer": self.customer.name,
			"recipients": self.customer.primary_email,
			"subject": f"Offer {self.token}",
			"content": f"<p>My long careful text {self.token}</p>",
			**extra,
		}

	def assertKept(self, field: str):
		frappe.db.rollback()  # what a failed request does
		rows = frappe.get_all(
			"ECRM Mail",
			filters={"owner": self.sales.user, "subject": f"Offer {self.token}"},
			fields=["name", "content", "outbound_status", field],
		)
		self.assertEqual(len(rows), 1)
		self.assertIn(f"My long careful text {self.token}", rows[0].content)
		self.assertEqual(rows[0].outbound_status, "Draft")
		self.assertIsNone(rows[0][field])
		return rows[0]

	def test_save_draft_with_a_send_time_that_is_not_a_date(self):
		for bad in BAD_DATES:
			with self.subTest(bad):
				self.token = random_string(8)
				frappe.set_user(self.sales.user)
				with self.assertRaises(frappe.ValidationError) as caught:
					api.save_draft(**self.values(send_after=bad))
				self.assertIn("not a valid date", str(caught.exception))
				self.assertKept("send_after")

	def test_send_with_a_next_contact_date_that_is_not_a_date(self):
		for bad in BAD_DATES:
			with self.subTest(bad):
				self.token = random_string(8)
				frappe.set_user(self.sales.user)
				with self.assertRaises(frappe.ValidationError) as caught:
					api.send(**self.values(next_contact_date=bad))
				self.assertIn("not a valid date", str(caught.exception))
				self.assertKept("next_contact_date")

	def test_send_with_a_send_time_that_is_not_a_date(self):
		frappe.set_user(self.sales.user)
		with self.assertRaises(frappe.ValidationError):
			api.send(**self.values(send_after="soon"))
		self.assertKept("send_after")


class TestMalformedArguments(EntCRMTestCase):
	def setUp(self):
		super().setUp()
		self.sales = make_salesperson()
		self.customer = make_customer([self.sales.name])

	def test_move_to_folder_with_malformed_json(self):
		frappe.set_user(self.sales.user)
		for items in (
			'[{"doctype": "ECRM Mail", "name": ',
			"[1, [2]]",
			'[{"doctype": ["x"], "name": {}}]',
			'{"a": 1}',
		):
			with self.subTest(items), self.assertRaises(frappe.ValidationError):
				followup_api.move_to_folder(items)

	def test_send_message_with_a_malformed_attachment(self):
		frappe.set_user(self.sales.user)
		for attachment in (
			'{"filename": "a.txt", "content": ',
			'["a.txt"]',
			'{"filename": ["a"], "content": "eA=="}',
			'{"filename": "a.txt", "content": 5}',
		):
			with self.subTest(attachment), self.assertRaises(frappe.ValidationError):
				send_message("Hello", "text", recipients=json.dumps([self.sales.user]), attachment=attachment)

	def test_mark_followed_without_the_mail(self):
		frappe.set_user(self.sales.user)
		with self.assertRaises(frappe.ValidationError):
			api.mark_followed()

	def test_create_folder_without_customer_or_name(self):
		frappe.set_user(self.sales.user)
		with self.assertRaises(frappe.ValidationError):
			followup_api.create_folder()
		with self.assertRaises(frappe.ValidationError):
			followup_api.create_folder(customer=self.customer.name)
		self.assertFalse(frappe.db.exists("ECRM Customer Folder", {"customer": self.customer.name}))


class TestWrongTypesInANewCustomer(EntCRMTestCase):
	CASES = {
		"text for a table": {"contacts": "abc"},
		"object for a table": {"contacts": {"contact_name": "Anna"}},
		"number for a table": {"products": 5},
		"text for a row": {"contacts": ["abc"]},
		"object for a value": {"mnemonic": {"a": 1}},
		"object in a row": {"contacts": [{"contact_name": {"a": 1}}]},
		"list in a row": {"owners": [{"employee": ["x"]}]},
	}

	def test_frappe_client_insert_refuses_with_a_message(self):
		sales = make_salesperson()
		frappe.set_user(sales.user)
		for label, values in self.CASES.items():
			name = f"_Test Types {random_string(6)}"
			with self.subTest(label):
				with self.assertRaises(frappe.ValidationError):
					frappe.client.insert(
						{"doctype": "ECRM Customer", "customer_name": name, "region": "Hamburg", **values}
					)
				self.assertFalse(frappe.db.exists("ECRM Customer", {"customer_name": name}))
		# the right kinds still work
		doc = frappe.client.insert(
			{
				"doctype": "ECRM Customer",
				"customer_name": f"_Test Types {random_string(6)}",
				"region": "Hamburg",
				"contacts": [{"contact_name": "Anna"}],
				"owners": [{"employee": sales.name}],
			}
		)
		self.assertEqual([c["contact_name"] for c in doc["contacts"]], ["Anna"])


class TestOverHttp(EntCRMTestCase):
	"""The same mistakes sent by a client: HTTP 417 with the message, no 500, no traceback."""

	PASSWORD = "Bad-Input-2026!"

	def setUp(self):
		super().setUp()
		self.user = make_user(
			f"badin{random_string(6).lower()}", profile=SALESPERSON, new_password=self.PASSWORD
		)
		self.employee = make_employee(user=self.user, is_salesperson=1)
		frappe.db.commit()  # nosemgrep: the server thread only sees committed rows

	def tearDown(self):
		frappe.db.rollback()
		for name in frappe.get_all("ECRM Mail", filters={"owner": self.user}, pluck="name"):
			frappe.delete_doc("ECRM Mail", name, force=True, ignore_permissions=True)
		frappe.delete_doc("ECRM Employee", self.employee.name, force=True, ignore_permissions=True)
		frappe.delete_doc("User", self.user, force=True, ignore_permissions=True)
		frappe.db.commit()  # nosemgrep: remove what setUp committed
		frappe.db.savepoint("ent_crm_test")
		super().tearDown()

	def test_bad_input_is_a_417_with_a_message(self):
		subject = f"Kept {random_string(8)}"
		calls = {
			"ent_crm.mail.api.mark_followed": {},
			"ent_crm.followup.api.create_folder": {},
			"ent_crm.followup.api.move_to_folder": {"items": '[{"doctype": "ECRM Mail", "name": '},
			"ent_crm.messages.api.send_message": {
				"subject": "Hi",
				"body": "x",
				"recipients": json.dumps([self.user]),
				"attachment": "{bad",
			},
			"ent_crm.mail.api.save_draft": {
				"subject": subject,
				"content": "<p>mine</p>",
				"send_after": "someday",
			},
			"frappe.client.insert": {
				"doc": json.dumps(
					{
						"doctype": "ECRM Customer",
						"customer_name": "_Test Http Types",
						"region": "Hamburg",
						"contacts": "abc",
					}
				)
			},
		}
		with LiveServer() as server:
			http = server.session(self.user, self.PASSWORD)
			for method, data in calls.items():
				with self.subTest(method):
					response = http.post(f"{server.url}/api/method/{method}", data=data, timeout=60)
					self.assertEqual(response.status_code, 417, response.text[:2000])
					body = response.json()
					self.assertEqual(body.get("exc_type"), "ValidationError", response.text[:2000])
					self.assertTrue(body.get("_server_messages"), response.text[:2000])
					self.assertNotIn("Traceback", json.dumps(body.get("_server_messages")))
		frappe.db.rollback()
		self.assertTrue(frappe.db.exists("ECRM Mail", {"owner": self.user, "subject": subject}))
		self.assertFalse(frappe.db.exists("ECRM Customer", {"customer_name": "_Test Http Types"}))


class TestRejectionReasonIsPlainText(OutboundCase):
	"""Item 13: the approver's reason is stored without markup (and the author's form shows it escaped)."""

	REASON = '<script>alert("x")</script><img src=x onerror=alert(1)>Price <b>too</b> low'

	def setUp(self):
		super().setUp()
		self.approver = make_user(roles=["ECRM Manager"])
		self.made.append(("User", self.approver))
		frappe.db.set_value("ECRM Employee", self.sales.name, "approver", self.approver)

	def assertPlain(self, stored: str, doctype: str, name: str):
		self.assertEqual(stored, "Price too low")
		for text in frappe.get_all(
			"Notification Log",
			filters={"document_type": doctype, "document_name": name},
			pluck="email_content",
		):
			self.assertNotIn("<script", text or "")
			self.assertNotIn("<img", text or "")

	def test_mail_rejection_reason(self):
		frappe.set_user(self.sales.user)
		result = self.send()
		self.assertEqual(result["status"], "Pending Approval")
		frappe.set_user(self.approver)
		api.reject_mail(result["name"], self.REASON)
		frappe.set_user("Administrator")
		self.assertPlain(
			frappe.db.get_value("ECRM Mail", result["name"], "rejection_reason"), "ECRM Mail", result["name"]
		)
		frappe.set_user(self.approver)
		with self.assertRaises(frappe.ValidationError):  # nothing but markup is no reason
			api.reject_mail(result["name"], "<script>alert(1)</script>")

	def test_mass_mailing_rejection_reason(self):
		frappe.set_user(self.sales.user)
		mailing = frappe.get_doc(
			{
				"doctype": "ECRM Mass Mailing",
				"subject": f"Catalogue {self.token}",
				"content": "<p>Hi {{ customer_name }}</p>",
				"email_account": self.account.name,
				"region": "Hamburg",
			}
		).insert()
		self.assertEqual(api.start_mailing(mailing.name), "Pending Approval")
		frappe.set_user(self.approver)
		api.reject_mailing(mailing.name, self.REASON)
		frappe.set_user("Administrator")
		self.assertPlain(
			frappe.db.get_value("ECRM Mass Mailing", mailing.name, "rejection_reason"),
			"ECRM Mass Mailing",
			mailing.name,
		)
