"""E6 mass mail through a real SMTP server on loopback: 200 customers, 200 messages, one address each; and
each recipient's status tells the truth (issue 12): Queued until the server accepted their copy, then Sent,
or Failed with the server's answer.
"""

import frappe
from frappe.email.doctype.email_queue.email_queue import EmailQueue

from ent_crm.mail import api
from tests.integration.test_outbound import OutboundCase

COUNT = 200


class TestMassMail(OutboundCase):
	def test_two_hundred_customers_each_get_their_own_message(self):
		frappe.db.set_value("User", self.sales.user, "first_name", "Li")
		customers = [self.customer]  # made by OutboundCase: buyer@<domain>
		for i in range(1, COUNT):
			customers.append(
				self.customer_of(
					self.sales, f"c{i}@{self.domain}", customer_name=f"_Test Mass {self.token} {i}"
				)
			)
		unsubscribed = self.customer_of(
			self.sales, f"gone@{self.domain}", customer_name=f"_Test Mass {self.token} gone"
		)
		frappe.get_doc(
			{"doctype": "Email Unsubscribe", "email": unsubscribed.primary_email, "global_unsubscribe": 1}
		).insert(ignore_permissions=True)
		self.made.append(
			(
				"Email Unsubscribe",
				frappe.db.get_value("Email Unsubscribe", {"email": unsubscribed.primary_email}),
			)
		)
		elsewhere = self.customer_of(self.sales, f"paris@{self.domain}", region="Paris")
		other = self.salesperson()
		not_mine = self.customer_of(other, f"theirs@{self.domain}")

		frappe.set_user(self.sales.user)
		mailing = frappe.get_doc(
			{
				"doctype": "ECRM Mass Mailing",
				"subject": f"New catalogue {self.token}",
				"content": "<p>Dear {{ customer.customer_name }}, our new catalogue.</p>",
				"email_account": self.account.name,
				"region": "Germany",  # Hamburg is below it
			}
		).insert()
		preview = api.preview_mailing(mailing.name)
		self.assertEqual(
			preview["count"], COUNT + 1
		)  # the 200 and the unsubscribed one; not Paris, not another's
		api.start_mailing(mailing.name)  # the job runs inline under tests
		frappe.set_user("Administrator")
		self.assertEqual(self.flush(), COUNT)

		mailing.reload()
		self.assertEqual(
			(mailing.status, mailing.total, mailing.sent, mailing.skipped, mailing.failed),
			("Completed", COUNT + 1, COUNT, 1, 0),
		)
		outcome = {row.customer: row.status for row in mailing.recipients}
		self.assertEqual(outcome[unsubscribed.name], "Unsubscribed")
		self.assertNotIn(elsewhere.name, outcome)
		self.assertNotIn(not_mine.name, outcome)

		delivered = self.smtp.messages
		self.assertEqual(len(delivered), COUNT)
		expected = {c.primary_email for c in customers}
		seen = set()
		for d in delivered:
			self.assertEqual(len(d.rcpt_tos), 1)
			address = d.rcpt_tos[0]
			self.assertEqual(d.message["To"], address)  # exactly one visible recipient: their own
			self.assertIsNone(d.message["Cc"])
			self.assertIsNone(d.message["Bcc"])
			body = d.message.get_body(("html",)).get_content()
			self.assertNotIn(f"@{self.domain}", body.replace(address, ""))  # no other address in the text
			self.assertIn("/api/method/frappe.email.queue.unsubscribe", body)  # their own unsubscribe link
			seen.add(address)
		self.assertEqual(seen, expected)
		by_name = {c.name: c for c in customers}
		first = next(d for d in delivered if d.rcpt_tos[0] == customers[5].primary_email)
		self.assertIn(f"Dear {customers[5].customer_name},", first.message.get_body(("html",)).get_content())

		# each send is on that customer's timeline as an outbound mail of the mailing
		rows = frappe.get_all(
			"ECRM Mail",
			filters={"mass_mailing": mailing.name},
			fields=["reference_name", "outbound_status", "communication", "direction"],
		)
		self.assertEqual(len(rows), COUNT)
		self.assertEqual({r.reference_name for r in rows}, set(by_name))
		self.assertEqual({(r.outbound_status, r.direction) for r in rows}, {("Sent", "Outbound")})
		sample = rows[0]
		self.assertTrue(
			frappe.db.exists(
				"Communication Link",
				{
					"parent": sample.communication,
					"link_doctype": "ECRM Customer",
					"link_name": sample.reference_name,
				},
			)
		)
		report = api.mailing_report(mailing.name)
		self.assertEqual(report["counts"], {"Sent": COUNT, "Unsubscribed": 1})

	def test_recipients_are_queued_until_the_server_accepts_then_sent_or_failed(self):
		accepted = self.customer_of(self.sales, f"yes@{self.domain}", customer_name=f"_Test Yes {self.token}")
		refused = self.customer_of(self.sales, f"no@{self.domain}", customer_name=f"_Test No {self.token}")
		self.smtp.refuse.add(refused.primary_email)
		frappe.set_user(self.sales.user)
		mailing = frappe.get_doc(
			{
				"doctype": "ECRM Mass Mailing",
				"subject": f"Price update {self.token}",
				"content": "<p>Our new prices.</p>",
				"email_account": self.account.name,
				"region": "Germany",
			}
		).insert()
		api.start_mailing(mailing.name)  # the job runs inline under tests
		frappe.set_user("Administrator")

		def outcome():
			mailing.reload()
			return {row.email: (row.status, row.error) for row in mailing.recipients}

		everyone = {self.customer.primary_email, accepted.primary_email, refused.primary_email}
		# handed to Frappe's queue, no server has seen them: Queued, nothing counted as sent
		self.assertEqual(outcome(), {address: ("Queued", None) for address in everyone})
		self.assertEqual((mailing.status, mailing.sent, mailing.failed), ("Completed", 0, 0))
		self.assertEqual(self.smtp.messages, [])

		self.attempt()  # the scheduler's flush: two accepted, one refused (Frappe will try again)
		now = outcome()
		self.assertEqual(now[self.customer.primary_email], ("Sent", None))
		self.assertEqual(now[accepted.primary_email], ("Sent", None))
		self.assertEqual(now[refused.primary_email][0], "Queued")
		self.assertIn("550", now[refused.primary_email][1])
		self.assertEqual((mailing.sent, mailing.failed), (2, 0))

		for _attempt in range(5):  # until Frappe gives up (its retry limit)
			self.attempt()
		status, error = outcome()[refused.primary_email]
		self.assertEqual(status, "Failed")
		self.assertIn("No such user here", error)
		self.assertEqual((mailing.sent, mailing.failed), (2, 1))
		report = api.mailing_report(mailing.name)
		self.assertEqual(report["counts"], {"Sent": 2, "Failed": 1})
		self.assertEqual([r["email"] for r in report["failed"]], [refused.primary_email])
		self.assertEqual(len(self.smtp.messages), 2)

	def attempt(self):
		"""One run of Frappe's queue flush for this mailbox (a refused mail stays for the next run)."""
		for name in frappe.get_all(
			"Email Queue",
			filters={"email_account": self.account.name, "status": ("in", ("Not Sent", "Partially Sent"))},
			pluck="name",
		):
			try:
				EmailQueue.find(name).send()
			except Exception:
				pass  # Frappe keeps the row for another try, as its scheduler would
