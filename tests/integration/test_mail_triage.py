"""Triage of inbound mail (D2–D9) and the queue counts."""

import frappe
from frappe.utils import random_string

from ent_crm.core.roles import MAIL_ADMIN
from ent_crm.mail import api
from ent_crm.mail.inbound import receive_raw
from tests.integration.test_mail_routing import make_mailbox, raw_mail
from tests.support import EntCRMTestCase
from tests.support.factories import make_customer, make_salesperson, make_user


class TestTriage(EntCRMTestCase):
	def setUp(self):
		super().setUp()
		self.box = make_mailbox()
		self.admin = make_user(roles=[MAIL_ADMIN])
		self.a = make_salesperson(employee_name="甲")
		self.b = make_salesperson(employee_name="乙")
		self.domain = f"{random_string(6).lower()}.example.com"
		self.customer = make_customer([self.a.name], primary_email=f"buyer@{self.domain}")
		self.stranger = f"new{random_string(5).lower()}@{random_string(6).lower()}.example.org"

	def mail(self, sender=None, **kw):
		return frappe.get_doc("ECRM Mail", receive_raw(raw_mail(sender or self.stranger, **kw), self.box))

	def test_distribute_with_note_and_routing_rule(self):
		first, second = self.mail(), self.mail()
		with self.set_user(self.admin):
			api.distribute(first.name, self.b.name, note="德国新客户，请跟进", route_address=1)
		first.reload()
		self.assertEqual((first.queue, first.assigned_employee), ("Stranger Pending", self.b.name))
		self.assertIn("德国新客户", first.notes)
		self.assertTrue(
			frappe.db.exists("Notification Log", {"for_user": self.b.user, "document_name": first.name})
		)
		self.assertEqual(frappe.db.get_value("ECRM Routing Rule", self.stranger, "employee"), self.b.name)
		self.assertEqual(self.mail(subject="again").queue, "Stranger Pending")  # from now on
		self.assertEqual(
			frappe.db.get_value("ECRM Mail", second.name, "queue"), "Unassigned"
		)  # distribute moves one

	def test_only_mail_admins_distribute(self):
		mail = self.mail()
		with self.set_user(self.a.user), self.assertRaises(frappe.PermissionError):
			api.distribute(mail.name, self.a.name)

	def test_merge_this_mail_only(self):
		mail = self.mail()
		with self.set_user(self.admin):
			api.merge(mail.name, self.customer.name, "mail")
		mail.reload()
		self.assertEqual((mail.queue, mail.reference_name), ("Known Pending", self.customer.name))
		self.assertIsNone(frappe.db.get_value("ECRM Email Address", self.stranger))
		with self.set_user(self.a.user):
			self.assertIn(mail.name, frappe.get_list("ECRM Mail", pluck="name"))

	def test_merge_the_address_for_good_takes_earlier_mail_along(self):
		earlier, this = self.mail(), self.mail(subject="second")
		with self.set_user(make_user(roles=[MAIL_ADMIN, "ECRM All Customers"])):
			api.merge(this.name, self.customer.name, "address")
		self.assertEqual(
			frappe.db.get_value("ECRM Email Address", self.stranger, "reference_name"), self.customer.name
		)
		for mail in (earlier, this):
			self.assertEqual(
				frappe.db.get_value("ECRM Mail", mail.name, ["queue", "reference_name"]),
				("Known Pending", self.customer.name),
			)
		self.assertEqual(self.mail(subject="later").queue, "Known Pending")

	def test_filing_a_new_customer_adopts_the_waiting_mail(self):
		mail = self.mail()
		prefill = api.new_record_from_mail(mail.name)
		self.assertEqual(prefill["primary_email"], self.stranger)
		customer = make_customer(
			[self.b.name], primary_email=prefill["primary_email"], customer_name=prefill["customer_name"]
		)
		self.assertEqual(
			frappe.db.get_value("ECRM Mail", mail.name, ["queue", "reference_name"]),
			("Known Pending", customer.name),
		)

	def test_trash_recycle_restore_delete(self):
		mail = self.mail(f"buyer@{self.domain}")
		with self.set_user(self.a.user):
			self.assertEqual(api.move_to(mail.name, "Trash"), "Trash")
			self.assertEqual(api.restore(mail.name), "Known Pending")
			api.move_to(mail.name, "Recycle Bin")
		with self.set_user(self.b.user), self.assertRaises(frappe.PermissionError):
			api.move_to(mail.name, "Trash")
		communication = mail.communication
		with self.set_user(self.admin):
			api.delete_forever(mail.name)
		self.assertFalse(frappe.db.exists("ECRM Mail", mail.name))
		self.assertFalse(frappe.db.exists("Communication", communication))

	def test_block_address_or_domain(self):
		mail = self.mail()
		with self.set_user(self.admin):
			api.block(mail.name, "domain")
		self.assertEqual(frappe.db.get_value("ECRM Mail", mail.name, "queue"), "Recycle Bin")
		self.assertEqual(self.mail(f"other@{self.stranger.split('@')[1]}").queue, "Recycle Bin")
		known = self.mail(f"buyer@{self.domain}")
		with self.set_user(self.a.user), self.assertRaisesRegex(frappe.ValidationError, "single address"):
			api.block(known.name, "domain")

	def test_forward_stranger_mail_to_another_salesperson(self):
		mail = self.mail()
		with self.set_user(self.admin):
			api.distribute(mail.name, self.a.name)
		with self.set_user(self.a.user):
			api.forward_to_salesperson(mail.name, self.b.name)
		with self.set_user(self.a.user):
			self.assertNotIn(mail.name, frappe.get_list("ECRM Mail", pluck="name"))
		with self.set_user(self.b.user):
			self.assertIn(mail.name, frappe.get_list("ECRM Mail", pluck="name"))

	def test_mark_followed(self):
		mail = self.mail(f"buyer@{self.domain}")
		with self.set_user(self.a.user):
			api.mark_followed(mail.name, "Quotation", "Inquiry", '["LED Lighting", "Solar Panels"]', 3)
		mail.reload()
		self.assertEqual(
			(mail.queue, mail.followup_days, mail.contact_purpose, mail.followed_by),
			("Handled", 3, "Quotation", self.a.user),
		)
		self.assertEqual([p.product for p in mail.products], ["LED Lighting", "Solar Panels"])

	def test_internal_copy_lets_a_colleague_read_only(self):
		mail = self.mail(f"buyer@{self.domain}")
		with self.set_user(self.a.user):
			api.copy_to_colleagues(mail.name, [self.b.user], "FYI")
		with self.set_user(self.b.user):
			self.assertTrue(frappe.has_permission("ECRM Mail", "read", doc=mail.name))
			self.assertFalse(frappe.has_permission("ECRM Mail", "write", doc=mail.name))
			with self.assertRaises(frappe.PermissionError):
				api.mark_followed(mail.name)

	def test_routing_rules_assign_transfer_revoke(self):
		waiting = self.mail()
		with self.set_user(self.admin):
			self.assertEqual(api.route_address(self.stranger, self.a.name), 1)
			self.assertEqual(frappe.db.get_value("ECRM Mail", waiting.name, "assigned_employee"), self.a.name)
			api.route_address(self.stranger, self.b.name)  # transfer
			self.assertEqual(frappe.db.get_value("ECRM Mail", waiting.name, "assigned_employee"), self.b.name)
			self.assertEqual(api.revoke_address(self.stranger), 1)
		self.assertEqual(
			frappe.db.get_value("ECRM Mail", waiting.name, ["queue", "assigned_employee"]),
			("Unassigned", None),
		)
		self.assertFalse(frappe.db.exists("ECRM Routing Rule", self.stranger))
		with (
			self.set_user(self.admin),
			self.assertRaisesRegex(frappe.ValidationError, "belongs to a customer"),
		):
			api.route_address(f"buyer@{self.domain}", self.b.name)

	def test_queue_counts_leave_out_auto_replies(self):
		with self.set_user(self.a.user):
			before = api.queue_counts()
		self.mail(f"buyer@{self.domain}")
		self.mail(f"buyer@{self.domain}", extra=b"Auto-Submitted: auto-replied\r\n")
		with self.set_user(self.a.user):
			after = api.queue_counts()
			self.assertEqual(after["Known Pending"], before["Known Pending"] + 1)
			self.assertNotIn("Unassigned", after)
			with self.assertRaises(frappe.PermissionError):
				api.queue_counts(self.b.name)
		with self.set_user(self.admin):
			self.assertIn("Unassigned", api.queue_counts())
