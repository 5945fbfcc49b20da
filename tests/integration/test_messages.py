"""Internal messages (J1, J2): who receives, attachments, limits, receipts, reading rights, retention."""

import base64

import frappe
from frappe.utils import add_to_date, now_datetime, random_string

from ent_crm.mail import api as mail_api
from ent_crm.messages import api, delivery, limits, reading, recipients, retention, sending
from tests.support import EntCRMTestCase
from tests.support.factories import make_user

MB = 1024 * 1024


def attachment(size: int, name: str = "offer.pdf") -> dict:
	return {"filename": name, "content": base64.b64encode(b"x" * size).decode()}


def start_session(user: str, minutes_ago: float = 1, status: str = "Active") -> str:
	"""A row in Frappe's Sessions table, as a login leaves it (last activity `minutes_ago`)."""
	sid = random_string(20)
	frappe.db.sql(
		"insert into `tabSessions` (user, sid, sessiondata, lastupdate, status) values (%s, %s, '{}', %s, %s)",
		(user, sid, add_to_date(now_datetime(), minutes=-minutes_ago), status),
	)
	return sid


def recipients_of(name: str) -> set[str]:
	return set(frappe.get_all("ECRM Message Recipient", filters={"parent": name}, pluck="user"))


class TestMessageRecipients(EntCRMTestCase):
	def setUp(self):
		super().setUp()
		self.sender = make_user(roles=["ECRM Salesperson"])
		self.a, self.b, self.c, self.d = (make_user(roles=["ECRM Salesperson"]) for _ in range(4))

	def send(self, **kw):
		kw.setdefault("subject", "Meeting")
		kw.setdefault("body", "Sales meeting at 3 pm in room 2.")
		with self.set_user(self.sender):
			return api.send_message(**kw)

	def test_chosen_people_receive_it_and_nobody_else(self):
		name = self.send(recipients=[self.a, self.b])
		self.assertEqual(recipients_of(name), {self.a, self.b})
		for user in (self.a, self.b):
			with self.set_user(user):
				self.assertIn(name, [m.name for m in api.inbox()])
		with self.set_user(self.c):
			self.assertNotIn(name, [m.name for m in api.inbox()])

	def test_comma_separated_choice_and_unknown_people(self):
		name = self.send(recipients=f"{self.a}, {self.b}")
		self.assertEqual(recipients_of(name), {self.a, self.b})
		with self.assertRaises(frappe.ValidationError) as caught:
			self.send(recipients=[self.a, "nobody-here@example.com"])
		self.assertIn("nobody-here@example.com", str(caught.exception))
		with self.assertRaises(frappe.ValidationError):
			self.send(recipients=[])

	def test_online_broadcast_reaches_only_people_online(self):
		from ent_crm.admin.sessions import idle_minutes

		start_session(self.a, minutes_ago=1)
		start_session(self.b, minutes_ago=idle_minutes() - 5)  # active within the idle time
		start_session(self.c, minutes_ago=idle_minutes() + 60)  # left the browser long ago
		start_session(self.sender, minutes_ago=1)  # the sender is online too, but does not message themself
		# d never logged in
		online = set(recipients.online_users())
		self.assertTrue({self.a, self.b, self.sender} <= online)
		self.assertFalse({self.c, self.d} & online)

		name = self.send(audience=recipients.ONLINE)
		got = recipients_of(name)
		self.assertEqual(got, online - {self.sender})
		self.assertTrue({self.a, self.b} <= got)
		self.assertFalse({self.c, self.d, self.sender} & got)

	def test_logged_out_or_disabled_users_are_not_online(self):
		sid = start_session(self.a)
		start_session(self.b)
		frappe.db.set_value("User", self.b, "enabled", 0)
		frappe.db.sql("delete from `tabSessions` where sid=%s", sid)  # what logging out does
		online = set(recipients.online_users())
		self.assertNotIn(self.a, online)
		self.assertNotIn(self.b, online)

	def test_everyone_is_every_enabled_desk_user_but_the_sender(self):
		disabled = make_user(roles=["ECRM Salesperson"], enabled=0)
		website = make_user(user_type="Website User")
		name = self.send(audience=recipients.EVERYONE)
		expected = set(
			frappe.get_all("User", filters={"enabled": 1, "user_type": "System User"}, pluck="name")
		)
		got = recipients_of(name)
		self.assertEqual(got, expected - {self.sender})
		self.assertTrue({self.a, self.b, self.c, self.d} <= got)
		self.assertFalse({disabled, website, "Guest", self.sender} & got)

	def test_administrators_are_system_and_crm_managers(self):
		system_manager = make_user(roles=["System Manager"])
		crm_manager = make_user(roles=["ECRM Manager"])
		name = self.send(audience=recipients.ADMINISTRATORS)
		got = recipients_of(name)
		self.assertTrue({system_manager, crm_manager} <= got)
		self.assertFalse({self.a, self.b, self.c, self.d} & got)
		for user in got:
			roles = set(frappe.get_roles(user))
			self.assertTrue(roles & {"System Manager", "ECRM Manager"}, user)

	def test_a_user_group(self):
		group = frappe.get_doc(
			{
				"doctype": "User Group",
				"name": "_Test Team " + random_string(6),
				"user_group_members": [{"user": self.a}, {"user": self.c}],
			}
		).insert(ignore_permissions=True)
		name = self.send(audience=recipients.GROUP, user_group=group.name)
		self.assertEqual(recipients_of(name), {self.a, self.c})
		self.assertEqual(frappe.db.get_value("ECRM Message", name, "user_group"), group.name)

	def test_only_desk_users_send(self):
		website = make_user(user_type="Website User")
		with self.set_user(website), self.assertRaises(frappe.PermissionError):
			api.send_message(subject="Hi", body="Hello", recipients=[self.a])
		with self.set_user("Guest"), self.assertRaises(frappe.PermissionError):
			api.inbox()


