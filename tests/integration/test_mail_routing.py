"""Inbound routing (D1–D9): every mail lands in exactly one place, once, decided by its From address."""

import threading

import frappe
from frappe.utils import random_string

from ent_crm.core.roles import MAIL_ADMIN, MANAGER, PERSONAL_MAIL_READER
from ent_crm.mail import api
from ent_crm.mail.inbound import receive_raw
from ent_crm.mail.receiving import create_mailbox
from tests.support import EntCRMTestCase
from tests.support.factories import mail_date, make_customer, make_salesperson, make_user


def make_mailbox(kind="System Mailbox", employee=None):
	return frappe.get_doc(
		"Email Account", create_mailbox(f"mailbox-{random_string(6).lower()}@company.example", kind, employee)
	)


def raw_mail(sender, subject="Inquiry", message_id=True, extra=b"", body=b"Please quote 500 pcs."):
	header = f"From: Buyer <{sender}>\r\nTo: sales@company.example\r\nSubject: {subject}\r\n".encode()
	if message_id:
		header += f"Message-ID: <{random_string(12)}@example.net>\r\n".encode()
	return header + f"Date: {mail_date()}\r\n".encode() + extra + b"\r\n" + body + b"\r\n"


class TestMailRouting(EntCRMTestCase):
	def setUp(self):
		super().setUp()
		self.box = make_mailbox()
		self.a = make_salesperson(employee_name="甲")
		self.b = make_salesperson(employee_name="乙")
		self.domain = f"{random_string(6).lower()}.example.com"
		self.customer = make_customer(
			[self.a.name],
			primary_email=f"buyer@{self.domain}",
			contacts=[{"contact_name": "Hans Müller", "email": f"hans@{self.domain}"}],
		)

	def route(self, raw, box=None):
		name = receive_raw(raw, box or self.box)
		self.assertIsNotNone(name, frappe.get_all("ECRM Mail Failure", fields=["reason"], limit=1))
		return frappe.get_doc("ECRM Mail", name)

	def test_known_sender_goes_to_the_owners_known_queue_and_the_timeline(self):
		mail = self.route(raw_mail(f"Hans@{self.domain.upper()}"))
		self.assertEqual(
			(mail.queue, mail.reference_name, mail.contact_name),
			("Known Pending", self.customer.name, "Hans Müller"),
		)
		self.assertEqual(mail.reference_title, self.customer.customer_name)
		links = frappe.get_all(
			"Communication Link", filters={"parent": mail.communication}, fields=["link_doctype", "link_name"]
		)
		self.assertIn({"link_doctype": "ECRM Customer", "link_name": self.customer.name}, links)
		with self.set_user(self.a.user):
			self.assertIn(mail.name, frappe.get_list("ECRM Mail", pluck="name"))
		with self.set_user(self.b.user):
			self.assertNotIn(mail.name, frappe.get_list("ECRM Mail", pluck="name"))
			with self.assertRaises(frappe.PermissionError):
				frappe.get_doc("ECRM Mail", mail.name).check_permission("read")

	def test_routes_on_from_not_reply_to(self):
		mail = self.route(
			raw_mail(f"buyer@{self.domain}", extra=b"Reply-To: someone@elsewhere.example.org\r\n")
		)
		self.assertEqual((mail.sender, mail.reference_name), (f"buyer@{self.domain}", self.customer.name))
		self.assertEqual(frappe.db.count("Contact", {"email_id": "someone@elsewhere.example.org"}), 0)

	def test_pending_mail_follows_the_customer_to_its_new_owner(self):
		mail = self.route(raw_mail(f"buyer@{self.domain}"))
		self.customer.reload()
		self.customer.set("owners", [{"employee": self.b.name}])
		self.customer.save()
		with self.set_user(self.b.user):
			self.assertIn(mail.name, frappe.get_list("ECRM Mail", pluck="name"))
		with self.set_user(self.a.user):
			self.assertNotIn(mail.name, frappe.get_list("ECRM Mail", pluck="name"))

	def test_unknown_sender_waits_unassigned_with_a_domain_suggestion(self):
		mail = self.route(raw_mail(f"newbuyer@{self.domain}"))
		self.assertEqual((mail.queue, mail.suggested_customer), ("Unassigned", self.customer.name))
		free = self.route(raw_mail(f"someone{random_string(5)}@gmail.com"))
		self.assertEqual((free.queue, free.suggested_customer), ("Unassigned", None))
		with self.set_user(self.a.user):
			self.assertNotIn(mail.name, frappe.get_list("ECRM Mail", pluck="name"))
		with self.set_user(make_user(roles=[MAIL_ADMIN])):
			self.assertIn(mail.name, frappe.get_list("ECRM Mail", pluck="name"))

	def test_routing_rule_sends_a_stranger_to_one_salesperson(self):
		stranger = f"stranger@{random_string(6).lower()}.example.org"
		frappe.get_doc(
			{"doctype": "ECRM Routing Rule", "address": stranger.upper(), "employee": self.b.name}
		).insert()
		mail = self.route(raw_mail(stranger))
		self.assertEqual(
			(mail.queue, mail.assigned_employee, mail.assigned_user),
			("Stranger Pending", self.b.name, self.b.user),
		)
		with self.set_user(self.b.user):
			self.assertIn(mail.name, frappe.get_list("ECRM Mail", pluck="name"))
		with self.set_user(self.a.user):
			self.assertNotIn(mail.name, frappe.get_list("ECRM Mail", pluck="name"))

	def test_blocked_address_and_domain_go_to_the_recycle_bin(self):
		spam_domain = f"{random_string(6).lower()}.example.biz"
		frappe.get_doc({"doctype": "ECRM Blocked Sender", "sender": f"@{spam_domain.upper()}"}).insert()
		frappe.get_doc({"doctype": "ECRM Blocked Sender", "sender": f"buyer@{self.domain}"}).insert()
		self.assertEqual(self.route(raw_mail(f"x@{spam_domain}")).queue, "Recycle Bin")
		self.assertEqual(self.route(raw_mail(f"buyer@{self.domain}")).queue, "Recycle Bin")
		self.assertEqual(
			frappe.db.get_value("ECRM Blocked Sender", spam_domain, "block_kind"), "Whole Domain"
		)

	def test_the_same_mail_twice_is_routed_once(self):
		raw = raw_mail(f"buyer@{self.domain}")
		first = receive_raw(raw, self.box)
		self.assertEqual(receive_raw(raw, self.box), first)
		no_id = raw_mail(f"buyer@{self.domain}", message_id=False)
		self.assertEqual(receive_raw(no_id, self.box), receive_raw(no_id, self.box))
		self.assertEqual(frappe.db.count("ECRM Mail", {"sender": f"buyer@{self.domain}"}), 2)

	def test_personal_mailbox_mail_stays_with_its_salesperson(self):
		box = make_mailbox("Personal Mailbox", self.b.name)
		known = self.route(raw_mail(f"buyer@{self.domain}"), box)
		stranger = self.route(raw_mail(f"x@{random_string(6).lower()}.example.org"), box)
		self.assertEqual(
			(known.queue, known.assigned_employee, known.is_personal), ("Known Pending", self.b.name, 1)
		)
		self.assertEqual((stranger.queue, stranger.assigned_employee), ("Stranger Pending", self.b.name))
		with self.set_user(self.a.user):  # owns the customer, but this is b's personal mail
			self.assertNotIn(known.name, frappe.get_list("ECRM Mail", pluck="name"))
		with self.set_user(make_user(profile=MANAGER)):
			self.assertIn(known.name, frappe.get_list("ECRM Mail", pluck="name"))
		with self.set_user(make_user(roles=[MAIL_ADMIN])):
			self.assertNotIn(known.name, frappe.get_list("ECRM Mail", pluck="name"))
		with self.set_user(make_user(roles=[PERSONAL_MAIL_READER])):
			self.assertIn(known.name, frappe.get_list("ECRM Mail", pluck="name"))

	def test_auto_replies_and_bounces_are_recognised(self):
		auto = self.route(raw_mail(f"buyer@{self.domain}", extra=b"Auto-Submitted: auto-replied\r\n"))
		self.assertEqual((auto.is_auto_reply, auto.queue), (1, "Known Pending"))
		bounce = self.route(
			raw_mail(f"mailer-daemon@{random_string(5)}.example.net", subject="Undelivered Mail")
		)
		self.assertEqual(bounce.is_bounce, 1)

	def test_mail_without_from_waits_for_a_person(self):
		raw = (
			b"To: sales@company.example\r\nSubject: who am I\r\nMessage-ID: <"
			+ random_string(10).encode()
			+ b"@x>\r\n\r\nbody\r\n"
		)
		mail = self.route(raw)
		self.assertEqual((mail.queue, mail.sender), ("Unassigned", None))

	def test_long_but_valid_addresses_are_routed(self):
		sender = "a" * 64 + "@" + "b" * 60 + "." + "c" * 60 + ".example.com"
		self.assertEqual(self.route(raw_mail(sender)).sender, sender)

	def test_a_rule_to_someone_who_left_leaves_the_mail_unassigned(self):
		stranger = f"lost@{random_string(6).lower()}.example.org"
		frappe.get_doc(
			{"doctype": "ECRM Routing Rule", "address": stranger, "employee": self.b.name}
		).insert()
		frappe.db.set_value("ECRM Employee", self.b.name, "status", "Left Company")
		mail = self.route(raw_mail(stranger))
		self.assertEqual((mail.queue, mail.assigned_employee), ("Unassigned", None))

	def test_an_absurdly_long_message_id_is_still_one_key(self):
		raw = raw_mail(
			f"buyer@{self.domain}",
			message_id=False,
			extra=b"Message-ID: <" + b"x" * 600 + b"@example.net>\r\n",
		)
		first = receive_raw(raw, self.box)
		self.assertIsNotNone(first)
		self.assertEqual(receive_raw(raw, self.box), first)


