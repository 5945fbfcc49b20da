"""Statistics of people's work: follow-ups per salesperson (I7), first response time, mail volume per week.

Same set-up as test_statistics (a department of two salespeople, customers c1…c5, c4 hidden); the numbers
the reports give are compared with counts made here from frappe.get_all over the rows the test wrote.
"""

from collections import Counter
from datetime import timedelta

import frappe

from ent_crm.statistics.rules import week_start
from tests.integration.test_statistics import DAY, PERIOD, StatisticsTestCase, make_mail

SENT_MAIL_KEY = "m___sent_mail__"


def method_key(method):
	return "m_" + frappe.scrub(method)


class TestFollowUps(StatisticsTestCase):
	def setUp(self):
		super().setUp()
		a, b = self.a.name, self.b.name
		self.log(self.c1, a, "By Phone", "Outbound", DAY)
		self.log(self.c1, a, "By Phone", "Outbound", DAY + timedelta(days=3))
		self.log(self.c2, a, "By Fax", "Inbound", DAY + timedelta(days=1))
		self.log(self.c3, b, "Customer Visit", "Outbound", DAY + timedelta(days=2))
		self.log(self.c4, a, "By Phone", "Outbound", DAY)  # hidden customer: left out
		self.log(self.c1, a, "By Phone", "Outbound", DAY - timedelta(days=30))  # before the period
		self.log(self.c3, b, "Instant Message", "Inbound", DAY + timedelta(days=40))  # after it
		# sent mail: a's to c1 counts as "Sent Mail"; b's to c2 is recorded by a contact log and counts once
		make_mail(
			self.c1, "Outbound", DAY + timedelta(hours=5), assigned_employee=a, assigned_user=self.a.user
		)
		logged = make_mail(
			self.c2, "Outbound", DAY + timedelta(hours=6), assigned_employee=b, assigned_user=self.b.user
		)
		self.log(self.c2, b, "By Email", "Outbound", DAY + timedelta(hours=6), mail=logged)
		make_mail(self.c4, "Outbound", DAY, assigned_employee=a, assigned_user=self.a.user)  # hidden
		make_mail(self.c1, "Inbound", DAY)  # inbound mail is no follow-up

	def log(self, customer, employee, method, direction, at, **fields):
		return (
			frappe.get_doc(
				{
					"doctype": "ECRM Contact Log",
					"customer": customer,
					"employee": employee,
					"contact_date": at,
					"method": method,
					"direction": direction,
					"subject": "Test contact",
					**fields,
				}
			)
			.insert(ignore_permissions=True)
			.name
		)

	def expected(self, employees):
		"""employee -> Counter of column -> count, from the rows themselves."""
		hidden = set(
			frappe.get_all(
				"ECRM Customer",
				filters={"is_hidden": 1, "name": ("in", self.visible + [self.c4])},
				pluck="name",
			)
		)
		window = ("between", ["2025-06-01 00:00:00", "2025-06-30 23:59:59"])
		counts = {e: Counter() for e in employees}
		for log in frappe.get_all(
			"ECRM Contact Log",
			filters={"employee": ("in", employees), "contact_date": window},
			fields=["employee", "customer", "method", "direction"],
		):
			if log.customer not in hidden:
				counts[log.employee][method_key(log.method)] += 1
				counts[log.employee][log.direction.lower()] += 1
		logged_mails = set(frappe.get_all("ECRM Contact Log", filters={"mail": ("is", "set")}, pluck="mail"))
		for mail in frappe.get_all(
			"ECRM Mail",
			filters={"assigned_employee": ("in", employees), "direction": "Outbound", "received_at": window},
			fields=["name", "assigned_employee", "reference_name"],
		):
			if mail.reference_name not in hidden and mail.name not in logged_mails:
				counts[mail.assigned_employee][SENT_MAIL_KEY] += 1
				counts[mail.assigned_employee]["outbound"] += 1
		return {e: c for e, c in counts.items() if c}

	def counted(self, result):
		keys = [
			c["fieldname"]
			for c in result["columns"]
			if c["fieldname"].startswith("m_") or c["fieldname"] in ("outbound", "inbound")
		]
		return {row["employee"]: Counter({k: row[k] for k in keys if row.get(k)}) for row in result["result"]}

	def test_counts_by_method_and_direction(self):
		result = self.report("Follow-ups per Salesperson", department=self.department, **PERIOD)
		expected = self.expected([self.a.name, self.b.name])
		self.assertEqual(self.counted(result), expected)
		# spelled out once: a phoned twice, got a fax, sent one mail; b visited once and mailed once (logged)
		self.assertEqual(
			expected[self.a.name],
			Counter(
				{
					method_key("By Phone"): 2,
					method_key("By Fax"): 1,
					SENT_MAIL_KEY: 1,
					"outbound": 3,
					"inbound": 1,
				}
			),
		)
		self.assertEqual(
			expected[self.b.name],
			Counter({method_key("Customer Visit"): 1, method_key("By Email"): 1, "outbound": 2}),
		)
		self.assertEqual(self.summary(result)["Follow-ups"], 6)
		self.assertTrue(result["chart"]["data"]["datasets"])

	def test_method_and_direction_filters(self):
		result = self.report(
			"Follow-ups per Salesperson", department=self.department, method="By Phone", **PERIOD
		)
		self.assertEqual({r["employee"]: r["total"] for r in result["result"]}, {self.a.name: 2})
		result = self.report(
			"Follow-ups per Salesperson", department=self.department, direction="Inbound", **PERIOD
		)
		self.assertEqual({r["employee"]: r["total"] for r in result["result"]}, {self.a.name: 1})

	def test_a_salesperson_sees_only_their_own_row(self):
		result = self.report("Follow-ups per Salesperson", self.b.user, **PERIOD)
		self.assertEqual(self.counted(result), self.expected([self.b.name]))
		result = self.report("Follow-ups per Salesperson", self.b.user, salesperson=self.a.name, **PERIOD)
		self.assertEqual(result["result"], [])

	def test_region_filter(self):
		result = self.report(
			"Follow-ups per Salesperson", department=self.department, region="China", **PERIOD
		)
		self.assertEqual(
			{r["employee"]: r["total"] for r in result["result"]}, {self.b.name: 1}
		)  # the visit to c3


