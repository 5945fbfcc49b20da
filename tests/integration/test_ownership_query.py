"""Customer ownership query (G5): condition rows, scoping, saved queries and the report."""

import frappe
from frappe.desk.query_report import run as run_report
from frappe.utils import random_string

from ent_crm.core.roles import MANAGER
from ent_crm.customers.ownership_query import get_rows
from ent_crm.ent_crm.report.customer_ownership.customer_ownership import execute
from tests.support import EntCRMTestCase
from tests.support.factories import make_customer, make_salesperson, make_user

QUERY = "ECRM Ownership Query"


def row(column, operator, value, logic="AND"):
	return {"logic": logic, "column": column, "operator": operator, "value": value}


def set_dates(customer, *dates):
	"""Give the customer's owner rows these dates of assignment, in order."""
	for owner, date in zip(customer.owners, dates, strict=True):
		owner.assigned_on = date
	customer.save()
	return customer


class OwnershipFixture(EntCRMTestCase):
	"""Three salespeople and four visible customers (plus a hidden one), all named with a fresh prefix:

	Apple     alice 2026-01-10
	Banana    bob   2026-02-20
	Cherry    alice 2026-01-05, bob 2026-03-01 (bob latest)
	Date_Palm carol 2026-03-01
	Hidden    alice 2026-01-01 (is_hidden)
	"""

	def setUp(self):
		super().setUp()
		self.prefix = "_Test G5 " + random_string(6)
		self.alice = make_salesperson(employee_name=f"{self.prefix} Alice")
		self.bob = make_salesperson(employee_name=f"{self.prefix} Bob")
		self.carol = make_salesperson(employee_name=f"{self.prefix} Carol")
		self.apple = set_dates(self.customer("Apple", self.alice), "2026-01-10")
		self.banana = set_dates(self.customer("Banana", self.bob), "2026-02-20")
		self.cherry = set_dates(self.customer("Cherry", self.alice, self.bob), "2026-01-05", "2026-03-01")
		self.date_palm = set_dates(self.customer("Date_Palm", self.carol), "2026-03-01")
		self.hidden = set_dates(self.customer("Hidden", self.alice, is_hidden=1), "2026-01-01")
		self.labels = {
			self.apple.name: "apple",
			self.banana.name: "banana",
			self.cherry.name: "cherry",
			self.date_palm.name: "date_palm",
			self.hidden.name: "hidden",
			self.alice.name: "alice",
			self.bob.name: "bob",
			self.carol.name: "carol",
		}

	def customer(self, name, *owners, **fields):
		return make_customer(owners=[e.name for e in owners], customer_name=f"{self.prefix} {name}", **fields)

	def found(self, *conditions):
		"""(customer, owner) labels of the fixture's rows matching the conditions (other data ignored)."""
		return {
			(self.labels[r.customer], self.labels[r.employee])
			for r in get_rows(list(conditions))
			if r.customer in self.labels
		}

	ALL = {
		("apple", "alice"),
		("banana", "bob"),
		("cherry", "alice"),
		("cherry", "bob"),
		("date_palm", "carol"),
	}


