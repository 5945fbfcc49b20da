"""The workbench's server side (ent_crm.workbench): queues and counts as the person sees them, lists, the
mail reader, work inspection (H1, H2) and who is told about new mail."""

import frappe
from frappe.utils import add_days, now_datetime, random_string

from ent_crm.core.roles import ALL_CUSTOMERS, MAIL_ADMIN, MANAGER, PERSONAL_MAIL_READER
from ent_crm.mail.api import distribute, mark_followed
from ent_crm.mail.inbound import receive_raw
from ent_crm.workbench import api as workbench
from ent_crm.workbench.counts import HANDLED_DAYS
from tests.integration.test_mail_routing import make_mailbox, raw_mail
from tests.support import EntCRMTestCase
from tests.support.factories import make_customer, make_salesperson, make_user


def visible_counts(user):
	"""The counts computed independently, through Frappe's own list query as `user`."""
	since = add_days(now_datetime(), -HANDLED_DAYS)

	def n(**filters):
		return len(
			frappe.get_list("ECRM Mail", filters=filters, pluck="name", user=user, limit_page_length=0)
		)

	return {
		"known": n(queue="Known Pending", is_auto_reply=0, is_bounce=0),
		"stranger": n(queue="Stranger Pending", is_auto_reply=0, is_bounce=0),
		"handled": n(queue="Handled", followed_at=(">=", since)),
	}


