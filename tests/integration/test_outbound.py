"""Outgoing mail (E1–E5) through a real SMTP server on loopback (aiosmtpd), read back by the tests.

Sending commits (the draft is kept before the checks; Frappe's Email Queue commits as it sends), so each
test removes what it made in tearDown and commits, like the IMAP end-to-end tests.
"""

import frappe
from frappe.core.doctype.communication.email import make as frappe_make
from frappe.email.doctype.email_queue.email_queue import EmailQueue
from frappe.utils import add_days, add_to_date, now_datetime, random_string

from ent_crm.devmail.smtp import SmtpServer
from ent_crm.mail import api, outbound
from ent_crm.mail.approval import ApprovalRequired
from ent_crm.mail.inbound import receive_raw
from tests.support import EntCRMTestCase
from tests.support.factories import mail_date, make_customer, make_salesperson, make_user

ACCOUNT_PREFIX = "_Test Outbound"


def delete_all(doctype, filters):
	for name in frappe.get_all(doctype, filters=filters, pluck="name"):
		frappe.delete_doc(doctype, name, force=True, ignore_permissions=True, delete_permanently=True)


class OutboundCase(EntCRMTestCase):
	"""A CRM system mailbox that sends through aiosmtpd, a salesperson and their customer."""

	def setUp(self):
		super().setUp()
		self.smtp = SmtpServer()
		self.smtp.start()
		self.addCleanup(self.smtp.stop)
		frappe.flags.testing_email = True
		self.token = random_string(6).lower()
		self.address = f"sales-{self.token}@company.example"
		self.account = frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": f"{ACCOUNT_PREFIX} {self.token}",
				"email_id": self.address,
				"enable_incoming": 0,
				"enable_outgoing": 1,
				"smtp_server": self.smtp.host,
				"smtp_port": str(self.smtp.port),
				"use_tls": 0,
				"use_ssl_for_outgoing": 0,
				"no_smtp_authentication": 1,
				"create_contact": 0,
				"ecrm_mailbox_kind": "System Mailbox",
			}
		).insert(ignore_permissions=True)
		self.made = []  # (doctype, name) to remove
		self.sales = self.salesperson()
		self.domain = f"{self.token}.example.com"
		self.customer = self.customer_of(self.sales, f"buyer@{self.domain}")

	def salesperson(self, **fields):
		person = make_salesperson(**fields)
		self.made += [("ECRM Employee", person.name), ("User", person.user)]
		return person

	def customer_of(self, person, email, **fields):
		customer = make_customer([person.name], primary_email=email, **fields)
		self.made.append(("ECRM Customer", customer.name))
		return customer

	def tearDown(self):
		frappe.flags.testing_email = False
		frappe.set_user("Administrator")
		frappe.db.rollback()
		mails = frappe.get_all("ECRM Mail", filters={"email_account": self.account.name}, pluck="name")
		comms = frappe.get_all("Communication", filters={"email_account": self.account.name}, pluck="name")
		if mails:
			comms += frappe.get_all(
				"Communication",
				filters={"reference_doctype": "ECRM Mail", "reference_name": ("in", mails)},
				pluck="name",
			)
		for name in frappe.get_all("Email Queue", filters={"email_account": self.account.name}, pluck="name"):
			frappe.db.delete("Email Queue Recipient", {"parent": name})
			frappe.db.delete("Email Queue", {"name": name})
		if comms:
			frappe.db.delete("Communication Link", {"parent": ("in", comms)})
			frappe.db.delete("Communication", {"name": ("in", comms)})
		for name in mails:
			frappe.db.delete("File", {"attached_to_doctype": "ECRM Mail", "attached_to_name": name})
			frappe.db.delete("Notification Log", {"document_type": "ECRM Mail", "document_name": name})
			frappe.db.delete("DocShare", {"share_doctype": "ECRM Mail", "share_name": name})
			frappe.db.delete("ToDo", {"reference_type": "ECRM Mail", "reference_name": name})
		for name in mails:
			frappe.db.delete("ECRM Mail", {"name": name})
		delete_all("ECRM Mass Mailing", {"email_account": self.account.name})
		customers = [name for doctype, name in self.made if doctype == "ECRM Customer"]
		if customers:
			frappe.db.delete("ToDo", {"reference_type": "ECRM Customer", "reference_name": ("in", customers)})
		for doctype, name in reversed(self.made):
			if frappe.db.exists(doctype, name):
				frappe.delete_doc(doctype, name, force=True, ignore_permissions=True, delete_permanently=True)
		frappe.delete_doc("Email Account", self.account.name, force=True, ignore_permissions=True)
		frappe.db.commit()  # nosemgrep: remove what sending committed
		frappe.db.savepoint("ent_crm_test")
		super().tearDown()

	def flush(self) -> int:
		"""Send what Frappe's queue holds for this mailbox now (as its scheduler would)."""
		names = frappe.get_all(
			"Email Queue",
			filters={"email_account": self.account.name, "status": "Not Sent"},
			or_filters=[["send_after", "is", "not set"], ["send_after", "<", now_datetime()]],
			pluck="name",
		)
		for name in names:
			EmailQueue.find(name).send()
		return len(names)

	def release_due(self, now=None) -> int:
		"""The scheduler's job, for this test's mailbox only (the site may hold other scheduled mail)."""
		return outbound.release_due(now=now, email_account=self.account.name)

	def send(self, **values):
		values.setdefault("email_account", self.account.name)
		values.setdefault("subject", f"Offer {self.token}")
		values.setdefault("content", "<p>Our best price.</p>")
		values.setdefault("customer", self.customer.name)
		values.setdefault("recipients", self.customer.primary_email)
		return api.send(**values)


