"""Pure rules of the statistics reports: periods, weeks, shares, the region drill-down, first response."""

import unittest
from datetime import date, datetime, timedelta

from ent_crm.statistics.rules import (
	first_response,
	period,
	response_summary,
	share,
	subtree_counts,
	week_start,
	weeks_between,
)

TODAY = date(2026, 11, 27)  # a Friday


class TestPeriod(unittest.TestCase):
	def test_end_is_exclusive_and_defaults_to_today(self):
		self.assertEqual(period(None, None, 30, TODAY), (date(2026, 10, 29), date(2026, 11, 28)))

	def test_explicit_dates_as_strings_or_dates(self):
		self.assertEqual(
			period("2026-01-01", date(2026, 1, 31), 30, TODAY), (date(2026, 1, 1), date(2026, 2, 1))
		)

	def test_no_default_means_no_lower_bound(self):
		self.assertEqual(period(None, None, None, TODAY), (None, date(2026, 11, 28)))

	def test_one_day(self):
		self.assertEqual(
			period("2026-11-27", "2026-11-27", None, TODAY), (date(2026, 11, 27), date(2026, 11, 28))
		)

	def test_reversed_period_is_refused(self):
		with self.assertRaises(ValueError):
			period("2026-11-28", "2026-11-27", None, TODAY)


class TestWeeksAndShares(unittest.TestCase):
	def test_week_starts_on_monday(self):
		self.assertEqual(week_start(TODAY), date(2026, 11, 23))
		self.assertEqual(week_start(datetime(2026, 11, 23, 0, 0)), date(2026, 11, 23))
		self.assertEqual(week_start("2026-11-29"), date(2026, 11, 23))  # a Sunday ends the week of its Monday

	def test_weeks_between_covers_partial_weeks_at_both_ends(self):
		weeks = weeks_between(date(2026, 11, 4), date(2026, 11, 28))  # Wed 4th … Fri 27th
		self.assertEqual(
			weeks, [date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23)]
		)

	def test_end_on_a_monday_adds_no_empty_week(self):
		self.assertEqual(weeks_between(date(2026, 11, 16), date(2026, 11, 23)), [date(2026, 11, 16)])

	def test_share(self):
		self.assertEqual(share(1, 3), 33.3)
		self.assertEqual(share(0, 0), 0.0)
		self.assertEqual(share(5, 5), 100.0)


class TestRegionDrillDown(unittest.TestCase):
	# Asia (1..10) holds China (2..7) with Zhejiang (3..6) and Hangzhou (4..5), and Japan (8..9)
	CHILDREN_OF_ASIA = [("China", 2, 7), ("Japan", 8, 9)]

	def test_counts_land_on_the_child_holding_the_region(self):
		counts = [(4, 5), (3, 2), (2, 1), (8, 4)]  # Hangzhou 5, Zhejiang 2, China itself 1, Japan 4
		self.assertEqual(subtree_counts(self.CHILDREN_OF_ASIA, counts), {"China": 8, "Japan": 4})

	def test_customers_on_the_parent_itself_belong_to_no_child(self):
		self.assertEqual(subtree_counts(self.CHILDREN_OF_ASIA, [(1, 3)]), {"China": 0, "Japan": 0})


class TestFirstResponse(unittest.TestCase):
	AT = datetime(2026, 11, 2, 9, 0)

	def test_earlier_of_sent_mail_and_followed(self):
		self.assertEqual(
			first_response(self.AT, self.AT + timedelta(hours=5), self.AT + timedelta(hours=2)),
			self.AT + timedelta(hours=2),
		)
		self.assertEqual(
			first_response(self.AT, self.AT + timedelta(hours=1), self.AT + timedelta(hours=2)),
			self.AT + timedelta(hours=1),
		)

	def test_either_alone(self):
		self.assertEqual(
			first_response(self.AT, None, self.AT + timedelta(hours=3)), self.AT + timedelta(hours=3)
		)
		self.assertEqual(
			first_response(self.AT, self.AT + timedelta(days=2), None), self.AT + timedelta(days=2)
		)

	def test_unanswered(self):
		self.assertIsNone(first_response(self.AT, None, None))

	def test_followed_before_arrival_counts_as_at_once(self):
		self.assertEqual(first_response(self.AT, None, self.AT - timedelta(hours=1)), self.AT)

	def test_summary(self):
		numbers = response_summary([1.0, 2.0, 30.0], unanswered=1)
		self.assertEqual(numbers["inbound"], 4)
		self.assertEqual(numbers["answered"], 3)
		self.assertEqual(numbers["average_hours"], 11.0)
		self.assertEqual(numbers["median_hours"], 2.0)
		self.assertEqual(numbers["within_24h"], 50.0)  # 2 of 4 mails

	def test_summary_of_nothing_answered(self):
		numbers = response_summary([], unanswered=2)
		self.assertIsNone(numbers["median_hours"])
		self.assertEqual(numbers["within_24h"], 0.0)


class TestNextAnswer(unittest.TestCase):
	def test_first_moment_at_or_after(self):
		from ent_crm.statistics.rules import next_at_or_after

		at = datetime(2026, 11, 2, 9, 0)
		moments = [at - timedelta(hours=1), at, at + timedelta(hours=2)]
		self.assertEqual(next_at_or_after(moments, at), at)  # a mail sent the same second answers it
		self.assertEqual(next_at_or_after(moments, at + timedelta(minutes=1)), at + timedelta(hours=2))
		self.assertIsNone(next_at_or_after(moments, at + timedelta(hours=3)))
		self.assertIsNone(next_at_or_after([], at))