class TestWorkbench(EntCRMTestCase):
	def setUp(self):
		super().setUp()
		self.box = make_mailbox()
		self.a, self.b = make_salesperson(employee_name="甲"), make_salesperson(employee_name="乙")
		domain = f"{random_string(6).lower()}.example.com"
		self.customer = make_customer(
			[self.a.name], primary_email=f"buyer@{domain}", customer_name="_Test WB Buyer"
		)
		other = f"{random_string(6).lower()}.example.com"
		make_customer([self.b.name], primary_email=f"buyer@{other}")
		self.known = [
			receive_raw(raw_mail(f"buyer@{domain}", subject=f"Known {i}"), self.box) for i in range(3)
		]
		self.others = receive_raw(raw_mail(f"buyer@{other}"), self.box)
		self.stranger_sender = f"new@{random_string(6).lower()}.example.org"
		self.unassigned = receive_raw(raw_mail(self.stranger_sender, subject="Stranger"), self.box)
		self.personal = receive_raw(
			raw_mail(f"x@{random_string(6).lower()}.example.org", subject="Personal"),
			make_mailbox("Personal Mailbox", self.a.name),
		)

	def paint(self, user, employee=None, queue=None):
		with self.set_user(user):
			return workbench.first_paint(employee=employee, queue=queue)

	def counts(self, data):
		return {q["key"]: q["count"] for q in data["queues"]}

	def test_salesperson_sees_their_own_queues(self):
		data = self.paint(self.a.user)
		counts = self.counts(data)
		self.assertEqual((counts["known"], counts["stranger"]), (3, 1))  # the personal mail is a stranger's
		self.assertNotIn("unassigned", counts)
		self.assertFalse(data["target"]["inspecting"])
		self.assertEqual(data["list"]["queue"], "known")
		self.assertEqual({r.name for r in data["list"]["rows"]}, set(self.known))
		self.assertNotIn(self.others, {r.name for r in data["list"]["rows"]})

	def test_counts_equal_frappes_own_list_for_everyone(self):
		with self.set_user(self.a.user):
			mark_followed(self.known[0], followup_days=0)
		for user in (self.a.user, self.b.user, make_user(roles=[MANAGER]), make_user(roles=[MAIL_ADMIN])):
			with self.subTest(user=user):
				counts = self.counts(self.paint(user))
				expected = visible_counts(user)
				self.assertEqual({k: counts[k] for k in expected}, expected)

	def test_following_a_mail_moves_it_from_pending_to_handled(self):
		before = self.counts(self.paint(self.a.user))
		with self.set_user(self.a.user):
			mark_followed(self.known[1], followup_days=3)
		after = self.counts(self.paint(self.a.user))
		self.assertEqual((after["known"], after["handled"]), (before["known"] - 1, before["handled"] + 1))
		with self.set_user(self.a.user):
			handled = workbench.list_queue("handled")
		self.assertIn(self.known[1], {r.name for r in handled["rows"]})

	def test_mail_admin_has_the_unassigned_queue(self):
		admin = make_user(roles=[MAIL_ADMIN])
		data = self.paint(admin)
		self.assertEqual(data["list"]["queue"], "unassigned")
		self.assertIn(self.unassigned, {r.name for r in data["list"]["rows"]})
		self.assertEqual(
			self.counts(data)["unassigned"],
			frappe.db.count(
				"ECRM Mail", {"queue": "Unassigned", "is_personal": 0, "is_auto_reply": 0, "is_bounce": 0}
			),
		)

	def test_paging_walks_the_whole_queue_once(self):
		for i in range(25):
			receive_raw(
				raw_mail(f"buyer@{self.customer.primary_email.split('@')[1]}", subject=f"Paged {i}"), self.box
			)
		seen = []
		with self.set_user(self.a.user):
			start, more = 0, True
			while more:
				page = workbench.list_queue("known", start=start)
				seen += [r.name for r in page["rows"]]
				start, more = start + len(page["rows"]), page["more"]
		self.assertEqual(len(seen), 28)
		self.assertEqual(len(set(seen)), 28)

	# --- work inspection (H1, H2) ---

	def test_manager_inspects_exactly_the_salespersons_workbench(self):
		manager = make_user(roles=[MANAGER])
		data = self.paint(manager, employee=self.a.name)
		self.assertTrue(data["target"]["inspecting"])
		self.assertEqual(data["target"]["user"], self.a.user)
		counts = self.counts(data)
		self.assertEqual(counts["known"], 3)
		self.assertEqual(counts["stranger"], 0)  # the personal mailbox's mail needs its own right
		self.assertNotIn("unassigned", counts)
		with self.set_user(manager):
			everything = {r.name for r in workbench.list_queue("all", employee=self.a.name)["rows"]}
		self.assertEqual(everything, set(self.known))

	def test_personal_mail_with_the_readers_right(self):
		reader = make_user(roles=[MANAGER, PERSONAL_MAIL_READER])
		counts = self.counts(self.paint(reader, employee=self.a.name))
		self.assertEqual(counts["stranger"], 1)
		with self.set_user(reader):
			self.assertEqual(workbench.read_mail(self.personal, employee=self.a.name)["subject"], "Personal")
		with self.set_user(make_user(roles=[MANAGER])), self.assertRaises(frappe.PermissionError):
			workbench.read_mail(self.personal, employee=self.a.name)

	def test_all_customers_holder_may_inspect(self):
		data = self.paint(make_user(roles=[ALL_CUSTOMERS]), employee=self.b.name)
		self.assertEqual({r.name for r in data["list"]["rows"]}, {self.others})

	def test_salesperson_cannot_inspect_a_colleague(self):
		with self.set_user(self.a.user), self.assertRaises(frappe.PermissionError):
			workbench.first_paint(employee=self.b.name)
		for call in (workbench.queue_counts, workbench.regions):
			with self.set_user(self.a.user), self.assertRaises(frappe.PermissionError):
				call(employee=self.b.name)
		with self.set_user(self.a.user), self.assertRaises(frappe.PermissionError):
			workbench.list_queue("known", employee=self.b.name)

	def test_refusal_is_translated(self):
		frappe.local.lang = "zh"
		frappe.local.lang_full_dict = None
		try:
			with self.set_user(self.a.user), self.assertRaises(frappe.PermissionError) as raised:
				workbench.first_paint(employee=self.b.name)
		finally:
			frappe.local.lang = "en"
		self.assertNotIn("Only managers", str(raised.exception))
		self.assertIn("经理", str(raised.exception))

	def test_manager_acts_on_the_inspected_persons_mail(self):
		manager = make_user(roles=[MANAGER, MAIL_ADMIN])
		with self.set_user(manager):
			distribute(self.unassigned, self.b.name)
			stranger = {r.name for r in workbench.list_queue("stranger", employee=self.b.name)["rows"]}
			self.assertIn(self.unassigned, stranger)
			mark_followed(self.unassigned, followup_days=0)
			handled = {r.name for r in workbench.list_queue("handled", employee=self.b.name)["rows"]}
		self.assertIn(self.unassigned, handled)

	def test_reader_refuses_mail_outside_the_inspected_view(self):
		with self.set_user(make_user(roles=[MANAGER])), self.assertRaises(frappe.PermissionError):
			workbench.read_mail(self.others, employee=self.a.name)

	# --- reader ---

	def test_reader_sanitizes_html_and_gives_text(self):
		domain = self.customer.primary_email.split("@")[1]
		html = b"MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n"
		name = receive_raw(
			raw_mail(
				f"buyer@{domain}",
				subject="Html",
				extra=html,
				body=b"<p>Price <b>list</b></p><script>alert(1)</script><img src=x onerror=alert(2)>",
			),
			self.box,
		)
		with self.set_user(self.a.user):
			mail = workbench.read_mail(name)
		self.assertIn("<b>list</b>", mail["html"])
		self.assertNotIn("<script", mail["html"])
		self.assertNotIn("onerror", mail["html"])
		self.assertIn("Price", mail["text"])
		self.assertNotIn("<b>", mail["text"])
		self.assertNotIn("<p>", mail["text"])
		self.assertIn("mark_followed", mail["actions"])
		self.assertIn("reply", mail["actions"])
		self.assertNotIn("distribute", mail["actions"])

	def test_plain_text_mail_is_escaped(self):
		name = receive_raw(raw_mail(self.customer.primary_email, body=b"a < b & c\r\nline two"), self.box)
		with self.set_user(self.a.user):
			mail = workbench.read_mail(name)
		self.assertIn("a &lt; b &amp; c", mail["html"])
		self.assertIn("line two", mail["text"])

	def test_customers_by_region_counts_only_the_targets_customers(self):
		with self.set_user(self.a.user):
			countries = workbench.regions()
		self.assertEqual(
			sum(c["count"] for c in countries),
			frappe.db.count("ECRM Customer Owner", {"user": self.a.user, "parenttype": "ECRM Customer"}),
		)
		hamburg = [g for c in countries for g in c["regions"] if g["region"] == "Hamburg"]
		self.assertTrue(hamburg)
		with self.set_user(self.a.user):
			page = workbench.list_queue("region", region=countries[0]["country"])
		self.assertIn(self.customer.name, {r.name for r in page["rows"]})

	# --- realtime ---

	def test_new_mail_is_announced_to_the_users_concerned(self):
		admin = make_user(roles=[MAIL_ADMIN])
		rooms = self.announced(
			lambda: receive_raw(raw_mail(self.customer.primary_email, subject="Live"), self.box)
		)
		self.assertIn(f"user:{self.a.user}", rooms)
		self.assertNotIn(f"user:{self.b.user}", rooms)
		self.assertNotIn(f"user:{admin}", rooms)
		rooms = self.announced(
			lambda: receive_raw(raw_mail(f"someone@{random_string(6).lower()}.example.org"), self.box)
		)
		self.assertIn(f"user:{admin}", rooms)
		self.assertNotIn(f"user:{self.a.user}", rooms)

	def announced(self, receive) -> set:
		"""The rooms that get `ecrm_new_mail` once the transaction commits (Frappe's after-commit queue)."""
		if hasattr(frappe.local, "_realtime_log"):
			frappe.local._realtime_log.clear()
		receive()
		return {
			room
			for event, message, room in getattr(frappe.local, "_realtime_log", [])
			if event == "ecrm_new_mail"
		}

	def test_all_mail_reaches_back_past_the_newest_month(self):
		old = frappe.utils.add_days(now_datetime(), -400)
		for name in self.known[:2]:
			frappe.db.set_value("ECRM Mail", name, "received_at", old)
		with self.set_user(self.a.user):
			rows = [r.name for r in workbench.list_queue("all")["rows"]]
		self.assertEqual(set(rows), {*self.known, self.personal})  # the personal mailbox's mail is theirs too
		self.assertEqual(set(rows[-2:]), set(self.known[:2]))  # oldest last

	def test_number_cards_count_the_callers_pending_mail(self):
		with self.set_user(self.a.user):
			card = workbench.pending_mail_card()
		self.assertEqual(
			(card["value"], card["route"]), (4, ["ecrm-workbench"])
		)  # 3 known + 1 personal stranger
		admin = make_user(roles=[MAIL_ADMIN])
		with self.set_user(admin):
			self.assertEqual(
				workbench.pending_mail_card()["value"],
				sum(visible_counts(admin)[k] for k in ("known", "stranger"))
				+ frappe.db.count(
					"ECRM Mail", {"queue": "Unassigned", "is_personal": 0, "is_auto_reply": 0, "is_bounce": 0}
				),
			)

	def test_reminders_and_recent_contacts_queues(self):
		from ent_crm.followup import reminders

		reminders.schedule(self.customer.name, frappe.utils.today(), "ECRM Customer", self.customer.name)
		log = frappe.get_doc(
			{
				"doctype": "ECRM Contact Log",
				"customer": self.customer.name,
				"employee": self.a.name,
				"contact_date": now_datetime(),
				"direction": "Outbound",
				"subject": "Called about samples",
			}
		).insert(ignore_permissions=True)
		with self.set_user(self.a.user):
			counts = self.counts(workbench.first_paint())
			due = workbench.list_queue("reminders")["rows"]
			contacts = workbench.list_queue("contacts")["rows"]
		self.assertEqual(counts["reminders"], len(due))
		self.assertIn(self.customer.name, {r["customer"] for r in due})
		self.assertEqual([r.name for r in contacts], [log.name])
		manager = make_user(roles=[MANAGER])
		with self.set_user(manager):
			inspected = workbench.list_queue("contacts", employee=self.a.name)["rows"]
			self.assertEqual(
				self.counts(workbench.first_paint(employee=self.a.name))["reminders"], counts["reminders"]
			)
		self.assertEqual([r.name for r in inspected], [log.name])