class TestSending(OutboundCase):
	def test_salesperson_without_approver_sends_directly_onto_the_customers_timeline(self):
		frappe.set_user(self.sales.user)
		self.purpose = frappe.get_all("ECRM Contact Purpose", pluck="name", limit=1)[0]
		result = self.send(
			cc=f"boss@{self.domain}",
			bcc=f"silent@{self.domain}",
			contact_purpose=self.purpose,
			notes="first offer",
		)
		self.assertEqual(result["status"], "Queued")
		frappe.set_user("Administrator")
		self.assertEqual(self.flush(), 1)
		mail = frappe.get_doc("ECRM Mail", result["name"])
		self.assertEqual(
			(mail.direction, mail.outbound_status, mail.reference_name),
			("Outbound", "Sent", self.customer.name),
		)
		self.assertEqual(
			(mail.notes, mail.contact_purpose, mail.assigned_employee),
			("first offer", self.purpose, self.sales.name),
		)
		delivered = self.smtp.messages
		self.assertEqual(len(delivered), 3)  # one SMTP transaction per recipient, as Frappe sends
		message = delivered[0].message
		self.assertEqual(message["Subject"], f"Offer {self.token}")
		self.assertIn(self.address, message["From"])
		self.assertEqual(message["To"], self.customer.primary_email)
		self.assertEqual(message["Cc"], f"boss@{self.domain}")
		self.assertIsNone(message["Bcc"])  # the bcc'd address is only in the envelope
		self.assertEqual(
			sorted(r for d in delivered for r in d.rcpt_tos),
			sorted([self.customer.primary_email, f"boss@{self.domain}", f"silent@{self.domain}"]),
		)
		links = frappe.get_all(
			"Communication Link", filters={"parent": mail.communication}, fields=["link_doctype", "link_name"]
		)
		self.assertIn({"link_doctype": "ECRM Customer", "link_name": self.customer.name}, links)
		# the author and the customer's owners see it; another salesperson does not
		other = self.salesperson()
		with self.set_user(self.sales.user):
			self.assertIn(
				mail.name, frappe.get_list("ECRM Mail", filters={"direction": "Outbound"}, pluck="name")
			)
		with self.set_user(other.user):
			self.assertNotIn(
				mail.name, frappe.get_list("ECRM Mail", filters={"direction": "Outbound"}, pluck="name")
			)

	def test_next_contact_date_makes_a_reminder_for_the_customers_owners(self):
		due = add_days(now_datetime(), 5).date()
		frappe.set_user(self.sales.user)
		self.send(next_contact_date=str(due))
		frappe.set_user("Administrator")
		todo = frappe.get_all(
			"ToDo",
			filters={
				"reference_type": "ECRM Customer",
				"reference_name": self.customer.name,
				"allocated_to": self.sales.user,
				"status": "Open",
			},
			pluck="date",
		)
		self.assertEqual(len(todo), 1)
		self.assertGreaterEqual(todo[0], due)  # moved off a weekend when the settings say so

	def test_draft_keeps_exactly_the_attachments_left_in_the_composer(self):
		files = []
		for i in range(2):
			f = frappe.get_doc(
				{
					"doctype": "File",
					"file_name": f"spec-{i}-{self.token}.txt",
					"content": f"spec {i}",
					"is_private": 1,
				}
			).insert(ignore_permissions=True)
			frappe.db.set_value("File", f.name, "owner", self.sales.user)
			self.made.append(("File", f.name))
			files.append(f.file_url)
		frappe.set_user(self.sales.user)
		base = {
			"customer": self.customer.name,
			"recipients": self.customer.primary_email,
			"subject": "Specs",
			"email_account": self.account.name,
		}
		name = api.save_draft(**base, attachments=files)
		self.assertEqual(sorted(api.draft_attachments(name)), sorted(files))
		api.save_draft(name=name, **base, attachments=[files[1]])
		self.assertEqual(api.draft_attachments(name), [files[1]])
		api.send(name=name, **base, attachments=[files[1]])
		frappe.set_user("Administrator")
		self.flush()
		names = [p.get_filename() for p in self.smtp.messages[0].message.iter_attachments()]
		self.assertEqual(names, [f"spec-1-{self.token}.txt"])

	def test_mail_the_server_refuses_ends_failed_in_the_mass_mailings_report(self):

		gone = self.customer_of(self.sales, f"left-the-company@{self.domain}")
		self.smtp.refuse.add(gone.primary_email)
		frappe.set_user(self.sales.user)
		mailing = frappe.get_doc(
			{
				"doctype": "ECRM Mass Mailing",
				"subject": f"News {self.token}",
				"content": "<p>News</p>",
				"email_account": self.account.name,
				"region": "Hamburg",
			}
		).insert()
		api.start_mailing(mailing.name)
		frappe.set_user("Administrator")
		for _attempt in range(5):  # Frappe retries a refused mail before it gives up (Error)
			for name in frappe.get_all(
				"Email Queue",
				filters={
					"email_account": self.account.name,
					"status": ("in", ("Not Sent", "Partially Sent")),
				},
				pluck="name",
			):
				try:
					EmailQueue.find(name).send()
				except Exception:
					pass
		self.assertEqual(len(self.smtp.to(self.customer.primary_email)), 1)
		self.assertEqual(self.smtp.to(gone.primary_email), [])
		frappe.set_user(self.sales.user)
		report = api.mailing_report(mailing.name)
		self.assertEqual(report["counts"], {"Sent": 1, "Failed": 1})
		self.assertEqual([f["customer"] for f in report["failed"]], [gone.name])
		self.assertIn("550", report["failed"][0]["error"])
		failed_mail = frappe.db.get_value(
			"ECRM Mail",
			{"mass_mailing": mailing.name, "reference_name": gone.name},
			["outbound_status", "send_error"],
			as_dict=True,
		)
		self.assertEqual(failed_mail.outbound_status, "Failed")

	def test_read_receipt_on_demand(self):
		frappe.set_user(self.sales.user)
		self.send(read_receipt=1, subject=f"With receipt {self.token}")
		self.send(subject=f"Without receipt {self.token}")
		frappe.set_user("Administrator")
		self.flush()
		by_subject = {d.message["Subject"]: d.message for d in self.smtp.messages}
		self.assertIn(self.address, by_subject[f"With receipt {self.token}"]["Disposition-Notification-To"])
		self.assertIsNone(by_subject[f"Without receipt {self.token}"]["Disposition-Notification-To"])

	def test_signature_and_mailbox_in_compose_defaults(self):
		frappe.db.set_value("User", self.sales.user, "email_signature", "<p>Li Na, Sales</p>")
		frappe.set_user(self.sales.user)
		defaults = api.compose_defaults("new", customer=self.customer.name)
		self.assertEqual(defaults["recipients"], self.customer.primary_email)
		self.assertIn("Li Na, Sales", defaults["signature"])
		self.assertIn(self.account.name, defaults["mailboxes"])
		self.assertIsNone(defaults["approver"])

	def test_scheduled_mail_waits_in_the_outbox_and_goes_when_due(self):
		frappe.set_user(self.sales.user)
		later = add_days(now_datetime(), 45)  # beyond Frappe's 30-day queue purge: held by the CRM
		result = self.send(send_after=str(later))
		self.assertEqual(result["status"], "Scheduled")
		frappe.set_user("Administrator")
		self.assertEqual(self.release_due(), 0)
		self.flush()
		self.assertEqual(self.smtp.messages, [])
		self.assertFalse(frappe.db.exists("Email Queue", {"email_account": self.account.name}))
		# still editable until then
		frappe.set_user(self.sales.user)
		api.save_draft(
			name=result["name"],
			subject=f"Changed {self.token}",
			recipients=self.customer.primary_email,
			customer=self.customer.name,
			email_account=self.account.name,
			content="<p>new</p>",
			send_after=str(later),
		)
		self.assertEqual(frappe.db.get_value("ECRM Mail", result["name"], "outbound_status"), "Scheduled")
		frappe.set_user("Administrator")
		self.assertEqual(self.release_due(now=add_to_date(later, minutes=-1)), 0)
		self.assertEqual(self.release_due(now=add_to_date(later, minutes=1)), 1)
		self.assertEqual(self.flush(), 1)
		self.assertEqual([d.message["Subject"] for d in self.smtp.messages], [f"Changed {self.token}"])
		self.assertEqual(frappe.db.get_value("ECRM Mail", result["name"], "outbound_status"), "Sent")

	def test_scheduled_mail_can_be_cancelled(self):
		frappe.set_user(self.sales.user)
		result = self.send(send_after=str(add_days(now_datetime(), 2)))
		self.assertEqual(api.cancel(result["name"]), "Cancelled")
		frappe.set_user("Administrator")
		self.assertEqual(self.release_due(now=add_days(now_datetime(), 3)), 0)
		self.flush()
		self.assertEqual(self.smtp.messages, [])

	def test_reply_threads_and_the_customers_answer_returns_to_the_thread(self):
		inbound_id = f"inq-{self.token}@buyer.example"
		raw = (
			f"From: Buyer <{self.customer.primary_email}>\r\nTo: {self.address}\r\nCc: colleague@{self.domain}\r\n"
			f"Subject: Inquiry {self.token}\r\nMessage-ID: <{inbound_id}>\r\nDate: {mail_date(hours=-2)}\r\n\r\nPlease quote.\r\n"
		).encode()
		inbound = receive_raw(raw, self.account)
		self.assertEqual(frappe.db.get_value("ECRM Mail", inbound, "reference_name"), self.customer.name)
		frappe.set_user(self.sales.user)
		defaults = api.compose_defaults("reply", mail=inbound)
		self.assertEqual((defaults["recipients"], defaults["cc"]), (self.customer.primary_email, ""))
		self.assertEqual(defaults["subject"], f"Re: Inquiry {self.token}")
		everyone = api.compose_defaults("reply_all", mail=inbound)
		self.assertEqual(everyone["cc"], f"colleague@{self.domain}")
		result = self.send(
			mode="reply",
			reply_to_mail=inbound,
			customer=None,
			subject=defaults["subject"],
			content=defaults["content"] + "<p>Price: 5 USD</p>",
		)
		frappe.set_user("Administrator")
		self.flush()
		sent = self.smtp.messages[0].message
		self.assertEqual(sent["In-Reply-To"], f"<{inbound_id}>")
		self.assertIn(f"<{inbound_id}>", sent["References"])
		sent_id = sent["Message-Id"].strip("<>")
		reply_row = frappe.get_doc("ECRM Mail", result["name"])
		self.assertEqual(reply_row.reference_name, self.customer.name)
		# the customer's answer to our reply: same customer, same thread
		answer = (
			f"From: Buyer <{self.customer.primary_email}>\r\nTo: {self.address}\r\nSubject: Re: Re: Inquiry {self.token}\r\n"
			f"Message-ID: <ans-{self.token}@buyer.example>\r\nIn-Reply-To: <{sent_id}>\r\nReferences: <{inbound_id}> <{sent_id}>\r\n"
			f"Date: {mail_date()}\r\n\r\nOK, order 500.\r\n"
		).encode()
		answered = frappe.get_doc("ECRM Mail", receive_raw(answer, self.account))
		self.assertEqual((answered.reference_name, answered.queue), (self.customer.name, "Known Pending"))
		self.assertEqual(
			frappe.db.get_value("Communication", answered.communication, "in_reply_to"),
			reply_row.communication,
		)

	def test_forward_as_attachment_and_forward_keep_the_original(self):
		raw = (
			f"From: {self.customer.primary_email}\r\nTo: {self.address}\r\nSubject: Drawing {self.token}\r\n"
			f"Message-ID: <fw-{self.token}@buyer.example>\r\nDate: {mail_date(hours=-2)}\r\n\r\nSee drawing.\r\n"
		).encode()
		inbound = receive_raw(raw, self.account)
		frappe.set_user(self.sales.user)
		defaults = api.compose_defaults("forward", mail=inbound)
		self.assertEqual(defaults["subject"], f"Fwd: Drawing {self.token}")
		self.assertIn("See drawing.", defaults["content"])
		result = api.send(
			mode="forward_attachment",
			reply_to_mail=inbound,
			recipients=f"factory@{self.domain}",
			subject=defaults["subject"],
			content="<p>FYI</p>",
			email_account=self.account.name,
		)
		frappe.set_user("Administrator")
		self.flush()
		message = self.smtp.messages[0].message
		attached = [
			part for part in message.iter_attachments() if part.get_content_type() == "message/rfc822"
		]
		self.assertEqual(len(attached), 1, [p.get_content_type() for p in message.iter_attachments()])
		self.assertIn(f"Drawing {self.token}", attached[0].as_string())
		self.assertEqual(
			frappe.db.get_value("ECRM Mail", result["name"], "compose_mode"), "Forward as Attachment"
		)