class TestMessageContent(EntCRMTestCase):
	def setUp(self):
		super().setUp()
		self.sender = make_user(roles=["ECRM Salesperson"])
		self.a, self.b, self.outsider = (make_user(roles=["ECRM Salesperson"]) for _ in range(3))

	def send(self, **kw):
		kw.setdefault("subject", "Price list")
		kw.setdefault("body", "The new price list is attached.")
		kw.setdefault("recipients", [self.a, self.b])
		with self.set_user(self.sender):
			return api.send_message(**kw)

	def test_a_6_mb_file_is_refused_with_a_clear_message_and_nothing_is_sent(self):
		before = frappe.db.count("ECRM Message")
		with self.assertRaises(frappe.ValidationError) as caught:
			self.send(attachment=attachment(6 * MB, "catalogue.zip"))
		text = str(caught.exception)
		self.assertIn("catalogue.zip", text)
		self.assertIn("5 MB", text)
		self.assertIn("6.0 MB", text)
		self.assertEqual(frappe.db.count("ECRM Message"), before)
		self.assertFalse(
			frappe.db.exists("File", {"file_name": "catalogue.zip", "attached_to_doctype": "ECRM Message"})
		)

	def test_a_file_up_to_5_mb_travels_privately_to_the_recipients(self):
		name = self.send(attachment=attachment(5 * MB, "offer.pdf"))
		file = frappe.get_doc("File", {"attached_to_doctype": "ECRM Message", "attached_to_name": name})
		self.assertEqual((file.file_name, file.file_size, file.is_private), ("offer.pdf", 5 * MB, 1))
		self.assertEqual(frappe.db.get_value("ECRM Message", name, "attachment"), file.file_url)
		for user in (self.a, self.b, self.sender):
			with self.set_user(user):
				self.assertTrue(file.is_downloadable(), user)
		with self.set_user(self.outsider):
			self.assertFalse(file.is_downloadable())

	def test_length_limit_from_settings(self):
		limit = limits.max_length()
		self.assertEqual(limit, 2000)
		name = self.send(body="字" * limit)
		self.assertEqual(len(frappe.db.get_value("ECRM Message", name, "body")), limit)
		with self.assertRaises(frappe.ValidationError) as caught:
			self.send(body="字" * (limit + 1))
		self.assertIn(str(limit + 1), str(caught.exception))
		frappe.db.set_single_value("ECRM Settings", "message_max_length", 10)
		with self.assertRaises(frappe.ValidationError):
			self.send(body="eleven char")

	def test_at_least_one_way_of_delivery(self):
		with self.assertRaises(frappe.ValidationError):
			self.send(deliver_in_system=0, deliver_by_email=0)

	def test_by_email_through_the_email_queue(self):
		account = frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": "_Test Messages " + random_string(6),
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
		name = self.send(deliver_in_system=0, deliver_by_email=1, attachment=attachment(1000, "note.txt"))
		queue = frappe.get_all(
			"Email Queue",
			filters={"reference_doctype": "ECRM Message", "reference_name": name},
			fields=["name", "message", "sender", "attachments"],
		)
		self.assertEqual(len(queue), 1)
		self.assertIn(account.email_id, queue[0].sender)
		to = set(
			frappe.get_all("Email Queue Recipient", filters={"parent": queue[0].name}, pluck="recipient")
		)
		self.assertEqual(to, {self.a, self.b})  # the users' e-mail addresses (their names here)
		file = frappe.db.get_value("File", {"attached_to_doctype": "ECRM Message", "attached_to_name": name})
		self.assertIn(file, queue[0].attachments)  # Frappe attaches the stored file when it sends
		self.assertEqual(
			set(
				frappe.get_all("ECRM Message Recipient", filters={"parent": name, "emailed": 1}, pluck="user")
			),
			{self.a, self.b},
		)

	def test_by_email_without_an_outgoing_mailbox_is_refused(self):
		if delivery.outgoing_available():
			self.skipTest("this site has an outgoing mailbox")
		with self.assertRaises(frappe.ValidationError):
			self.send(deliver_by_email=1)


