"""Contact logs (F1, E8), the customer history with filters and custom folders (F5)."""

import frappe
from frappe.utils import add_days, now_datetime, random_string

from ent_crm.core.roles import MANAGER
from ent_crm.followup import api as followup_api
from ent_crm.mail.inbound import receive_raw
from tests.integration.test_mail_routing import make_mailbox, raw_mail
from tests.support import EntCRMTestCase
from tests.support.factories import make_customer, make_salesperson, make_user


def outbound_mail(customer, subject, **kw):
	doc = frappe.get_doc(
		{
			"doctype": "ECRM Mail",
			"subject": subject,
			"direction": "Outbound",
			"queue": "Handled",
			"reference_doctype": "ECRM Customer",
			"reference_name": customer,
			"received_at": kw.pop("received_at", now_datetime()),
			**kw,
		}
	)
	if doc.meta.has_field("outbound_status") and not doc.get("outbound_status"):
		doc.outbound_status = "Sent"
	return doc.insert(ignore_permissions=True)


class TestContactLogs(EntCRMTestCase):
	def setUp(self):
		super().setUp()
		self.a = make_salesperson(employee_name="甲")
		self.b = make_salesperson(employee_name="乙")
		self.mine = make_customer([self.a.name])
		self.theirs = make_customer([self.b.name])

	def log(self, customer, **kw):
		return frappe.get_doc(
			{"doctype": "ECRM Contact Log", "customer": customer, "method": "By Phone", **kw}
		).insert()

	def test_fax_contact_is_a_contact_log(self):
		with self.set_user(self.a.user):
			fax = self.log(
				self.mine.name,
				method="By Fax",
				direction="Inbound",
				subject="order by fax",
				content="<p>500 pcs</p>",
			)
		self.assertEqual((fax.method, fax.employee, fax.owner), ("By Fax", self.a.name, self.a.user))

	def test_salesperson_logs_and_sees_only_their_customers(self):
		with self.set_user(self.b.user):
			theirs = self.log(self.theirs.name, subject="b called")
		with self.set_user(self.a.user):
			mine = self.log(self.mine.name, subject="a called")
			with self.assertRaises(frappe.PermissionError):
				self.log(self.theirs.name)  # not a customer a may see
			visible = frappe.get_list("ECRM Contact Log", pluck="name")
			self.assertIn(mine.name, visible)
			self.assertNotIn(theirs.name, visible)
			self.assertFalse(frappe.has_permission("ECRM Contact Log", "read", theirs.name))
		# the customer moves to a: its history goes along
		self.theirs.append("owners", {"employee": self.a.name})
		self.theirs.save()
		with self.set_user(self.a.user):
			self.assertTrue(frappe.has_permission("ECRM Contact Log", "read", theirs.name))
		with self.set_user(make_user(roles=[MANAGER])):
			self.assertTrue(
				{mine.name, theirs.name} <= set(frappe.get_list("ECRM Contact Log", pluck="name"))
			)

	def test_next_date_not_before_contact(self):
		with self.assertRaises(frappe.ValidationError):
			self.log(
				self.mine.name, contact_date=now_datetime(), next_followup_date=add_days(now_datetime(), -1)
			)


class TestHistoryAndFolders(EntCRMTestCase):
	def setUp(self):
		super().setUp()
		self.a = make_salesperson(employee_name="甲")
		self.b = make_salesperson(employee_name="乙")
		self.customer = make_customer(
			[self.a.name], primary_email=f"buyer@{random_string(6).lower()}.example.com"
		)
		self.received = receive_raw(raw_mail(self.customer.primary_email, subject="inquiry"), make_mailbox())
		self.sent = outbound_mail(
			self.customer.name, "our offer", received_at=add_days(now_datetime(), -1)
		).name
		self.logged = (
			frappe.get_doc(
				{
					"doctype": "ECRM Contact Log",
					"customer": self.customer.name,
					"method": "By Fax",
					"subject": "fax sent",
					"contact_date": add_days(now_datetime(), -2),
				}
			)
			.insert()
			.name
		)

	def entries(self, **kw):
		return [e.name for e in followup_api.get_history(self.customer.name, **kw)["entries"]]

	def test_whole_history_newest_first_and_filters(self):
		with self.set_user(self.a.user):
			self.assertEqual(self.entries(), [self.received, self.sent, self.logged])
			self.assertEqual(self.entries(kinds="sent"), [self.sent])
			self.assertEqual(self.entries(kinds="received"), [self.received])
			self.assertEqual(self.entries(kinds=["contact_log"]), [self.logged])
			page = followup_api.get_history(self.customer.name, start=1, page_length=1)
			self.assertEqual(([e.name for e in page["entries"]], page["has_more"]), ([self.sent], True))
			with self.assertRaises(frappe.ValidationError):
				self.entries(kinds="gossip")

	def test_trash_and_unsent_mail_are_not_history(self):
		frappe.db.set_value("ECRM Mail", self.received, "queue", "Trash")
		draft = (
			outbound_mail(self.customer.name, "draft", outbound_status="Draft")
			if frappe.get_meta("ECRM Mail").has_field("outbound_status")
			else None
		)
		with self.set_user(self.a.user):
			found = self.entries()
		self.assertNotIn(self.received, found)
		if draft:
			self.assertNotIn(draft.name, found)

	def test_others_may_not_read_the_history(self):
		with self.set_user(self.b.user), self.assertRaises(frappe.PermissionError):
			followup_api.get_history(self.customer.name)

	def test_folders_hold_mail_of_their_customer(self):
		with self.set_user(self.a.user):
			contract = followup_api.create_folder(self.customer.name, "Contract 2026-017", "Contract")
			with self.assertRaises(frappe.ValidationError):
				followup_api.create_folder(self.customer.name, " Contract 2026-017 ")  # same name twice
			self.assertEqual(followup_api.move_to_folder([self.sent, self.received], contract), 2)
			self.assertEqual(sorted(self.entries(folder=contract)), sorted([self.sent, self.received]))
			self.assertEqual(self.entries(folder=contract, kinds="sent"), [self.sent])
			self.assertEqual(followup_api.folders_of(self.customer.name)[0].mail_count, 2)
			followup_api.move_to_folder([{"doctype": "ECRM Contact Log", "name": self.logged}], contract)
			self.assertEqual(len(self.entries(folder=contract)), 3)
		other = make_customer([self.a.name])
		stray = outbound_mail(other.name, "other customer's mail").name
		with self.set_user(self.a.user), self.assertRaises(frappe.ValidationError):
			followup_api.move_to_folder([stray], contract)
		with self.set_user(self.b.user), self.assertRaises(frappe.PermissionError):
			followup_api.move_to_folder([self.sent], "")
		frappe.delete_doc("ECRM Customer Folder", contract)
		self.assertIsNone(frappe.db.get_value("ECRM Mail", self.sent, "folder"))  # the mail stays