class TestBadInput(OutboundCase):
	def assertRefusedKeepingDraft(self, message_part, **values):
		frappe.set_user(self.sales.user)
		before = set(frappe.get_all("ECRM Mail", filters={"email_account": self.account.name}, pluck="name"))
		with self.assertRaises(frappe.ValidationError) as caught:
			self.send(**values)
		self.assertIn(message_part, str(caught.exception))
		after = frappe.get_all(
			"ECRM Mail",
			filters={"email_account": self.account.name},
			fields=["name", "outbound_status", "subject"],
		)
		new = [m for m in after if m.name not in before]
		self.assertEqual(len(new), 1)
		self.assertEqual(new[0].outbound_status, "Draft")
		frappe.set_user("Administrator")
		self.flush()
		self.assertEqual(self.smtp.messages, [])
		return frappe.get_doc("ECRM Mail", new[0].name)

	def test_unknown_customer(self):
		draft = self.assertRefusedKeepingDraft("does not exist", customer=f"NO-SUCH-{self.token}")
		self.assertEqual(draft.subject, f"Offer {self.token}")

	def test_invalid_addresses(self):
		draft = self.assertRefusedKeepingDraft(
			"not valid", recipients="buyer@", cc="ok@example.com, two words@x"
		)
		self.assertEqual(draft.recipients, "buyer@")

	def test_attachment_over_the_limit(self):
		limit = frappe.db.get_single_value("ECRM Settings", "attachment_size_limit_mb")
		self.addCleanup(self.restore_limit, limit)  # send() commits the draft, and with it this setting
		frappe.db.set_single_value("ECRM Settings", "attachment_size_limit_mb", 1)
		file = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": f"big-{self.token}.bin",
				"content": b"x" * (1024 * 1024 + 10),
				"is_private": 1,
			}
		).insert(ignore_permissions=True)
		self.made.append(("File", file.name))
		frappe.db.set_value("File", file.name, "owner", self.sales.user)
		draft = self.assertRefusedKeepingDraft("more than the limit", attachments=[file.file_url])
		self.assertTrue(
			frappe.db.exists("File", {"attached_to_doctype": "ECRM Mail", "attached_to_name": draft.name})
		)

	@staticmethod
	def restore_limit(limit):
		frappe.db.set_single_value("ECRM Settings", "attachment_size_limit_mb", limit)
		frappe.db.commit()

	def test_template_that_fails_to_render(self):
		template = frappe.get_doc(
			{
				"doctype": "Email Template",
				"name": f"_Test Broken {self.token}",
				"subject": "Hello",
				"response": "Dear {{ customer.customer_name }}",
			}
		).insert(ignore_permissions=True)
		self.made.append(("Email Template", template.name))
		frappe.db.set_value(
			"Email Template", template.name, "response", "Dear {{ customer.customer_name | no_such_filter }}"
		)
		draft = self.assertRefusedKeepingDraft(
			"cannot be filled in", email_template=template.name, content="", subject=""
		)
		self.assertEqual(draft.recipients, self.customer.primary_email)
		with self.assertRaises(frappe.ValidationError):
			api.render_template(template.name, self.customer.name)