class TestFirstResponse(StatisticsTestCase):
	def setUp(self):
		super().setUp()
		a = self.a.name
		make_mail(self.c1, "Inbound", DAY)  # answered by mail 3 h later
		make_mail(self.c1, "Outbound", DAY + timedelta(hours=3), assigned_employee=a)
		make_mail(
			self.c2, "Inbound", DAY + timedelta(hours=1), followed_at=DAY + timedelta(hours=2)
		)  # followed after 1 h
		make_mail(self.c2, "Outbound", DAY + timedelta(days=1, hours=1), assigned_employee=a)
		make_mail(self.c2, "Inbound", DAY + timedelta(days=2), queue="Known Pending")  # unanswered
		make_mail(self.c1, "Inbound", DAY + timedelta(hours=1), is_auto_reply=1)  # auto-reply: left out
		make_mail(self.c4, "Inbound", DAY)  # hidden customer: left out
		make_mail(self.c3, "Inbound", DAY - timedelta(days=20))  # before the period
		make_mail(self.c3, "Outbound", DAY - timedelta(days=20, hours=-30), assigned_employee=self.b.name)

	def expected(self, employee):
		"""Hours to the first answer of each counted inbound mail of the employee's customers."""
		mine = [c for c in self.owned_by(employee) if c in self.visible]
		window = ("between", ["2025-06-01 00:00:00", "2025-06-30 23:59:59"])
		hours, unanswered = [], 0
		for mail in frappe.get_all(
			"ECRM Mail",
			filters={
				"reference_name": ("in", mine),
				"direction": "Inbound",
				"is_auto_reply": 0,
				"received_at": window,
			},
			fields=["reference_name", "received_at", "followed_at"],
		):
			sent = frappe.get_all(
				"ECRM Mail",
				filters={
					"reference_name": mail.reference_name,
					"direction": "Outbound",
					"received_at": (">=", mail.received_at),
				},
				pluck="received_at",
				order_by="received_at asc",
				limit=1,
			)
			answers = [m for m in (sent[0] if sent else None, mail.followed_at) if m]
			if answers:
				hours.append((min(answers) - mail.received_at).total_seconds() / 3600)
			else:
				unanswered += 1
		return sorted(hours), unanswered

	def test_response_hours_per_owner(self):
		result = self.report("First Response Time", department=self.department, **PERIOD)
		rows = {row["employee"]: row for row in result["result"]}
		for person in (self.a, self.b):
			hours, unanswered = self.expected(person.name)
			row = rows[person.name]
			self.assertEqual((row["answered"], row["unanswered"]), (len(hours), unanswered), person.name)
			self.assertAlmostEqual(row["average_hours"], round(sum(hours) / len(hours), 1))
		# spelled out: a owns c1 and c2 (3 h, 1 h, one open), b owns c2 (1 h, one open) and c3 (none in the period)
		self.assertEqual(
			(
				rows[self.a.name]["inbound"],
				rows[self.a.name]["median_hours"],
				rows[self.a.name]["within_24h"],
			),
			(3, 2.0, 66.7),
		)
		self.assertEqual((rows[self.b.name]["inbound"], rows[self.b.name]["median_hours"]), (2, 1.0))
		cards = self.summary(result)
		self.assertEqual(
			(cards["Customer Mails"], cards["Answered"], cards["Unanswered"]), (3, 2, 1)
		)  # each mail once
		self.assertIn("marked followed", result["message"])

	def test_a_salesperson_sees_only_their_own_row(self):
		result = self.report("First Response Time", self.b.user, **PERIOD)
		self.assertEqual([row["employee"] for row in result["result"]], [self.b.name])


