"""F1 follow-up status (跟进状态): a contact entry is "To Follow Up" or "Done", and with the next contact date
it drives the reminders — To Follow Up reminds the customer's salespeople on the next contact date (the
settings' default days when none is given); Done closes the logging salesperson's open reminder."""

import frappe
from frappe.utils import add_days, getdate, nowdate

from ent_crm.followup import reminders
from tests.integration.test_followup_reminders import open_reminders, set_followup_settings
from tests.support import EntCRMTestCase
from tests.support.factories import make_customer, make_salesperson


class TestFollowupStatus(EntCRMTestCase):
	def setUp(self):
		super().setUp()
		set_followup_settings(days=3, skip_weekends=0)
		self.a = make_salesperson()
		self.b = make_salesperson()
		self.customer = make_customer([self.a.name, self.b.name])

	def log(self, **fields):
		with self.set_user(self.a.user):
			return frappe.get_doc(
				{"doctype": "ECRM Contact Log", "customer": self.customer.name, "subject": "call", **fields}
			).insert()

	def test_to_follow_up_reminds_on_the_next_contact_date(self):
		log = self.log(next_followup_date=add_days(nowdate(), 4))
		self.assertEqual(log.followup_status, "To Follow Up")  # the default
		for user in (self.a.user, self.b.user):
			self.assertEqual(
				[r.date for r in open_reminders(self.customer.name, user)], [getdate(add_days(nowdate(), 4))]
			)
		# without a date nothing is scheduled or moved (the form proposes the default days)
		self.assertFalse(self.log().next_followup_date)
		self.assertEqual(len(open_reminders(self.customer.name, self.a.user)), 1)

	def test_done_closes_my_open_reminder_and_makes_none(self):
		reminders.schedule(self.customer.name, add_days(nowdate(), 5), "ECRM Customer", self.customer.name)
		log = self.log(followup_status="Done")
		self.assertFalse(log.next_followup_date)
		self.assertEqual(
			open_reminders(self.customer.name, self.a.user), []
		)  # not due yet, closed all the same
		self.assertEqual(len(open_reminders(self.customer.name, self.b.user)), 1)  # the colleague's stays

	def test_marking_a_log_done_later_closes_the_reminder_it_made(self):
		log = self.log(next_followup_date=add_days(nowdate(), 7))
		self.assertEqual(len(open_reminders(self.customer.name, self.a.user)), 1)
		with self.set_user(self.a.user):
			log.reload()
			log.followup_status = "Done"
			log.save()
		self.assertEqual(open_reminders(self.customer.name, self.a.user), [])

	def test_the_status_is_listed_and_filtered(self):
		field = frappe.get_meta("ECRM Contact Log").get_field("followup_status")
		self.assertEqual((field.in_list_view, field.in_standard_filter, field.reqd), (1, 1, 1))
		self.assertEqual(field.options.split("\n"), ["To Follow Up", "Done"])