class TestApproval(OutboundCase):
	def setUp(self):
		super().setUp()
		self.approver = make_user(roles=["ECRM Manager"])
		self.made.append(("User", self.approver))
		frappe.db.set_value("ECRM Employee", self.sales.name, "approver", self.approver)

	def test_submit_approve_and_send(self):
		frappe.set_user(self.sales.user)
		result = self.send()
		self.assertEqual(result["status"], "Pending Approval")
		with self.assertRaises(frappe.PermissionError):
			api.approve_mail(result["name"])  # nobody approves their own mail
		frappe.set_user(self.approver)
		self.assertIn(result["name"], [m.name for m in api.pending_for_me()])
		self.assertEqual(api.approve_mail(result["name"]), "Queued")
		frappe.set_user("Administrator")
		self.flush()
		self.assertEqual(len(self.smtp.messages), 1)
		self.assertEqual(frappe.db.get_value("ECRM Mail", result["name"], "approved_by"), self.approver)

	def test_reject_with_a_reason_the_author_sees(self):
		frappe.set_user(self.sales.user)
		result = self.send()
		frappe.set_user(self.approver)
		with self.assertRaises(frappe.ValidationError):
			api.reject_mail(result["name"], "")
		api.reject_mail(result["name"], "Price too low")
		frappe.set_user(self.sales.user)
		mail = frappe.get_doc("ECRM Mail", result["name"])
		self.assertEqual((mail.outbound_status, mail.rejection_reason), ("Rejected", "Price too low"))
		notes = frappe.get_all(
			"Notification Log",
			filters={"for_user": self.sales.user, "document_name": mail.name},
			pluck="email_content",
		)
		self.assertIn("Price too low", notes)
		frappe.set_user("Administrator")
		self.flush()
		self.assertEqual(self.smtp.messages, [])

	def test_no_route_bypasses_approval(self):
		frappe.set_user(self.sales.user)
		with self.assertRaises(ApprovalRequired):
			frappe_make(
				doctype="ECRM Customer",
				name=self.customer.name,
				content="hi",
				subject="bypass 1",
				recipients=self.customer.primary_email,
				sender=self.address,
				send_email=True,
			)
		with self.assertRaises(ApprovalRequired):
			frappe.sendmail(
				recipients=[self.customer.primary_email],
				sender=self.address,
				subject="bypass 2",
				message="hi",
			)
		with self.assertRaises(ApprovalRequired):
			frappe.sendmail(
				recipients=[self.customer.primary_email],
				sender=self.address,
				subject="bypass 3",
				message="hi",
				now=True,
			)
		from ent_crm.mail import mass_mail

		mailing = frappe.get_doc(
			{
				"doctype": "ECRM Mass Mailing",
				"subject": "bypass 4",
				"content": "hi",
				"email_account": self.account.name,
			}
		).insert()
		self.assertEqual(
			api.start_mailing(mailing.name), "Pending Approval"
		)  # a mass mailing is submitted too
		with self.assertRaises(ApprovalRequired):
			mass_mail.run(mailing.name)  # even the job itself, called directly, cannot send it
		# a scheduled mail is submitted too, and the scheduler releases only approved mail
		result = self.send(send_after=str(add_days(now_datetime(), 1)))
		self.assertEqual(result["status"], "Pending Approval")
		frappe.set_user("Administrator")
		self.assertEqual(self.release_due(now=add_days(now_datetime(), 2)), 0)
		self.flush()
		self.assertEqual(self.smtp.messages, [])
		# colleagues' own accounts still get Frappe's notifications
		frappe.set_user(self.sales.user)
		frappe.sendmail(
			recipients=[self.approver], subject="internal note", message="hi", sender=self.address
		)

	def test_an_approver_who_is_a_salesperson_sees_only_the_mail_to_approve(self):
		lead = self.salesperson()
		frappe.db.set_value("ECRM Employee", self.sales.name, "approver", lead.user)
		frappe.set_user(self.sales.user)
		result = self.send()
		self.assertEqual(result["status"], "Pending Approval")
		with self.set_user(lead.user):
			self.assertEqual([m.name for m in api.pending_for_me()], [result["name"]])
			queue = {"direction": "Outbound", "outbound_status": "Pending Approval", "approver": lead.user}
			self.assertEqual(
				frappe.get_list("ECRM Mail", filters=queue, pluck="name"), [result["name"]]
			)  # the list view
			self.assertTrue(frappe.has_permission("ECRM Mail", "read", doc=result["name"]))
			self.assertEqual(api.approve_mail(result["name"]), "Queued")
		other = self.salesperson()
		with self.set_user(other.user):
			self.assertEqual(api.pending_for_me(), [])
			self.assertFalse(frappe.has_permission("ECRM Mail", "read", doc=result["name"]))
		self.flush()
		self.assertEqual(len(self.smtp.to(self.customer.primary_email)), 1)

	def test_changing_an_approved_scheduled_mail_needs_a_new_approval(self):
		frappe.set_user(self.sales.user)
		when = add_days(now_datetime(), 1)
		result = self.send(send_after=str(when))
		frappe.set_user(self.approver)
		self.assertEqual(api.approve_mail(result["name"]), "Scheduled")
		frappe.set_user(self.sales.user)
		api.save_draft(
			name=result["name"],
			subject="Changed after approval",
			recipients=self.customer.primary_email,
			customer=self.customer.name,
			email_account=self.account.name,
			content="<p>other</p>",
			send_after=str(when),
		)
		self.assertEqual(frappe.db.get_value("ECRM Mail", result["name"], "outbound_status"), "Draft")
		frappe.set_user("Administrator")
		self.assertEqual(self.release_due(now=add_days(when, 1)), 0)
		self.flush()
		self.assertEqual(self.smtp.messages, [])

	def test_mass_mailing_is_approved_by_the_approver(self):

		second = self.customer_of(self.sales, f"second@{self.domain}")
		frappe.set_user(self.sales.user)
		mailing = frappe.get_doc(
			{
				"doctype": "ECRM Mass Mailing",
				"subject": f"Catalogue {self.token}",
				"content": "<p>Hi {{ customer.customer_name }}</p>",
				"email_account": self.account.name,
				"region": "Hamburg",
			}
		).insert()
		self.assertEqual(api.start_mailing(mailing.name), "Pending Approval")
		with self.assertRaises(frappe.PermissionError):
			api.approve_mailing(mailing.name)
		frappe.set_user(self.approver)
		api.approve_mailing(mailing.name)  # the job runs inline under tests, for the author's customers
		frappe.set_user("Administrator")
		self.assertEqual(self.flush(), 2)
		self.assertEqual(
			sorted(r for d in self.smtp.messages for r in d.rcpt_tos),
			sorted([self.customer.primary_email, second.primary_email]),
		)
		mailing.reload()
		self.assertEqual((mailing.status, mailing.sent, mailing.approved_by), ("Completed", 2, self.approver))

	def test_approved_scheduled_mail_goes_when_due(self):
		frappe.set_user(self.sales.user)
		when = add_days(now_datetime(), 1)
		result = self.send(send_after=str(when))
		frappe.set_user(self.approver)
		self.assertEqual(api.approve_mail(result["name"]), "Scheduled")
		frappe.set_user("Administrator")
		self.assertEqual(self.release_due(now=add_to_date(when, minutes=1)), 1)
		self.flush()
		self.assertEqual(len(self.smtp.messages), 1)


