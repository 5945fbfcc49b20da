"""A reply closes the loop (issue 11): replying to a pending mail marks it followed with the purpose and next
contact date of the composer, so it leaves the pending queue at once (a draft does not); and the Mark
Followed dialog never silently moves a next contact date that was already set.

Replies go out through a real SMTP server on loopback (aiosmtpd), as in test_outbound.
"""

import frappe
from frappe.utils import add_days, getdate, nowdate

from ent_crm.followup import reminders
from ent_crm.followup.dates import off_weekend
from ent_crm.mail import api, triage
from ent_crm.mail.inbound import receive_raw
from tests.integration.test_mail_routing import make_mailbox, raw_mail
from tests.integration.test_outbound import OutboundCase
from tests.support import EntCRMTestCase
from tests.support.factories import make_customer, make_salesperson, make_user


def set_followup_settings(days=3, skip_weekends=1):
	frappe.db.set_single_value(
		"ECRM Settings", {"default_followup_days": days, "skip_weekends": skip_weekends}
	)


def open_reminders(customer, user=None):
	filters = {"reference_type": "ECRM Customer", "reference_name": customer, "status": "Open"}
	if user:
		filters["allocated_to"] = user
	return frappe.get_all("ToDo", filters=filters, fields=["name", "allocated_to", "date", "status"])


class ReplyCase(OutboundCase):
	def setUp(self):
		super().setUp()
		set_followup_settings(days=3, skip_weekends=1)
		self.purpose = frappe.get_all("ECRM Contact Purpose", pluck="name", limit=1)[0]

	def inbound(self, sender: str, subject: str) -> str:
		return receive_raw(raw_mail(sender, subject=f"{subject} {self.token}"), self.account)

	def reply(self, mail: str, mode: str = "reply", **values) -> dict:
		defaults = api.compose_defaults(mode, mail=mail)
		return self.send(mode=mode, reply_to_mail=mail, customer=None, subject=defaults["subject"], **values)


class TestReplyClosesTheLoop(ReplyCase):
	def test_reply_to_known_pending_mail_marks_it_followed_with_the_composers_purpose_and_date(self):
		mail = self.inbound(self.customer.primary_email, "Inquiry")
		self.assertEqual(frappe.db.get_value("ECRM Mail", mail, "queue"), "Known Pending")
		next_day = add_days(nowdate(), 9)
		frappe.set_user(self.sales.user)
		result = self.reply(mail, contact_purpose=self.purpose, next_contact_date=next_day)
		self.assertEqual(result["status"], "Queued")

		row = frappe.db.get_value(
			"ECRM Mail",
			mail,
			["queue", "contact_purpose", "next_contact_date", "followed_by", "followed_at"],
			as_dict=True,
		)
		self.assertEqual(
			(row.queue, row.contact_purpose, row.followed_by), ("Handled", self.purpose, self.sales.user)
		)
		self.assertEqual(getdate(row.next_contact_date), getdate(next_day))
		self.assertTrue(row.followed_at)
		frappe.set_user("Administrator")
		expected = off_weekend(getdate(next_day), True)
		self.assertEqual([r.date for r in open_reminders(self.customer.name, self.sales.user)], [expected])

	def test_reply_all_to_stranger_mail_leaves_the_pending_queue(self):
		stranger = f"someone@new-{self.token}.example.org"
		triage.set_routing_rule(stranger, self.sales.name)
		self.made.append(("ECRM Routing Rule", stranger))  # sending commits it
		mail = self.inbound(stranger, "Hello")
		self.assertEqual(frappe.db.get_value("ECRM Mail", mail, "queue"), "Stranger Pending")
		frappe.set_user(self.sales.user)
		self.reply(mail, mode="reply_all", recipients=stranger, contact_purpose=self.purpose)
		self.assertEqual(
			frappe.db.get_value("ECRM Mail", mail, ["queue", "contact_purpose"]), ("Handled", self.purpose)
		)

	def test_draft_reply_marks_nothing(self):
		mail = self.inbound(self.customer.primary_email, "Question")
		frappe.set_user(self.sales.user)
		defaults = api.compose_defaults("reply", mail=mail)
		api.save_draft(
			mode="reply",
			reply_to_mail=mail,
			recipients=defaults["recipients"],
			subject=defaults["subject"],
			email_account=self.account.name,
			contact_purpose=self.purpose,
			next_contact_date=add_days(nowdate(), 4),
		)
		self.assertEqual(
			frappe.db.get_value("ECRM Mail", mail, ["queue", "followed_at"]), ("Known Pending", None)
		)
		frappe.set_user("Administrator")
		self.assertEqual(open_reminders(self.customer.name), [])

	def test_a_reply_refused_by_the_checks_marks_nothing(self):
		mail = self.inbound(self.customer.primary_email, "Refused")
		frappe.set_user(self.sales.user)
		with self.assertRaises(frappe.ValidationError):
			self.reply(mail, recipients="not an address", contact_purpose=self.purpose)
		self.assertEqual(frappe.db.get_value("ECRM Mail", mail, "queue"), "Known Pending")

	def test_scheduled_reply_marks_the_mail_followed_when_it_is_scheduled(self):
		mail = self.inbound(self.customer.primary_email, "Later")
		next_day = add_days(nowdate(), 12)
		frappe.set_user(self.sales.user)
		result = self.reply(
			mail, send_after=str(add_days(nowdate(), 2)) + " 09:00:00", next_contact_date=next_day
		)
		self.assertEqual(result["status"], "Scheduled")
		self.assertEqual(frappe.db.get_value("ECRM Mail", mail, "queue"), "Handled")
		frappe.set_user("Administrator")
		self.assertEqual(
			[r.date for r in open_reminders(self.customer.name, self.sales.user)],
			[off_weekend(getdate(next_day), True)],
		)