class TestReadingAndReceipts(EntCRMTestCase):
	def setUp(self):
		super().setUp()
		self.sender = make_user(roles=["ECRM Salesperson"])
		self.a, self.b, self.outsider = (make_user(roles=["ECRM Salesperson"]) for _ in range(3))

	def send(self, **kw):
		with self.set_user(self.sender):
			return api.send_message(
				subject="Stock count",
				body="Please confirm the stock count.",
				recipients=[self.a, self.b],
				**kw,
			)

	def test_a_user_reads_only_their_own_messages(self):
		name = self.send()
		with self.set_user(self.outsider):
			with self.assertRaises(frappe.PermissionError):
				api.get_message(name)
			self.assertNotIn(name, frappe.get_list("ECRM Message", pluck="name"))
			self.assertFalse(frappe.has_permission("ECRM Message", "read", doc=name))
			with self.assertRaises(frappe.PermissionError):
				api.confirm_receipt(name)
			self.assertEqual(api.delete_messages([name]), 0)
		for user in (self.a, self.sender):
			with self.set_user(user):
				self.assertEqual(api.get_message(name)["subject"], "Stock count")
				self.assertIn(name, frappe.get_list("ECRM Message", pluck="name"))
				self.assertTrue(frappe.has_permission("ECRM Message", "read", doc=name))
				self.assertFalse(frappe.has_permission("ECRM Message", "write", doc=name))

	def test_reading_marks_read_and_leaves_the_unread_list(self):
		name = self.send()
		with self.set_user(self.a):
			self.assertIn(name, [m.name for m in api.unread()])
			self.assertTrue(api.get_message(name)["read_on"])
			self.assertNotIn(name, [m.name for m in api.unread()])
		with self.set_user(self.b):
			self.assertIn(name, [m.name for m in api.unread()])
			self.assertEqual(api.mark_read([name]), 1)
			self.assertNotIn(name, [m.name for m in api.unread()])
		with self.set_user(self.sender):
			[row] = [m for m in api.sent() if m.name == name]
			self.assertEqual((row.recipient_count, row.read_count, row.receipt_count), (2, 2, 0))

	def test_receipt_with_one_click(self):
		name = self.send(request_receipt=1)
		with self.set_user(self.a):
			self.assertTrue(api.confirm_receipt(name))
		with self.set_user(self.sender):
			status = {r["user"]: r for r in api.get_message(name)["recipients"]}
			self.assertTrue(status[self.a]["receipt_on"])
			self.assertTrue(status[self.a]["read_on"])
			self.assertIsNone(status[self.b]["receipt_on"])
			[row] = [m for m in api.sent() if m.name == name]
			self.assertEqual(row.receipt_count, 1)

	def test_no_receipt_when_none_was_asked(self):
		name = self.send()
		with self.set_user(self.a), self.assertRaises(frappe.ValidationError):
			api.confirm_receipt(name)

	def test_delete_is_for_me_only_and_the_last_one_removes_the_message(self):
		name = self.send(attachment=attachment(100, "list.csv"))
		with self.set_user(self.a):
			self.assertEqual(api.delete_messages([name]), 1)
			self.assertNotIn(name, [m.name for m in api.inbox()])
			with self.assertRaises(frappe.PermissionError):
				api.get_message(name)
		with self.set_user(self.b):
			self.assertIn(name, [m.name for m in api.inbox()])
		with self.set_user(self.sender):
			self.assertEqual(api.delete_messages([name], box="sent"), 1)
			self.assertNotIn(name, [m.name for m in api.sent()])
		self.assertTrue(frappe.db.exists("ECRM Message", name))  # b keeps it
		with self.set_user(self.b):
			api.delete_messages(name)
		self.assertFalse(frappe.db.exists("ECRM Message", name))
		self.assertFalse(
			frappe.db.exists("File", {"attached_to_doctype": "ECRM Message", "attached_to_name": name})
		)