class TestMailVolume(StatisticsTestCase):
	def setUp(self):
		super().setUp()
		a = self.a.name
		make_mail(self.c1, "Inbound", DAY)
		make_mail(
			self.c1, "Outbound", DAY + timedelta(hours=2), assigned_employee=a, assigned_user=self.a.user
		)
		make_mail(self.c2, "Inbound", DAY + timedelta(days=7))
		make_mail(self.c3, "Inbound", DAY + timedelta(days=7))  # b's customer
		make_mail(
			None,
			"Inbound",
			DAY + timedelta(days=14),
			queue="Stranger Pending",
			assigned_employee=a,
			assigned_user=self.a.user,
		)
		make_mail(self.c1, "Inbound", DAY + timedelta(days=1), is_auto_reply=1)  # left out
		make_mail(self.c4, "Inbound", DAY + timedelta(days=1))  # hidden: left out
		make_mail(self.c1, "Inbound", DAY + timedelta(days=2), queue="Recycle Bin")  # blocked: left out

	def expected(self, employee):
		mine = [c for c in self.owned_by(employee) if c in self.visible]
		window = ("between", ["2025-06-01 00:00:00", "2025-06-30 23:59:59"])
		counts = Counter()
		for filters in (
			{"reference_name": ("in", mine)},
			{"assigned_employee": employee, "reference_name": ("is", "not set")},
		):
			for mail in frappe.get_all(
				"ECRM Mail",
				filters={
					**filters,
					"received_at": window,
					"is_auto_reply": 0,
					"queue": ("!=", "Recycle Bin"),
				},
				fields=["received_at", "direction"],
			):
				counts[(week_start(mail.received_at), mail.direction)] += 1
		return counts

	def counted(self, result):
		counts = Counter()
		for row in result["result"]:
			for direction in ("Inbound", "Outbound"):
				if row[direction.lower()]:
					counts[(row["week"], direction)] = row[direction.lower()]
		return counts

	def test_weeks_of_a_salesperson(self):
		result = self.report("Mail Volume per Week", salesperson=self.a.name, **PERIOD)
		self.assertEqual(sorted(self.counted(result).items()), sorted(self.expected(self.a.name).items()))
		self.assertEqual(
			[row["week"].isoformat() for row in result["result"]][:2], ["2025-05-26", "2025-06-02"]
		)
		self.assertEqual(self.summary(result)["Inbound"], 3)  # c1, c2 and the stranger mail waiting with a

	def test_a_salesperson_counts_the_mail_they_may_see(self):
		result = self.report("Mail Volume per Week", self.a.user, **PERIOD)
		self.assertEqual(self.counted(result), self.expected(self.a.name))
		result = self.report("Mail Volume per Week", self.b.user, **PERIOD)
		self.assertEqual(self.counted(result), self.expected(self.b.name))

	def test_region_keeps_customers_mail_of_the_region(self):
		result = self.report("Mail Volume per Week", department=self.department, region="Asia", **PERIOD)
		self.assertEqual(self.summary(result)["Inbound"], 1)  # c3 in Hangzhou