class TestMarkFollowedKeepsTheNextDate(EntCRMTestCase):
	def setUp(self):
		super().setUp()
		set_followup_settings(days=3, skip_weekends=1)
		self.sales = make_salesperson()
		self.customer = make_customer(
			[self.sales.name], primary_email=f"buyer-{frappe.generate_hash(length=6)}@example.com"
		)
		self.box = make_mailbox()
		self.later = off_weekend(getdate(add_days(nowdate(), 20)), True)  # set a moment ago, e.g. by a reply
		reminders.schedule(self.customer.name, self.later, "ECRM Customer", self.customer.name, "call back")

	def mail(self, subject: str) -> str:
		return receive_raw(raw_mail(self.customer.primary_email, subject=subject), self.box)

	def reminder_days(self):
		return [r.date for r in open_reminders(self.customer.name, self.sales.user)]

	def test_the_dialog_is_told_the_existing_day(self):
		mail = self.mail("proposal")
		with self.set_user(self.sales.user):
			proposal = api.followup_proposal(mail)
		self.assertEqual((proposal["default_days"], proposal["existing_date"]), (3, str(self.later)))
		self.assertEqual(proposal["default_date"], str(reminders.due_date_after_days(3)))

	def test_an_existing_day_is_not_moved_without_a_choice(self):
		mail = self.mail("no choice")
		with self.set_user(self.sales.user), self.assertRaises(triage.ReminderExists):
			api.mark_followed(mail, followup_days=3)
		self.assertEqual(frappe.db.get_value("ECRM Mail", mail, "queue"), "Known Pending")
		self.assertEqual(self.reminder_days(), [self.later])

	def test_keep_leaves_the_day_and_marks_the_mail(self):
		mail = self.mail("keep")
		with self.set_user(self.sales.user):
			self.assertEqual(api.mark_followed(mail, followup_days=3, reminder="keep"), "Handled")
		self.assertEqual(self.reminder_days(), [self.later])

	def test_move_is_an_explicit_choice(self):
		mail = self.mail("move")
		with self.set_user(self.sales.user):
			api.mark_followed(mail, followup_days=3, reminder="move")
		self.assertEqual(self.reminder_days(), [reminders.due_date_after_days(3)])

	def test_the_same_day_or_no_days_needs_no_choice(self):
		with self.set_user(self.sales.user):
			api.mark_followed(self.mail("no days"), followup_days=0)
			self.assertEqual(self.reminder_days(), [self.later])
			reminders.schedule(
				self.customer.name, reminders.due_date_after_days(3), "ECRM Customer", self.customer.name
			)
			api.mark_followed(self.mail("same day"), followup_days=3)
		self.assertEqual(self.reminder_days(), [reminders.due_date_after_days(3)])


class TestReplyWaitingForApproval(ReplyCase):
	"""A reply that needs approval marks the mail followed when it is approved, not before."""

	def setUp(self):
		super().setUp()
		self.approver = make_user(roles=["ECRM Manager"])
		self.made.append(("User", self.approver))
		frappe.db.set_value("ECRM Employee", self.sales.name, "approver", self.approver)

	def test_reply_marks_the_mail_followed_once_approved(self):
		mail = self.inbound(self.customer.primary_email, "Needs approval")
		frappe.set_user(self.sales.user)
		result = self.reply(mail, contact_purpose=self.purpose)
		self.assertEqual(result["status"], "Pending Approval")
		self.assertEqual(frappe.db.get_value("ECRM Mail", mail, "queue"), "Known Pending")
		frappe.set_user(self.approver)
		self.assertEqual(api.approve_mail(result["name"]), "Queued")
		self.assertEqual(
			frappe.db.get_value("ECRM Mail", mail, ["queue", "followed_by"]), ("Handled", self.sales.user)
		)


class TestMarkFollowedKeepsEveryOwnersDay(EntCRMTestCase):
	def test_a_colleagues_day_is_not_moved_either(self):
		set_followup_settings(days=3, skip_weekends=1)
		a, b = make_salesperson(), make_salesperson()
		customer = make_customer(
			[a.name, b.name], primary_email=f"buyer-{frappe.generate_hash(length=6)}@example.com"
		)
		due = reminders.due_date_after_days(3)
		later = off_weekend(getdate(add_days(nowdate(), 20)), True)
		reminders.schedule(customer.name, due, "ECRM Customer", customer.name)
		frappe.db.set_value(
			"ToDo", {"reference_name": customer.name, "allocated_to": b.user, "status": "Open"}, "date", later
		)
		mail = receive_raw(raw_mail(customer.primary_email, subject="two owners"), make_mailbox())
		with self.set_user(a.user), self.assertRaises(triage.ReminderExists):
			api.mark_followed(mail, followup_days=3)  # a's own day is that day, b's is not
		self.assertEqual(open_reminders(customer.name, b.user)[0].date, later)