class TestRetentionAndSystemMessages(EntCRMTestCase):
	def setUp(self):
		super().setUp()
		self.sender = make_user(roles=["ECRM Salesperson"])
		self.a = make_user(roles=["ECRM Salesperson"])

	def send(self, days_ago: float, **kw) -> str:
		with self.set_user(self.sender):
			name = api.send_message(subject=f"{days_ago} days", body="old news", recipients=[self.a], **kw)
		frappe.db.set_value("ECRM Message", name, "sent_on", add_to_date(now_datetime(), days=-days_ago))
		return name

	def test_retention_removes_exactly_the_old_messages(self):
		frappe.db.set_single_value("ECRM Settings", "message_retention_days", 7)
		old = [self.send(7.1), self.send(30, attachment=attachment(10, "old.txt"))]
		kept = [self.send(6.9), self.send(0)]
		retention.purge_old_messages()
		self.assertEqual([n for n in old + kept if frappe.db.exists("ECRM Message", n)], kept)
		self.assertFalse(
			frappe.db.exists("File", {"attached_to_doctype": "ECRM Message", "attached_to_name": old[1]})
		)
		self.assertFalse(frappe.db.exists("ECRM Message Recipient", {"parent": ("in", old)}))

	def test_the_retention_setting_is_read(self):
		frappe.db.set_single_value("ECRM Settings", "message_retention_days", 2)
		three_days, one_day = self.send(3), self.send(1)
		retention.purge_old_messages()
		self.assertFalse(frappe.db.exists("ECRM Message", three_days))
		self.assertTrue(frappe.db.exists("ECRM Message", one_day))

	def test_the_daily_job_is_scheduled(self):
		self.assertIn(
			"ent_crm.messages.retention.purge_old_messages", frappe.get_hooks("scheduler_events")["daily"]
		)

	def test_system_message_from_code(self):
		disabled = make_user(roles=["ECRM Salesperson"], enabled=0)
		with self.set_user(self.sender):
			name = sending.send_system_message(
				[self.a, disabled, "Guest"], "Mail distributed to you", "x" * 5000, "User", self.a
			)
		doc = frappe.get_doc("ECRM Message", name)
		self.assertEqual({r.user for r in doc.recipients}, {self.a})
		self.assertEqual(
			(doc.reference_doctype, doc.reference_name, doc.sender), ("User", self.a, self.sender)
		)
		self.assertEqual(len(doc.body), limits.max_length())
		self.assertIsNone(sending.send_system_message([disabled], "nobody", "nobody"))