class TestConditions(OwnershipFixture):
	def test_without_conditions_every_visible_owner_row(self):
		self.assertEqual(self.found(), self.ALL)

	def test_hidden_customers_are_left_out(self):
		self.assertNotIn(self.hidden.name, {r.customer for r in get_rows([])})
		self.assertEqual(self.found(row("Customer Name", "like", "Hidden")), set())

	def test_text_column_operators(self):
		name = f"{self.prefix} Banana"
		cases = {
			"=": {("banana", "bob")},
			"!=": self.ALL - {("banana", "bob")},
			">": {("cherry", "alice"), ("cherry", "bob"), ("date_palm", "carol")},
			">=": {("banana", "bob"), ("cherry", "alice"), ("cherry", "bob"), ("date_palm", "carol")},
			"<": {("apple", "alice")},
			"<=": {("apple", "alice"), ("banana", "bob")},
			"like": {("banana", "bob")},
		}
		for operator, expected in cases.items():
			self.assertEqual(self.found(row("Customer Name", operator, name)), expected, operator)

	def test_employee_and_customer_code_columns(self):
		self.assertEqual(
			self.found(row("Employee Code", "=", self.alice.employee_code)),
			{("apple", "alice"), ("cherry", "alice")},
		)
		self.assertEqual(
			self.found(row("Employee Code", "!=", self.alice.employee_code)),
			{("banana", "bob"), ("cherry", "bob"), ("date_palm", "carol")},
		)
		self.assertEqual(self.found(row("Employee Name", "like", "Carol")), {("date_palm", "carol")})
		self.assertEqual(
			self.found(row("Employee Name", "=", f"{self.prefix} Bob")),
			{("banana", "bob"), ("cherry", "bob")},
		)
		self.assertEqual(
			self.found(row("Customer Code", "=", self.cherry.name)), {("cherry", "alice"), ("cherry", "bob")}
		)
		self.assertEqual(
			self.found(row("Customer Code", "!=", self.cherry.name)),
			self.ALL - {("cherry", "alice"), ("cherry", "bob")},
		)

	def test_date_column_operators(self):
		cases = {
			"=": {("cherry", "bob"), ("date_palm", "carol")},
			"!=": {("apple", "alice"), ("banana", "bob"), ("cherry", "alice")},
			">": {("cherry", "bob"), ("date_palm", "carol")},
			">=": {("banana", "bob"), ("cherry", "bob"), ("date_palm", "carol")},
			"<": {("cherry", "alice")},
			"<=": {("cherry", "alice"), ("apple", "alice")},
		}
		values = {
			"=": "2026-03-01",
			"!=": "2026-03-01",
			">": "2026-02-20",
			">=": "2026-02-20",
			"<": "2026-01-10",
			"<=": "2026-01-10",
		}
		for operator, expected in cases.items():
			self.assertEqual(
				self.found(row("Assignment Date", operator, values[operator])), expected, operator
			)

	def test_dates_may_be_written_with_slashes_or_dots(self):
		expected = {("cherry", "bob"), ("date_palm", "carol")}
		self.assertEqual(self.found(row("Assignment Date", "=", "2026/3/1")), expected)
		self.assertEqual(self.found(row("Assignment Date", "=", "2026.03.01")), expected)

	def test_latest_assignment_flag(self):
		latest = {("apple", "alice"), ("banana", "bob"), ("cherry", "bob"), ("date_palm", "carol")}
		earlier = {("cherry", "alice")}
		cases = {
			("=", "1"): latest,
			("=", "0"): earlier,
			("!=", "1"): earlier,
			("!=", "0"): latest,
			(">", "0"): latest,
			(">=", "1"): latest,
			("<", "1"): earlier,
			("<=", "0"): earlier,
		}
		for (operator, value), expected in cases.items():
			self.assertEqual(
				self.found(row("Latest Assignment", operator, value)), expected, (operator, value)
			)
		flags = {
			(self.labels[r.customer], self.labels[r.employee]): r.is_latest
			for r in get_rows([])
			if r.customer in self.labels
		}
		self.assertEqual(flags[("cherry", "bob")], 1)
		self.assertEqual(flags[("cherry", "alice")], 0)

	def test_owners_assigned_on_the_same_latest_day_are_all_latest(self):
		fig = set_dates(self.customer("Fig", self.alice, self.carol), "2026-04-01", "2026-04-01")
		self.labels[fig.name] = "fig"
		self.assertEqual(
			{pair for pair in self.found(row("Latest Assignment", "=", "1")) if pair[0] == "fig"},
			{("fig", "alice"), ("fig", "carol")},
		)

	def test_and_binds_tighter_than_or(self):
		# Apple OR Cherry AND Bob  =  Apple OR (Cherry AND Bob), not (Apple OR Cherry) AND Bob
		self.assertEqual(
			self.found(
				row("Customer Name", "like", "Apple"),
				row("Customer Name", "like", "Cherry", logic="OR"),
				row("Employee Name", "like", "Bob", logic="AND"),
			),
			{("apple", "alice"), ("cherry", "bob")},
		)
		# Alice AND Cherry OR Carol AND Date  =  (Alice AND Cherry) OR (Carol AND Date)
		self.assertEqual(
			self.found(
				row("Employee Name", "like", "Alice"),
				row("Customer Name", "like", "Cherry"),
				row("Employee Name", "like", "Carol", logic="OR"),
				row("Customer Name", "like", "Date", logic="AND"),
			),
			{("cherry", "alice"), ("date_palm", "carol")},
		)

	def test_the_first_rows_logic_is_ignored(self):
		self.assertEqual(
			self.found(
				row("Customer Name", "like", "Apple", logic="OR"), row("Employee Name", "like", "Bob")
			),
			set(),
		)

	def test_like_means_contains_unless_it_has_a_percent(self):
		self.assertEqual(
			self.found(row("Customer Name", "like", "herr")), {("cherry", "alice"), ("cherry", "bob")}
		)
		self.assertEqual(self.found(row("Customer Name", "like", "apple")), {("apple", "alice")})  # any case
		self.assertEqual(
			self.found(row("Customer Name", "like", "%rry")), {("cherry", "alice"), ("cherry", "bob")}
		)
		self.assertEqual(self.found(row("Customer Name", "like", "%ana")), {("banana", "bob")})
		self.assertEqual(self.found(row("Customer Name", "like", f"{self.prefix} A%")), {("apple", "alice")})

	def test_like_without_percent_takes_underscore_literally(self):
		other = self.customer("DateXPalm", self.carol)
		self.labels[other.name] = "datexpalm"
		self.assertEqual(self.found(row("Customer Name", "like", "Date_Palm")), {("date_palm", "carol")})
		self.assertEqual(
			self.found(row("Customer Name", "like", "%Date_Palm")),
			{("date_palm", "carol"), ("datexpalm", "carol")},
		)

	def test_quotes_and_sql_in_values_are_only_values(self):
		customers = frappe.db.count("ECRM Customer")
		for value in (
			"x' or '1'='1",
			"' OR 1=1 -- ",
			"\\' or 1=1 #",
			"'; drop table `tabECRM Customer`; --",
			'" or ""="',
		):
			for column in ("Customer Name", "Employee Name", "Employee Code", "Customer Code"):
				for operator in ("=", "like"):
					self.assertEqual(
						self.found(row(column, operator, value)), set(), (column, operator, value)
					)
				# compared as a plain value: every fixture row differs from it
				self.assertEqual(self.found(row(column, "!=", value)), self.ALL, (column, value))
			self.assertEqual(get_rows([row("Customer Name", "=", value)]), [])
		self.assertEqual(frappe.db.count("ECRM Customer"), customers)
		self.assertEqual(self.found(), self.ALL)

	def test_a_name_with_a_quote_is_found(self):
		quoted = self.customer("O'Brien & Sons", self.bob)
		self.labels[quoted.name] = "obrien"
		self.assertEqual(
			self.found(row("Customer Name", "=", f"{self.prefix} O'Brien & Sons")), {("obrien", "bob")}
		)
		self.assertEqual(self.found(row("Customer Name", "like", "O'Bri")), {("obrien", "bob")})


