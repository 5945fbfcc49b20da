"""Statistics reports (I1–I7 and beyond), run through frappe.desk.query_report.run like the desk does.

Every test builds its own department with two salespeople and a handful of customers (one hidden), and
compares the report's numbers with counts made here independently with frappe.get_all / get_value.
"""

from collections import Counter
from datetime import datetime
from pathlib import Path

import frappe
from frappe.desk.query_report import run
from frappe.utils import random_string

from ent_crm.core.roles import MANAGER
from ent_crm.mail.inbound import bulk_insert
from tests.support import EntCRMTestCase
from tests.support.factories import ROOT_DEPARTMENT, make_customer, make_salesperson, make_user

DAY = datetime(2025, 6, 10, 9, 0)  # an old period no other test data falls into
PERIOD = {"from_date": "2025-06-01", "to_date": "2025-06-30"}


def make_mail(customer: str | None, direction: str, at: datetime, **fields) -> str:
	"""A plain ECRM Mail row, as routing or sending would leave it."""
	name = "t" + random_string(9).lower()
	bulk_insert(
		"ECRM Mail",
		[
			{
				"name": name,
				"subject": fields.pop("subject", f"Test {direction}"),
				"sender": fields.pop("sender", "buyer@example.com"),
				"received_at": at,
				"direction": direction,
				"queue": fields.pop("queue", "Handled"),
				"reference_doctype": "ECRM Customer" if customer else None,
				"reference_name": customer,
				"assigned_employee": fields.pop("assigned_employee", None),
				"assigned_user": fields.pop("assigned_user", None),
				"is_personal": 0,
				"is_auto_reply": fields.pop("is_auto_reply", 0),
				"is_bounce": 0,
				"followed_at": fields.pop("followed_at", None),
				"dedup_key": "test-" + name,
				"followup_days": 0,
				"docstatus": 0,
				**fields,
			}
		],
	)
	return name


class StatisticsTestCase(EntCRMTestCase):
	def setUp(self):
		super().setUp()
		self.department = (
			frappe.get_doc(
				{
					"doctype": "ECRM Department",
					"department_name": "_Test Stats " + random_string(6),
					"parent_ecrm_department": ROOT_DEPARTMENT,
				}
			)
			.insert(ignore_permissions=True)
			.name
		)
		self.a = make_salesperson(department=self.department)
		self.b = make_salesperson(department=self.department)
		self.manager = make_user(roles=[MANAGER])
		a, b = self.a.name, self.b.name
		self.c1 = self.customer(
			[a], "Hamburg", "Importer", "Trade Show", "Electronics", ["Garments", "Home Textiles"]
		)
		self.c2 = self.customer([a, b], "Berlin", "Wholesaler", "Alibaba", "Machinery", ["Garments"])
		self.c3 = self.customer([b], "Hangzhou", "Importer", "Alibaba", None, [])
		self.c4 = self.customer(
			[a], "Hamburg", "Importer", "Trade Show", "Electronics", ["Garments"], is_hidden=1
		)
		self.c5 = self.customer([b], "Germany", None, None, "Electronics", ["Home Textiles"])
		self.visible = [self.c1, self.c2, self.c3, self.c5]

	def customer(self, owners, region, customer_type, source, industry, products, **fields):
		return make_customer(
			owners,
			region=region,
			customer_type=customer_type,
			customer_source=source,
			industry=industry,
			products=[{"product": p} for p in products],
			**fields,
		).name

	def report(self, report, user=None, **filters):
		with self.set_user(user or self.manager):
			# (live, even if Frappe once switched the report to "prepared" after a slow run on a busy machine)
			return run(report, filters, ignore_prepared_report=True)

	def owned_by(self, employee) -> list[str]:
		return frappe.get_all(
			"ECRM Customer Owner",
			filters={"parenttype": "ECRM Customer", "employee": employee},
			pluck="parent",
		)

	def summary(self, result) -> dict:
		return {card["label"]: card["value"] for card in result["report_summary"]}


class TestCustomerDistributions(StatisticsTestCase):
	def expected(self, field, customers):
		values = frappe.get_all(
			"ECRM Customer", filters={"name": ("in", customers), "is_hidden": 0}, pluck=field
		)
		return Counter(values)

	def counted(self, result):
		return Counter({row["value"]: row["customers"] for row in result["result"]})

	def test_type_source_industry_count_the_departments_customers_without_hidden_ones(self):
		mine = self.owned_by(self.a.name) + self.owned_by(self.b.name)
		for report, field in (
			("Customer Type Statistics", "customer_type"),
			("Customer Source Statistics", "customer_source"),
			("Customer Industry Statistics", "industry"),
		):
			result = self.report(report, department=self.department)
			self.assertEqual(self.counted(result), self.expected(field, mine), report)
			self.assertEqual(self.summary(result)["Customers"], 4, report)  # c4 is hidden
			self.assertTrue(result["chart"]["data"]["labels"], report)
		importer = next(
			r
			for r in self.report("Customer Type Statistics", department=self.department)["result"]
			if r["value"] == "Importer"
		)
		self.assertEqual((importer["customers"], importer["share"]), (2, 50.0))

	def test_a_salesperson_counts_only_their_own_customers(self):
		result = self.report("Customer Type Statistics", self.a.user)
		self.assertEqual(self.counted(result), self.expected("customer_type", self.owned_by(self.a.name)))
		self.assertEqual(self.summary(result)["Customers"], 2)  # c1, c2 (c4 hidden)

	def test_salesperson_and_region_filters(self):
		result = self.report("Customer Type Statistics", salesperson=self.b.name)
		self.assertEqual(self.counted(result), self.expected("customer_type", self.owned_by(self.b.name)))
		result = self.report("Customer Type Statistics", department=self.department, region="Germany")
		self.assertEqual(self.counted(result), self.expected("customer_type", [self.c1, self.c2, self.c5]))

	def test_period_counts_customers_created_in_it(self):
		frappe.db.set_value(
			"ECRM Customer", self.c3, "creation", "2025-06-15 10:00:00", update_modified=False
		)
		result = self.report("Customer Type Statistics", department=self.department, **PERIOD)
		self.assertEqual(self.counted(result), Counter({"Importer": 1}))
		result = self.report("Customer Type Statistics", department=self.department, from_date="2025-07-01")
		self.assertEqual(self.summary(result)["Customers"], 3)

	def test_reversed_period_is_refused(self):
		with self.assertRaises(frappe.ValidationError):
			self.report("Customer Type Statistics", from_date="2025-07-01", to_date="2025-06-01")