class TestMailFailures(EntCRMTestCase):
	"""A mail that cannot be stored right now (here: another puller holds its key) is kept whole in the
	failure queue, and a mail admin processes it again once the cause has passed."""

	def test_kept_whole_then_processed_again(self):
		from ent_crm.mail.headers import dedup_key, parse

		box = make_mailbox()
		raw = raw_mail(f"x@{random_string(6).lower()}.example.org", subject="=?UTF-8?B?5oql5Lu3?=")
		key = dedup_key(parse(raw), raw)
		site, sites_path = frappe.local.site, frappe.local.sites_path
		holding, release = threading.Event(), threading.Event()

		def other_puller():
			frappe.init(site=site, sites_path=sites_path)
			frappe.connect()
			try:
				frappe.db.sql(
					"insert into `tabECRM Mail` (name, dedup_key, creation, modified) values (%s, %s, now(), now())",
					(random_string(10), key),
				)
				holding.set()
				release.wait(30)
				frappe.db.rollback()
			finally:
				frappe.destroy()

		thread = threading.Thread(target=other_puller)
		thread.start()
		try:
			self.assertTrue(holding.wait(30))
			frappe.db.sql("set session innodb_lock_wait_timeout = 1")
			self.assertIsNone(receive_raw(raw, box))
		finally:
			release.set()
			thread.join(30)
			frappe.db.sql("set session innodb_lock_wait_timeout = 50")
		failure = frappe.get_last_doc("ECRM Mail Failure")
		self.assertEqual((failure.status, failure.subject, failure.dedup_key), ("To Process", "报价", key))
		self.assertIn("Lock wait timeout", failure.reason)
		with open(frappe.get_site_path(failure.raw_file.lstrip("/")), "rb") as f:
			self.assertEqual(f.read(), raw)
		self.assertIsNone(receive_raw(raw, box))  # waiting in the failure queue, not queued twice
		self.assertEqual(frappe.db.count("ECRM Mail Failure", {"dedup_key": key}), 1)
		with self.set_user(make_user(roles=[MAIL_ADMIN])):
			mail = api.process_again(failure.name)
		self.assertEqual(frappe.db.get_value("ECRM Mail", mail, "queue"), "Unassigned")
		self.assertEqual(
			frappe.db.get_value("ECRM Mail Failure", failure.name, ["status", "mail"]), ("Processed", mail)
		)
		with self.set_user(make_user()), self.assertRaises(frappe.PermissionError):
			api.process_again(failure.name)