class TestConditionValidation(EntCRMTestCase):
	def assertRefused(self, conditions, pattern):
		with self.assertRaisesRegex(frappe.ValidationError, pattern):
			get_rows(conditions)

	def test_unknown_column_or_operator(self):
		self.assertRefused([row("Password", "=", "x")], "Row 1: Password is not a column")
		self.assertRefused([row(None, "=", "x")], "Row 1: choose a column")
		self.assertRefused(
			[row("Customer Name", "=", "x"), row("Customer Name", "in", "x")], "Row 2: in is not an operator"
		)
		self.assertRefused(
			[row("Customer Name", "=", "x"), row("Customer Name", "=", "x", logic="XOR")], "Row 2: the logic"
		)

	def test_empty_value(self):
		self.assertRefused([row("Customer Name", "=", "")], "Row 1: enter the value to compare Customer Name")
		self.assertRefused([row("Customer Name", "=", "   ")], "Row 1")
		self.assertRefused([row("Customer Name", "=", None)], "Row 1")

	def test_date_column_needs_a_date(self):
		for value in ("yesterday", "2026-02-30", "31.03.2026", "2026-03-01' or '1'='1"):
			self.assertRefused([row("Assignment Date", ">=", value)], "is not a date")
		self.assertRefused([row("Assignment Date", "like", "2026")], "only works on text columns")

	def test_latest_assignment_takes_1_or_0(self):
		for value in ("2", "yes", "1 or 1=1"):
			self.assertRefused([row("Latest Assignment", "=", value)], "Latest Assignment is 1")
		self.assertRefused([row("Latest Assignment", "like", "1")], "only works on text columns")

	def test_user_input_in_messages_is_escaped(self):
		with self.assertRaises(frappe.ValidationError) as caught:
			get_rows([row("Assignment Date", "=", "<img src=x onerror=alert(1)>")])
		self.assertIn("&lt;img", str(caught.exception))
		self.assertNotIn("<img", str(caught.exception))

	def test_messages_are_translated(self):
		frappe.local.lang = "zh"
		with self.assertRaises(frappe.ValidationError) as caught:
			get_rows([row("Assignment Date", "=", "soon")])
		self.assertTrue(
			any("\u4e00" <= ch <= "\u9fff" for ch in str(caught.exception)), str(caught.exception)
		)