class TestPersonalTemplatesAndPhrases(EntCRMTestCase):
	def test_each_user_sees_only_their_own(self):
		a, b = make_salesperson(), make_salesperson()
		token = random_string(6)
		company = frappe.get_doc(
			{
				"doctype": "Email Template",
				"name": f"_Test Company {token}",
				"subject": "Offer",
				"response": "Dear {{ customer.customer_name }}",
			}
		).insert(ignore_permissions=True)
		with self.set_user(a.user):
			mine = api.save_personal_template(f"_Test Mine {token}", "Hi", "<p>my words</p>")
			phrase = frappe.get_doc(
				{"doctype": "ECRM Stock Phrase", "title": "Lead time", "phrase": "30 days"}
			).insert()
			offered = api.phrases_and_templates()
			self.assertIn(mine, [t.name for t in offered["templates"]])
			self.assertIn(company.name, [t.name for t in offered["templates"]])
			self.assertIn(phrase.name, [p.name for p in offered["phrases"]])
		with self.set_user(b.user):
			offered = api.phrases_and_templates()
			self.assertNotIn(mine, [t.name for t in offered["templates"]])
			self.assertIn(company.name, [t.name for t in offered["templates"]])
			self.assertNotIn(phrase.name, [p.name for p in offered["phrases"]])
			with self.assertRaises(frappe.PermissionError):
				api.render_template(mine)
			with self.assertRaises(frappe.ValidationError):
				api.save_personal_template(mine, "Hijack", "<p>x</p>")  # someone else's name
			with self.assertRaises(frappe.PermissionError):
				api.delete_personal_template(mine)
		with self.set_user(a.user):
			self.assertEqual(api.render_template(mine)["content"], "<p>my words</p>")