class TestDistributionNoteArrivesAsMessage(EntCRMTestCase):
	def test_distributing_a_mail_with_a_note_sends_a_message(self):
		from ent_crm.core.roles import MAIL_ADMIN
		from ent_crm.mail.inbound import receive_raw
		from tests.integration.test_mail_routing import make_mailbox, raw_mail
		from tests.support.factories import make_salesperson

		admin = make_user(roles=[MAIL_ADMIN])
		person = make_salesperson(employee_name="乙")
		stranger = f"new{random_string(5).lower()}@{random_string(6).lower()}.example.org"
		mail = receive_raw(raw_mail(stranger), make_mailbox())
		with self.set_user(admin):
			mail_api.distribute(mail, person.name, note="德国新客户，请跟进")
		[name] = frappe.get_all(
			"ECRM Message", filters={"reference_doctype": "ECRM Mail", "reference_name": mail}, pluck="name"
		)
		doc = frappe.get_doc("ECRM Message", name)
		self.assertEqual(({r.user for r in doc.recipients}, doc.sender), ({person.user}, admin))
		self.assertEqual(doc.body, "德国新客户，请跟进")
		self.assertTrue(
			frappe.db.exists("Notification Log", {"for_user": person.user, "document_name": mail})
		)
		with self.set_user(person.user):
			self.assertIn(name, [m.name for m in api.unread()])


class TestPopUpEvents(EntCRMTestCase):
	"""The pop-up travels through Frappe's realtime channel (Redis "events", read by the socket.io server)
	to each recipient's own room, once the message is committed; a receipt goes to the sender's room."""

	def published(self, action) -> list[dict]:
		import json

		from frappe.realtime import flush_realtime_log
		from frappe.utils.background_jobs import get_redis_connection_without_auth

		listener = get_redis_connection_without_auth().pubsub()
		listener.subscribe("events")
		self.addCleanup(listener.close)
		confirmed = listener.get_message(timeout=10)  # the server has the subscription from here on
		self.assertEqual(confirmed and confirmed["type"], "subscribe")
		action()
		flush_realtime_log()  # what the commit would do
		frappe.local._realtime_log = []  # the commit hook stays registered until the test rolls back
		events = []
		while (item := listener.get_message(timeout=2)) is not None:
			if item["type"] != "message":
				continue
			data = json.loads(item["data"])
			if data.get("namespace") == frappe.local.site and data["event"] in (
				delivery.REALTIME_EVENT,
				reading.RECEIPT_EVENT,
			):
				events.append(data)
		return events

	def test_each_recipient_gets_the_pop_up_in_their_own_room_and_the_sender_gets_the_receipt(self):
		sender, a, b, outsider = (make_user(roles=["ECRM Salesperson"]) for _ in range(4))
		names = []

		def send():
			with self.set_user(sender):
				names.append(
					api.send_message(subject="Pop", body="Hello", recipients=[a, b], request_receipt=1)
				)

		events = [e for e in self.published(send) if e["message"]["name"] == names[0]]
		self.assertEqual(sorted(e["room"] for e in events), sorted([f"user:{a}", f"user:{b}"]))
		self.assertEqual({e["event"] for e in events}, {delivery.REALTIME_EVENT})
		self.assertEqual(events[0]["message"]["request_receipt"], 1)

		def confirm():
			with self.set_user(a):
				api.confirm_receipt(names[0])

		receipts = [e for e in self.published(confirm) if e["message"]["name"] == names[0]]
		self.assertEqual(
			[(e["event"], e["room"], e["message"]["user"]) for e in receipts],
			[(reading.RECEIPT_EVENT, f"user:{sender}", a)],
		)

	def test_no_pop_up_for_mail_only_messages(self):
		sender, a = make_user(roles=["ECRM Salesperson"]), make_user(roles=["ECRM Salesperson"])
		account = frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": "_Test Messages " + random_string(6),
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
		names = []

		def send():
			with self.set_user(sender):
				names.append(
					api.send_message(
						subject="Mail only", body="x", recipients=[a], deliver_in_system=0, deliver_by_email=1
					)
				)

		self.assertEqual([e for e in self.published(send) if e["message"].get("name") == names[0]], [])
		self.assertTrue(account.name)
		with self.set_user(a):
			self.assertNotIn(names[0], [m.name for m in api.unread()])