class TestScoping(OwnershipFixture):
	def test_salesperson_gets_only_the_rows_of_their_customers(self):
		with self.set_user(self.alice.user):
			customers = {r.customer for r in get_rows([])}
			# co-owners' rows of their own customers are part of the answer
			self.assertEqual(self.found(), {("apple", "alice"), ("cherry", "alice"), ("cherry", "bob")})
			self.assertEqual(self.found(row("Employee Name", "like", "Bob")), {("cherry", "bob")})
		self.assertEqual(customers, {self.apple.name, self.cherry.name})
		with self.set_user(self.carol.user):
			self.assertEqual({r.customer for r in get_rows([])}, {self.date_palm.name})
			self.assertEqual(get_rows([row("Customer Name", "like", "Apple")]), [])

	def test_or_cannot_escape_the_scope(self):
		with self.set_user(self.carol.user):
			rows = get_rows(
				[row("Customer Name", "like", "Date"), row("Customer Name", "like", "Apple", logic="OR")]
			)
		self.assertEqual({r.customer for r in rows}, {self.date_palm.name})

	def test_manager_sees_every_customer(self):
		manager = make_user(profile=MANAGER)
		with self.set_user(manager):
			self.assertEqual(self.found(), self.ALL)

	def test_salesperson_runs_the_report_through_frappe(self):
		with self.set_user(self.bob.user):
			result = run_report("Customer Ownership", {})
		self.assertEqual({r["customer"] for r in result["result"]}, {self.banana.name, self.cherry.name})


class TestSavedQueries(OwnershipFixture):
	def save_query(self, name, conditions=(), is_default=0):
		return frappe.get_doc(
			{"doctype": QUERY, "query_name": name, "is_default": is_default, "conditions": list(conditions)}
		).insert()

	def test_query_belongs_to_its_creator(self):
		with self.set_user(self.alice.user):
			query = self.save_query("Mine", [row("Customer Name", "like", "Apple")])
		self.assertEqual(query.user, self.alice.user)
		self.assertEqual(query.get_title(), "Mine")

	def test_query_names_are_unique_per_user(self):
		with self.set_user(self.alice.user):
			self.save_query("Key accounts")
			with self.assertRaisesRegex(
				frappe.DuplicateEntryError, "already have a saved query named Key accounts"
			):
				self.save_query("Key accounts")
			second = self.save_query("Other")
			second.query_name = "Key accounts"
			with self.assertRaises(frappe.DuplicateEntryError):
				second.save()
		with self.set_user(self.bob.user):
			self.save_query("Key accounts")  # another user's name does not count

	def test_one_default_per_user(self):
		with self.set_user(self.alice.user):
			first = self.save_query("First", is_default=1)
			second = self.save_query("Second", is_default=1)
		with self.set_user(self.bob.user):
			bobs = self.save_query("Bob's", is_default=1)
		defaults = frappe.get_all(QUERY, filters={"is_default": 1, "user": self.alice.user}, pluck="name")
		self.assertEqual(defaults, [second.name])
		self.assertEqual(frappe.db.get_value(QUERY, first.name, "is_default"), 0)
		self.assertEqual(frappe.db.get_value(QUERY, bobs.name, "is_default"), 1)
		with self.set_user(self.alice.user):
			first.reload()
			first.is_default = 1
			first.save()
		self.assertEqual(frappe.db.get_value(QUERY, second.name, "is_default"), 0)
		self.assertEqual(frappe.db.get_value(QUERY, first.name, "is_default"), 1)

	def test_invalid_conditions_are_not_saved(self):
		with (
			self.set_user(self.alice.user),
			self.assertRaisesRegex(frappe.ValidationError, "Row 1: .* is not a date"),
		):
			self.save_query("Broken", [row("Assignment Date", ">", "last week")])

	def test_a_user_cannot_see_anothers_query(self):
		with self.set_user(self.alice.user):
			query = self.save_query("Alice's", [row("Customer Name", "like", "Apple")])
			self.assertIn(query.name, frappe.get_list(QUERY, pluck="name"))
		with self.set_user(self.bob.user):
			self.assertNotIn(query.name, frappe.get_list(QUERY, pluck="name"))
			self.assertNotIn(
				query.name, frappe.get_list(QUERY, filters={"user": self.alice.user}, pluck="name")
			)
			doc = frappe.get_doc(QUERY, query.name)
			with self.assertRaises(frappe.PermissionError):
				doc.check_permission("read")
			self.assertFalse(frappe.has_permission(QUERY, "read", doc=query.name))
			with self.assertRaises(frappe.PermissionError):
				execute(frappe._dict(query=query.name))
		manager = make_user(profile=MANAGER)
		with self.set_user(manager):
			self.assertNotIn(query.name, frappe.get_list(QUERY, pluck="name"))
			with self.assertRaises(frappe.PermissionError):
				frappe.get_doc(QUERY, query.name).check_permission("read")

	def test_a_user_cannot_take_over_or_plant_a_query(self):
		with self.set_user(self.alice.user):
			query = self.save_query("Alice's")
		with self.set_user(self.bob.user):
			doc = frappe.get_doc(QUERY, query.name)
			doc.user = self.bob.user
			doc.query_name = "Stolen"
			with self.assertRaises(frappe.PermissionError):
				doc.save()
			with self.assertRaises(frappe.PermissionError):
				frappe.get_doc({"doctype": QUERY, "query_name": "Planted", "user": self.alice.user}).insert()
		self.assertEqual(
			frappe.db.get_value(QUERY, query.name, ["user", "query_name"]), (self.alice.user, "Alice's")
		)

	def test_report_runs_the_saved_query(self):
		with self.set_user(self.alice.user):
			query = self.save_query("Bob's rows", [row("Employee Name", "like", "Bob")])
			columns, data, _message, chart, summary = execute(frappe._dict(query=query.name))
		self.assertEqual(
			{(self.labels[r.customer], self.labels[r.employee]) for r in data}, {("cherry", "bob")}
		)
		self.assertEqual([c["fieldname"] for c in columns][:2], ["customer", "customer_name"])
		self.assertEqual(chart["data"]["labels"], [f"{self.prefix} Bob"])
		self.assertEqual(
			{s["label"]: s["value"] for s in summary}, {"Customers": 1, "Owners": 1, "Ownership Records": 1}
		)