class TestRights(EntCRMTestCase):
	def test_a_user_without_crm_roles_cannot_write_mail(self):
		nobody = make_user()
		with self.set_user(nobody):
			with self.assertRaises(frappe.PermissionError):
				api.save_draft(recipients="a@example.com", subject="x")
			with self.assertRaises(frappe.PermissionError):
				api.send(recipients="a@example.com", subject="x", content="y")

	def test_a_salesperson_cannot_write_to_another_salespersons_customer(self):
		a, b = make_salesperson(), make_salesperson()
		theirs = make_customer([b.name], primary_email=f"x@{random_string(6).lower()}.example.com")
		with self.set_user(a.user):
			with self.assertRaises(frappe.PermissionError):
				api.compose_defaults("new", customer=theirs.name)
			with self.assertRaises(frappe.PermissionError):
				api.save_draft(customer=theirs.name, recipients=theirs.primary_email, subject="x")


class TestDemoOutbound(EntCRMTestCase):
	def test_demo_has_sent_scheduled_and_pending_mail(self):
		from ent_crm.setup.demo import make_demo

		make_demo()
		rows = frappe.get_all(
			"ECRM Mail",
			filters={"direction": "Outbound", "compose_mode": "New Mail"},
			fields=["outbound_status", "owner", "communication"],
		)
		statuses = {r.outbound_status for r in rows}
		self.assertTrue({"Sent", "Scheduled", "Pending Approval"} <= statuses, statuses)
		self.assertTrue(all(r.communication for r in rows if r.outbound_status == "Sent"))
		sales2 = frappe.db.get_value("User", {"username": "sales2"}) or "sales2@ent-crm.example"
		frappe.set_user(sales2)
		mine = frappe.get_list(
			"ECRM Mail", filters={"direction": "Outbound", "outbound_status": "Sent"}, pluck="owner"
		)
		self.assertTrue(mine)