class TestImportRoutesLikeLiveMail(EntCRMTestCase):
	"""C5: an imported mail is routed exactly like live mail. Two copies of the same mail (two Message-IDs,
	so that neither is a duplicate of the other), one received live and one imported as .eml, must land in
	the same queue, on the same record, with the same suggestion and salesperson. These are the cases in
	which the import used to read its own lookups and decide otherwise."""

	def setUp(self):
		super().setUp()
		self.box = make_mailbox()
		self.a = make_salesperson(employee_name="Import A")
		self.domain = f"{random_string(6).lower()}.example.com"

	def both_ways(self, sender: str) -> tuple[tuple, tuple]:
		from ent_crm.mail.importer import import_messages

		subject = f"Inquiry {random_string(8)}"
		live = receive_raw(raw_mail(sender, subject=subject), self.box)
		self.assertIsNotNone(live)
		counts = import_messages([("copy.eml", raw_mail(sender, subject=f"{subject} copy"))], self.box)
		self.assertEqual(counts["imported"], 1, counts)
		imported = frappe.db.get_value("ECRM Mail", {"subject": f"{subject} copy"}, "name")
		fields = ["queue", "reference_doctype", "reference_name", "suggested_customer", "assigned_employee"]
		return (
			tuple(frappe.db.get_value("ECRM Mail", live, fields)),
			tuple(frappe.db.get_value("ECRM Mail", imported, fields)),
		)

	def test_a_domain_shared_by_three_customers_suggests_none_of_them(self):
		make_customer([self.a.name], primary_email=f"b@{self.domain}")
		make_customer([self.a.name], primary_email=f"c@{self.domain}")
		# the newest customer has several addresses at the domain: a lookup that reads only a few rows of
		# the domain (the first or the newest) sees one customer there and would suggest it
		make_customer(
			[self.a.name],
			primary_email=f"a1@{self.domain}",
			contacts=[
				{"contact_name": "A Two", "email": f"a2@{self.domain}"},
				{"contact_name": "A Three", "email": f"a3@{self.domain}"},
			],
		)
		live, imported = self.both_ways(f"newcomer@{self.domain}")
		self.assertEqual(live, ("Unassigned", None, None, None, None))
		self.assertEqual(imported, live)

	def test_a_domain_of_one_customer_suggests_it_both_ways(self):
		customer = make_customer(
			[self.a.name],
			primary_email=f"a1@{self.domain}",
			contacts=[{"contact_name": "A Two", "email": f"a2@{self.domain}"}],
		)
		live, imported = self.both_ways(f"newcomer@{self.domain}")
		self.assertEqual(live, ("Unassigned", None, None, customer.name, None))
		self.assertEqual(imported, live)

	def test_a_rule_to_someone_who_left_is_ignored_both_ways(self):
		stranger = f"lost@{random_string(6).lower()}.example.org"
		frappe.get_doc(
			{"doctype": "ECRM Routing Rule", "address": stranger, "employee": self.a.name}
		).insert()
		frappe.db.set_value("ECRM Employee", self.a.name, "status", "Left Company")
		live, imported = self.both_ways(stranger)
		self.assertEqual(live, ("Unassigned", None, None, None, None))
		self.assertEqual(imported, live)

	def test_a_known_address_goes_to_its_record_both_ways(self):
		customer = make_customer([self.a.name], primary_email=f"buyer@{self.domain}")
		live, imported = self.both_ways(f"buyer@{self.domain}")
		self.assertEqual(live, ("Known Pending", "ECRM Customer", customer.name, None, None))
		self.assertEqual(imported, live)