class TestReportNumbers(OwnershipFixture):
	def independent_counts(self):
		hidden = set(frappe.get_all("ECRM Customer", filters={"is_hidden": 1}, pluck="name"))
		owners = [
			o
			for o in frappe.get_all(
				"ECRM Customer Owner",
				filters={"parenttype": "ECRM Customer", "parentfield": "owners"},
				fields=["parent", "employee"],
			)
			if o.parent not in hidden
		]
		per_employee = {}
		for o in owners:
			per_employee.setdefault(o.employee, set()).add(o.parent)
		return owners, per_employee

	def test_numbers_without_a_query_match_the_database(self):
		owners, per_employee = self.independent_counts()
		columns, data, message, chart, summary = execute(frappe._dict())
		self.assertIsNone(message)
		self.assertEqual(len(data), len(owners))
		self.assertEqual(
			{s["label"]: s["value"] for s in summary},
			{
				"Customers": len({o.parent for o in owners}),
				"Owners": len(per_employee),
				"Ownership Records": len(owners),
			},
		)
		self.assertEqual(chart["type"], "bar")
		counts = dict(zip(chart["data"]["labels"], chart["data"]["datasets"][0]["values"], strict=True))
		self.assertEqual(counts[f"{self.prefix} Alice"], len(per_employee[self.alice.name]))
		self.assertEqual(counts[f"{self.prefix} Alice"], 2)  # apple, cherry; not the hidden one
		self.assertEqual(counts[f"{self.prefix} Bob"], 2)
		self.assertEqual(counts[f"{self.prefix} Carol"], 1)
		self.assertEqual(sum(counts.values()), sum(len(c) for c in per_employee.values()))
		self.assertEqual(sorted(counts.values(), reverse=True), list(counts.values()))

	def test_numbers_with_a_query(self):
		query = frappe.get_doc(
			{
				"doctype": QUERY,
				"query_name": "_Test prefix " + self.prefix,
				"conditions": [row("Customer Name", "like", self.prefix)],
			}
		).insert()
		_columns, data, _message, chart, summary = execute(frappe._dict(query=query.name))
		self.assertEqual(
			{s["label"]: s["value"] for s in summary}, {"Customers": 4, "Owners": 3, "Ownership Records": 5}
		)
		self.assertEqual(len(data), 5)
		self.assertEqual(sorted(chart["data"]["datasets"][0]["values"]), [1, 2, 2])

	def test_columns_are_labelled(self):
		columns = execute(frappe._dict())[0]
		self.assertEqual(
			[c["label"] for c in columns],
			[
				"Customer Code",
				"Customer Name",
				"Region",
				"Employee Code",
				"Employee Name",
				"Assignment Date",
				"Latest Assignment",
			],
		)

	def test_empty_result_has_no_chart(self):
		_columns, data, _message, chart, summary = execute(frappe._dict())  # sanity: the fixture makes rows
		self.assertTrue(data and chart)
		salesperson = make_salesperson()
		with self.set_user(salesperson.user):
			_columns, data, _message, chart, summary = execute(frappe._dict())
		self.assertEqual(data, [])
		self.assertIsNone(chart)
		self.assertEqual([s["value"] for s in summary], [0, 0, 0])
