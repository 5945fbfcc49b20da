"""Statistics charts read right (I1–I7): a pie keeps the 7 biggest slices and groups the rest as "Other"
(one slice summing them), and carries no fieldtype, so the desk shows the legend's counts as numbers, not
as HTML markup."""

from ent_crm.statistics import reports
from tests.support import EntCRMTestCase


class TestPieCharts(EntCRMTestCase):
	def test_beyond_eight_slices_the_rest_is_other(self):
		labels = [f"L{i}" for i in range(11)]
		values = [100 - i for i in range(11)]  # L0 is the biggest
		chart = reports.pie_chart(labels, values, "Customers")
		self.assertEqual(chart["data"]["labels"], [*labels[:7], "Other"])
		self.assertEqual(chart["data"]["datasets"][0]["values"], [*values[:7], sum(values[7:])])
		self.assertNotIn("fieldtype", chart)

	def test_eight_or_fewer_slices_stay_as_they_are(self):
		chart = reports.pie_chart(["a", "b"], [1, 3], "Customers")
		self.assertEqual(chart["data"]["labels"], ["b", "a"])
		self.assertIsNone(reports.pie_chart([], [], "Customers"))
