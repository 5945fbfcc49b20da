"""Receive now (C3), the quiet-site scheduler, and mail that follows a handover (G6)."""

import frappe
from frappe.utils import random_string

from ent_crm.core.roles import MAIL_ADMIN
from ent_crm.mail import triage
from ent_crm.mail.api import receive_now
from ent_crm.mail.inbound import receive_raw
from ent_crm.mail.receiving import DORMANT_DAYS, crm_mailboxes_for
from tests.integration.test_mail_routing import make_mailbox, raw_mail
from tests.support import EntCRMTestCase
from tests.support.factories import make_salesperson, make_user


class TestReceiving(EntCRMTestCase):
	def test_a_quiet_site_keeps_pulling(self):
		self.assertGreaterEqual(frappe.db.get_single_value("System Settings", "dormant_days"), DORMANT_DAYS)

	def test_who_may_receive_which_mailbox(self):
		a, b = make_salesperson(), make_salesperson()
		system = make_mailbox()
		personal_a = make_mailbox("Personal Mailbox", a.name)
		frappe.db.set_value("Email Account", [system.name, personal_a.name], "enable_incoming", 1)
		with self.set_user(make_user(roles=[MAIL_ADMIN])):
			self.assertTrue({system.name, personal_a.name} <= set(crm_mailboxes_for()))
		with self.set_user(a.user):
			self.assertEqual(crm_mailboxes_for(), [personal_a.name])
		with self.set_user(b.user):
			self.assertEqual(crm_mailboxes_for(), [])
			with self.assertRaises(frappe.PermissionError):
				receive_now(personal_a.name)


class TestHandoverOfMail(EntCRMTestCase):
	def setUp(self):
		super().setUp()
		self.box = make_mailbox()
		self.a, self.b = make_salesperson(), make_salesperson()
		self.address = f"s{random_string(5).lower()}@{random_string(6).lower()}.example.org"
		frappe.get_doc(
			{"doctype": "ECRM Routing Rule", "address": self.address, "employee": self.a.name}
		).insert()
		self.mail = receive_raw(raw_mail(self.address), self.box)

	def test_transfer_moves_rules_and_stranger_mail(self):
		self.assertEqual(triage.hand_over_routing(self.a.name, self.b.name), {"rules": 1, "mail": 1})
		self.assertEqual(
			frappe.db.get_value("ECRM Routing Rule", self.address, ["employee", "user"]),
			(self.b.name, self.b.user),
		)
		self.assertEqual(
			frappe.db.get_value("ECRM Mail", self.mail, ["assigned_employee", "assigned_user"]),
			(self.b.name, self.b.user),
		)

	def test_revoke_returns_stranger_mail_to_unassigned(self):
		triage.hand_over_routing(self.a.name, None)
		self.assertFalse(frappe.db.exists("ECRM Routing Rule", self.address))
		self.assertEqual(
			frappe.db.get_value("ECRM Mail", self.mail, ["queue", "assigned_employee"]), ("Unassigned", None)
		)
