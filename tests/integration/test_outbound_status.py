"""Status words tell the truth (issue 12): an outgoing mail is Queued until a mail server accepted it, then
Sent; Failed with the server's answer when the server refuses it for good — against the real SMTP test
server on loopback (aiosmtpd), sent through Frappe's Email Queue as the scheduler would.
"""

import frappe
from frappe.email.doctype.email_queue.email_queue import EmailQueue

from ent_crm.mail import outbound
from ent_crm.statistics.reports import sent_condition
from tests.integration.test_outbound import OutboundCase


class TestDeliveryStatus(OutboundCase):
	def status(self, name):
		return frappe.db.get_value("ECRM Mail", name, ["outbound_status", "send_error"], as_dict=True)

	def test_queued_until_the_server_accepts_then_sent(self):
		frappe.set_user(self.sales.user)
		result = self.send()
		self.assertEqual(result["status"], "Queued")
		frappe.set_user("Administrator")
		self.assertEqual(self.status(result["name"]).outbound_status, "Queued")
		self.assertEqual(self.smtp.messages, [])
		# queued mail is in the outbox and counts as the salesperson's sent mail in the statistics
		self.assertTrue(
			frappe.db.sql(
				f"select 1 from `tabECRM Mail` m where m.name = %s and {sent_condition('m')}", result["name"]
			)
		)
		self.assertEqual(self.flush(), 1)
		self.assertEqual(len(self.smtp.to(self.customer.primary_email)), 1)
		self.assertEqual(self.status(result["name"]), {"outbound_status": "Sent", "send_error": None})

	def test_refused_with_550_ends_failed_with_the_servers_answer(self):
		self.smtp.refuse.add(self.customer.primary_email)
		frappe.set_user(self.sales.user)
		result = self.send()
		frappe.set_user("Administrator")
		self.assertEqual(self.status(result["name"]).outbound_status, "Queued")
		self.attempt()  # Frappe tries again later: still queued, with the server's answer so far
		first = self.status(result["name"])
		self.assertEqual(first.outbound_status, "Queued")
		self.assertIn("550", first.send_error)
		for _attempt in range(5):  # until Frappe gives up (its retry limit)
			self.attempt()
		final = self.status(result["name"])
		self.assertEqual(final.outbound_status, "Failed")
		self.assertIn("550", final.send_error)
		self.assertIn("No such user here", final.send_error)
		self.assertEqual(self.smtp.messages, [])
		# a failed mail can be changed and sent again
		self.assertIn("Failed", outbound.EDITABLE)

	def test_backstop_marks_queued_mail_the_hook_missed(self):
		frappe.set_user(self.sales.user)
		result = self.send()
		frappe.set_user("Administrator")
		comm = frappe.db.get_value("ECRM Mail", result["name"], "communication")
		# as if the queue row had been sent before this app version followed it
		frappe.db.set_value("Email Queue", {"communication": comm}, "status", "Sent")
		frappe.db.set_value("Communication", comm, "delivery_status", "Sent")
		self.assertEqual(self.status(result["name"]).outbound_status, "Queued")
		self.assertGreaterEqual(outbound.sync_delivery(), 1)
		self.assertEqual(self.status(result["name"]).outbound_status, "Sent")

	def attempt(self):
		for name in frappe.get_all(
			"Email Queue",
			filters={"email_account": self.account.name, "status": ("in", ("Not Sent", "Partially Sent"))},
			pluck="name",
		):
			try:
				EmailQueue.find(name).send()
			except Exception:
				pass