class SmsGateway:
	"""A plain HTTP server on loopback standing in for an SMS provider: it records every request."""

	def __init__(self):
		import http.server
		import threading
		import urllib.parse

		received = self.received = []

		class Handler(http.server.BaseHTTPRequestHandler):
			def do_GET(self):
				received.append(dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query)))
				self.send_response(200)
				self.end_headers()
				self.wfile.write(b"OK")

			def log_message(self, *args):
				pass

		self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
		self.url = f"http://127.0.0.1:{self.server.server_address[1]}/send"
		self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
		self.thread.start()

	def stop(self):
		self.server.shutdown()
		self.server.server_close()


class TestBySms(EntCRMTestCase):
	def setUp(self):
		super().setUp()
		self.sender = make_user(roles=["ECRM Salesperson"])
		self.a = make_user(roles=["ECRM Salesperson"], mobile_no="+86 138 0000 0001")
		self.b = make_user(roles=["ECRM Salesperson"])  # no mobile number

	def test_without_a_gateway_sms_is_refused(self):
		frappe.db.set_single_value("SMS Settings", "sms_gateway_url", "")
		with self.set_user(self.sender), self.assertRaises(frappe.ValidationError) as caught:
			api.send_message(subject="SMS", body="x", recipients=[self.a], deliver_by_sms=1)
		self.assertIn("SMS", str(caught.exception))

	def test_through_frappes_sms_gateway_to_the_recipients_mobiles(self):
		gateway = SmsGateway()
		self.addCleanup(gateway.stop)
		settings = frappe.get_doc("SMS Settings")
		settings.update(
			{
				"sms_gateway_url": gateway.url,
				"message_parameter": "text",
				"receiver_parameter": "to",
				"use_post": 0,
			}
		)
		settings.set("parameters", [])
		settings.save(ignore_permissions=True)
		with self.set_user(self.sender):
			name = api.send_message(
				subject="到货",
				body="货已到港，请安排提货。",
				recipients=[self.a, self.b],
				deliver_in_system=0,
				deliver_by_sms=1,
			)
		self.assertEqual(len(gateway.received), 1)
		[request] = gateway.received
		self.assertEqual(request["to"], "+8613800000001")
		self.assertIn("到货", request["text"])
		self.assertIn("货已到港", request["text"])
		texted = set(
			frappe.get_all("ECRM Message Recipient", filters={"parent": name, "texted": 1}, pluck="user")
		)
		self.assertEqual(texted, {self.a})

	def test_a_gateway_error_leaves_the_recipient_unmarked(self):
		settings = frappe.get_doc("SMS Settings")
		gateway = SmsGateway()
		gateway.stop()  # nothing listens on its port any more
		settings.update(
			{
				"sms_gateway_url": gateway.url,
				"message_parameter": "text",
				"receiver_parameter": "to",
				"use_post": 0,
			}
		)
		settings.save(ignore_permissions=True)
		with self.set_user(self.sender):
			name = api.send_message(
				subject="x", body="y", recipients=[self.a], deliver_in_system=0, deliver_by_sms=1
			)
		self.assertFalse(frappe.get_all("ECRM Message Recipient", filters={"parent": name, "texted": 1}))
		self.assertTrue(frappe.db.exists("ECRM Message", name))  # the message itself is kept