class TestRegionDistribution(StatisticsTestCase):
	def expected(self, parent, customers):
		"""Walk each customer's region up the tree (parent by parent) to the level below `parent`."""
		counts = Counter()
		for region in frappe.get_all(
			"ECRM Customer", filters={"name": ("in", customers), "is_hidden": 0}, pluck="region"
		):
			if region == parent:
				counts[f"{parent} (itself)"] += 1
				continue
			while True:
				up = frappe.db.get_value("ECRM Region", region, "parent_ecrm_region") or None
				if up == parent:
					counts[region] += 1
					break
				if up is None:
					break
				region = up
		return counts

	def counted(self, result):
		return Counter({row["region_label"]: row["customers"] for row in result["result"]})

	def test_continents_then_country_then_cities(self):
		mine = self.visible + [self.c4]
		for parent in (None, "Europe", "Germany", "Asia", "China"):
			result = self.report(
				"Customer Region Distribution", department=self.department, parent_region=parent
			)
			self.assertEqual(self.counted(result), self.expected(parent, mine), parent)
		germany = self.report(
			"Customer Region Distribution", department=self.department, parent_region="Germany"
		)["result"]
		self.assertEqual(
			{row["region"]: row["can_drill"] for row in germany}, {"Hamburg": 0, "Berlin": 0, "Germany": 0}
		)
		europe = self.report(
			"Customer Region Distribution", department=self.department, parent_region="Europe"
		)["result"]
		self.assertEqual(
			[(row["region"], row["customers"], row["can_drill"]) for row in europe], [("Germany", 3, 1)]
		)

	def test_salesperson_sees_their_own(self):
		result = self.report("Customer Region Distribution", self.b.user)
		self.assertEqual(self.counted(result), self.expected(None, self.owned_by(self.b.name)))
		self.assertEqual(self.summary(result)["Customers"], 3)


class TestProducts(StatisticsTestCase):
	def pairs(self, customers, product=None):
		rows = frappe.get_all(
			"ECRM Product Item",
			filters={
				"parenttype": "ECRM Customer",
				"parent": ("in", customers),
				**({"product": product} if product else {}),
			},
			fields=["parent", "product"],
		)
		hidden = set(
			frappe.get_all("ECRM Customer", filters={"name": ("in", customers), "is_hidden": 1}, pluck="name")
		)
		return {(row.parent, row.product) for row in rows if row.parent not in hidden}

	def test_customer_products_detail(self):
		mine = self.visible + [self.c4]
		result = self.report("Customer Products", department=self.department)
		self.assertEqual({(r["customer"], r["product"]) for r in result["result"]}, self.pairs(mine))
		result = self.report("Customer Products", department=self.department, product="Garments")
		self.assertEqual(
			{(r["customer"], r["product"]) for r in result["result"]}, self.pairs(mine, "Garments")
		)
		self.assertEqual(self.summary(result)["Customers"], 2)

	def test_product_statistics(self):
		mine = self.visible + [self.c4]
		expected = Counter(product for _customer, product in self.pairs(mine))
		result = self.report("Product Statistics", department=self.department)
		self.assertEqual(Counter({r["product"]: r["customers"] for r in result["result"]}), expected)
		cards = self.summary(result)
		self.assertEqual(
			(cards["Customers with Products"], cards["Customers Without Products"]), (3, 1)
		)  # c3 has none

	def test_salesperson_sees_their_own_products(self):
		result = self.report("Product Statistics", self.a.user)
		expected = Counter(product for _customer, product in self.pairs(self.owned_by(self.a.name)))
		self.assertEqual(Counter({r["product"]: r["customers"] for r in result["result"]}), expected)
		result = self.report("Customer Products", self.a.user)
		self.assertEqual(
			{(r["customer"], r["product"]) for r in result["result"]}, self.pairs(self.owned_by(self.a.name))
		)


class TestReportScripts(EntCRMTestCase):
	def test_each_report_script_uses_the_bundled_shared_filters(self):
		from frappe.desk.query_report import get_script

		# the desk loads ent_crm.bundle.js (which defines ent_crm.statistics) before any report script runs
		self.assertIn("ent_crm.bundle.js", frappe.get_hooks("app_include_js", app_name="ent_crm"))
		public = Path(frappe.get_app_path("ent_crm", "public", "js"))
		self.assertIn('import "./ecrm_statistics.js";', (public / "ent_crm.bundle.js").read_text())
		self.assertIn("ent_crm.statistics = {", (public / "ecrm_statistics.js").read_text())
		for name in (
			"Customer Type Statistics",
			"Customer Region Distribution",
			"Customer Products",
			"Product Statistics",
			"Follow-ups per Salesperson",
			"First Response Time",
			"Mail Volume per Week",
		):
			script = get_script(name)["script"]
			self.assertNotIn("{% include", script, name)  # no copy of the shared file in each script
			self.assertIn("ent_crm.statistics.filters(", script, name)
