"""The manager's view of one salesperson's mail (D8, H1, H2)."""

import frappe
from frappe.utils import random_string

from ent_crm.core.roles import MANAGER, PERSONAL_MAIL_READER
from ent_crm.ent_crm.report.salesperson_mail.salesperson_mail import execute
from ent_crm.mail.inbound import receive_raw
from tests.integration.test_mail_routing import make_mailbox, raw_mail
from tests.support import EntCRMTestCase
from tests.support.factories import make_customer, make_salesperson, make_user


class TestSalespersonMail(EntCRMTestCase):
	def setUp(self):
		super().setUp()
		self.a, self.b = make_salesperson(), make_salesperson()
		domain = f"{random_string(6).lower()}.example.com"
		make_customer([self.a.name], primary_email=f"buyer@{domain}", customer_name="_Test Report Buyer")
		self.known = receive_raw(raw_mail(f"buyer@{domain}"), make_mailbox())
		self.personal = receive_raw(
			raw_mail(f"x@{random_string(6).lower()}.example.org"),
			make_mailbox("Personal Mailbox", self.a.name),
		)
		receive_raw(
			raw_mail(f"buyer2@{random_string(6).lower()}.example.org"), make_mailbox()
		)  # unassigned: not a's

	def names(self, user, **filters):
		with self.set_user(user):
			return {row.name for row in execute({"salesperson": self.a.name, **filters})[1]}

	def test_manager_sees_exactly_the_salespersons_system_mail(self):
		self.assertEqual(self.names(make_user(roles=[MANAGER])) & {self.known, self.personal}, {self.known})
		self.assertEqual(len(self.names(make_user(roles=[MANAGER]))), 1)

	def test_personal_mail_needs_its_right(self):
		self.assertEqual(
			self.names(make_user(roles=[MANAGER, PERSONAL_MAIL_READER])), {self.known, self.personal}
		)

	def test_salesperson_cannot_inspect(self):
		with self.set_user(self.b.user), self.assertRaises(frappe.PermissionError):
			execute({"salesperson": self.a.name})

	def test_row_shows_the_customer(self):
		with self.set_user(make_user(roles=[MANAGER])):
			rows = execute({"salesperson": self.a.name})[1]
		self.assertIn("_Test Report Buyer", rows[0].who)
