"""Follow-up reminders (F2, F3): ToDo rows per owner, weekends, mail marked followed, the daily job."""

from datetime import date, timedelta

import frappe
from frappe.utils import add_days, getdate, nowdate, random_string

from ent_crm.followup import api as followup_api
from ent_crm.followup import reminders
from ent_crm.followup.dates import off_weekend
from ent_crm.mail import api
from ent_crm.mail.inbound import receive_raw
from tests.integration.test_mail_routing import make_mailbox, raw_mail
from tests.support import EntCRMTestCase
from tests.support.factories import make_customer, make_salesperson

# a Saturday next week or the week after, and the Monday and Wednesday after it: never in the past
# (the machine's date: the site is not connected yet when the module is imported)
_TODAY = date.today()
SATURDAY = str(_TODAY + timedelta(days=7 + (5 - _TODAY.weekday()) % 7))
MONDAY = str(date.fromisoformat(SATURDAY) + timedelta(days=2))
WEDNESDAY = str(date.fromisoformat(SATURDAY) + timedelta(days=4))


def set_followup_settings(days=3, skip_weekends=1):
	frappe.db.set_single_value(
		"ECRM Settings", {"default_followup_days": days, "skip_weekends": skip_weekends}
	)


def open_reminders(customer, user=None):
	filters = {"reference_type": "ECRM Customer", "reference_name": customer, "status": "Open"}
	if user:
		filters["allocated_to"] = user
	return frappe.get_all("ToDo", filters=filters, fields=["name", "allocated_to", "date", "status"])


class TestReminders(EntCRMTestCase):
	def setUp(self):
		super().setUp()
		set_followup_settings()
		self.a = make_salesperson(employee_name="甲")
		self.b = make_salesperson(employee_name="乙")
		self.customer = make_customer([self.a.name, self.b.name])

	def test_one_reminder_per_owner_moved_not_duplicated(self):
		made = reminders.schedule(
			self.customer.name, SATURDAY, "ECRM Customer", self.customer.name, "call back"
		)
		self.assertEqual(len(made), 2)
		rows = open_reminders(self.customer.name)
		self.assertEqual({r.allocated_to for r in rows}, {self.a.user, self.b.user})
		self.assertEqual({str(r.date) for r in rows}, {MONDAY})  # Saturday skipped
		again = reminders.schedule(self.customer.name, WEDNESDAY, "ECRM Customer", self.customer.name)
		self.assertEqual(sorted(again), sorted(made))
		self.assertEqual({str(r.date) for r in open_reminders(self.customer.name)}, {WEDNESDAY})

	def test_weekends_kept_when_settings_say_so(self):
		set_followup_settings(skip_weekends=0)
		reminders.schedule(self.customer.name, SATURDAY, "ECRM Customer", self.customer.name)
		self.assertEqual({str(r.date) for r in open_reminders(self.customer.name)}, {SATURDAY})

	def test_mark_followed_with_days_makes_the_reminder(self):
		box = make_mailbox()
		mail = receive_raw(raw_mail(self.customer.primary_email or self.add_address()), box)
		with self.set_user(self.a.user):
			api.mark_followed(mail, followup_days=5)
		expected = off_weekend(getdate(add_days(nowdate(), 5)), True)
		rows = open_reminders(self.customer.name, self.a.user)
		self.assertEqual([r.date for r in rows], [expected])
		mail2 = receive_raw(raw_mail(self.customer.primary_email, subject="no reminder"), box)
		with self.set_user(self.a.user):
			api.mark_followed(mail2, followup_days=0)  # 0 days: the reminder stays as it was
		self.assertEqual([r.date for r in open_reminders(self.customer.name, self.a.user)], [expected])

	def add_address(self):
		self.customer.primary_email = f"buyer-{frappe.generate_hash(length=6)}@example.com"
		self.customer.save()
		return self.customer.primary_email

	def test_due_list_postpone_cancel(self):
		reminders.schedule(self.customer.name, add_days(nowdate(), -1), "ECRM Customer", self.customer.name)
		frappe.get_doc(
			{
				"doctype": "ECRM Contact Log",
				"customer": self.customer.name,
				"contact_date": add_days(nowdate(), -3) + " 10:00:00",
				"method": "By Phone",
				"subject": "price talk",
			}
		).insert()
		with self.set_user(self.a.user):
			due = reminders.due_reminders()
			self.assertEqual([d.customer for d in due], [self.customer.name])
			self.assertEqual(due[0].last_contact_subject, "price talk")
			self.assertEqual(due[0].last_contact_doctype, "ECRM Contact Log")
			self.assertEqual(reminders.count_due(), 1)
			with self.assertRaises(frappe.ValidationError):
				followup_api.postpone(due[0].todo, nowdate())  # not a later day
			followup_api.postpone(due[0].todo, add_days(nowdate(), 4))
			self.assertEqual(reminders.count_due(), 0)
			self.assertEqual(reminders.count_due(on_date=add_days(nowdate(), 4)), 1)
		with self.set_user(self.b.user):
			mine = reminders.due_reminders()[0].todo
			with self.assertRaises(frappe.PermissionError):
				followup_api.cancel(reminders._open_reminder(self.customer.name, self.a.user))
			with self.assertRaises(frappe.PermissionError):
				reminders.due_reminders(self.a.user)  # not another salesperson's list
			followup_api.cancel(mine)
			self.assertEqual(reminders.count_due(), 0)
		self.assertEqual(frappe.db.get_value("ToDo", mine, "status"), "Cancelled")

	def test_contact_log_answers_the_due_reminder_and_sets_the_next(self):
		reminders.schedule(self.customer.name, nowdate(), "ECRM Customer", self.customer.name)
		with self.set_user(self.a.user):
			log = frappe.get_doc(
				{
					"doctype": "ECRM Contact Log",
					"customer": self.customer.name,
					"method": "By Fax",
					"subject": "sent the price list by fax",
					"next_followup_date": add_days(nowdate(), 10),
				}
			).insert()
		self.assertEqual(log.employee, self.a.name)
		mine = open_reminders(self.customer.name, self.a.user)
		self.assertEqual([r.date for r in mine], [off_weekend(getdate(add_days(nowdate(), 10)), True)])
		self.assertEqual(
			frappe.db.count("ToDo", {"reference_name": self.customer.name, "status": "Closed"}), 1
		)
		# the other owner's reminders: today's untouched by a's call, moved to the next date
		self.assertEqual(len(open_reminders(self.customer.name, self.b.user)), 1)

	def test_daily_job_one_notification_per_user_and_mail_on_request(self):
		other = make_customer([self.a.name])
		for c in (self.customer.name, other.name):
			reminders.schedule(c, add_days(nowdate(), -2), "ECRM Customer", c)
		frappe.get_doc(
			{"doctype": "ECRM Personal Settings", "user": self.b.user, "reminder_email": 0}
		).insert(ignore_permissions=True)
		frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": "_Test Reminders " + random_string(6),
				"email_id": f"crm-{random_string(6).lower()}@company.example",
				"enable_outgoing": 1,
				"default_outgoing": 1,
				"smtp_server": "127.0.0.1",
				"no_smtp_authentication": 1,
				"awaiting_password": 0,
			}
		).insert(ignore_permissions=True)
		frappe.local.outgoing_email_account = {}
		self.addCleanup(lambda: setattr(frappe.local, "outgoing_email_account", {}))
		sent = reminders.send_daily_reminders()
		self.assertGreaterEqual(sent, 2)
		logs_a = frappe.get_all(
			"Notification Log", filters={"for_user": self.a.user}, fields=["subject", "link"]
		)
		logs_b = frappe.get_all("Notification Log", filters={"for_user": self.b.user}, pluck="subject")
		self.assertEqual(len(logs_a), 1)
		self.assertIn("2", logs_a[0].subject)  # two customers due, one notification
		self.assertEqual(logs_a[0].link, "/app/ecrm-follow-up")
		self.assertEqual(len(logs_b), 1)
		queued = frappe.get_all(
			"Email Queue Recipient",
			filters={"recipient": ("in", [self.a.user, self.b.user])},
			pluck="recipient",
		)
		self.assertEqual(queued, [self.a.user])  # b asked for no e-mail


class TestFollowupDemo(EntCRMTestCase):
	def test_demo_has_contact_logs_faxes_reminders_and_a_folder(self):
		from ent_crm.setup.demo import make_demo

		users = make_demo()
		sales1 = frappe.db.get_value("ECRM Employee", {"user": users["sales1"]})
		self.assertGreaterEqual(frappe.db.count("ECRM Contact Log", {"employee": ("is", "set")}), 50)
		self.assertTrue(frappe.db.exists("ECRM Contact Log", {"method": "By Fax", "employee": sales1}))
		with self.set_user(users["sales1"]):
			self.assertGreater(reminders.count_due(), 0)
		self.assertTrue(frappe.db.exists("ECRM Customer Folder", {"folder_name": "Contract 2026-017"}))
