"""Pure rules of the ownership query (G5): checking condition rows and AND-before-OR grouping."""

import unittest

from ent_crm.customers.ownership_conditions import (
	COLUMNS,
	OPERATORS,
	ConditionError,
	check_row,
	check_rows,
	like_pattern,
	or_groups,
	parse_date,
)


def row(column="Customer Name", operator="=", value="x", logic="AND"):
	return {"logic": logic, "column": column, "operator": operator, "value": value}


class Obj:
	"""A child row as Frappe hands it over, read through attributes."""

	def __init__(self, **kw):
		self.__dict__.update(kw)


class TestCheckRow(unittest.TestCase):
	def assertError(self, code, conditions, row_number=1):
		with self.assertRaises(ConditionError) as caught:
			check_rows(conditions)
		self.assertEqual((caught.exception.code, caught.exception.row), (code, row_number))
		return caught.exception

	def test_the_columns_and_operators_of_the_manual(self):
		self.assertEqual(
			list(COLUMNS),
			[
				"Employee Code",
				"Employee Name",
				"Customer Code",
				"Customer Name",
				"Assignment Date",
				"Latest Assignment",
			],
		)
		self.assertEqual(OPERATORS, ("=", ">", ">=", "<", "<=", "!=", "like"))

	def test_text_values_are_stripped(self):
		self.assertEqual(check_row(row(value="  Acme "), 1)["value"], "Acme")

	def test_unknown_column_operator_and_logic(self):
		self.assertEqual(self.assertError("unknown_column", [row(column="Password")]).detail, "Password")
		self.assertEqual(self.assertError("unknown_operator", [row(), row(operator="in")], 2).detail, "in")
		self.assertError("no_operator", [row(operator="")])
		self.assertError("no_column", [row(column=None)])
		self.assertError("unknown_logic", [row(), row(logic="XOR")], 2)

	def test_empty_values(self):
		for value in ("", "   ", None):
			self.assertEqual(self.assertError("empty_value", [row(value=value)]).detail, "Customer Name")

	def test_dates(self):
		cases = (
			("2026-03-01", "2026-03-01"),
			("2026/3/1", "2026-03-01"),
			("2026.12.31", "2026-12-31"),
			(" 2026-1-9 ", "2026-01-09"),
		)
		for value, iso in cases:
			self.assertEqual(check_row(row("Assignment Date", ">=", value), 1)["value"], iso, value)
		for value in (
			"yesterday",
			"2026-02-30",
			"31.03.2026",
			"2026-03",
			"2026-03-01' or '1'='1",
			"20260301",
		):
			self.assertError("bad_date", [row("Assignment Date", "=", value)])

	def test_latest_assignment_is_1_or_0(self):
		self.assertEqual(check_row(row("Latest Assignment", "=", "1"), 1)["value"], 1)
		self.assertEqual(check_row(row("Latest Assignment", "!=", " 0 "), 1)["value"], 0)
		for value in ("2", "yes", "true", "1 or 1=1"):
			self.assertError("bad_flag", [row("Latest Assignment", "=", value)])

	def test_like_only_on_text_columns(self):
		self.assertError("like_not_text", [row("Assignment Date", "like", "2026")])
		self.assertError("like_not_text", [row("Latest Assignment", "like", "1")])
		self.assertEqual(check_row(row("Employee Name", "like", "Li"), 1)["value"], "%Li%")

	def test_rows_may_be_objects(self):
		checked = check_rows([Obj(logic="AND", column="Customer Code", operator="!=", value="C.000001")])
		self.assertEqual(checked[0]["value"], "C.000001")

	def test_first_rows_logic_is_ignored(self):
		checked = check_rows([row(logic="OR"), row(logic="OR")])
		self.assertEqual([r["logic"] for r in checked], ["AND", "OR"])
		self.assertEqual(check_rows([row(logic="anything")])[0]["logic"], "AND")
		self.assertEqual(check_rows([row(logic=None), row(logic=None)])[1]["logic"], "AND")

	def test_no_rows(self):
		self.assertEqual(check_rows([]), [])
		self.assertEqual(check_rows(None), [])


class TestLikePattern(unittest.TestCase):
	def test_without_percent_it_means_contains_literally(self):
		self.assertEqual(like_pattern("Acme"), "%Acme%")
		self.assertEqual(like_pattern("Date_Palm"), "%Date\\_Palm%")
		self.assertEqual(like_pattern("a\\b"), "%a\\\\b%")
		self.assertEqual(like_pattern("x' or '1'='1"), "%x' or '1'='1%")

	def test_with_percent_it_is_the_users_pattern(self):
		self.assertEqual(like_pattern("Ac%"), "Ac%")
		self.assertEqual(like_pattern("%_me"), "%_me")


class TestPrecedence(unittest.TestCase):
	def names(self, logics):
		checked = [row(value=name, logic=logic) for name, logic in logics]
		return [[r["value"] for r in group] for group in or_groups(checked)]

	def test_and_binds_tighter_than_or(self):
		self.assertEqual(
			self.names([("A", "AND"), ("B", "AND"), ("C", "OR"), ("D", "AND")]), [["A", "B"], ["C", "D"]]
		)
		self.assertEqual(self.names([("A", "AND"), ("B", "OR"), ("C", "AND")]), [["A"], ["B", "C"]])
		self.assertEqual(self.names([("A", "AND"), ("B", "OR"), ("C", "OR")]), [["A"], ["B"], ["C"]])
		self.assertEqual(self.names([("A", "AND"), ("B", "AND"), ("C", "AND")]), [["A", "B", "C"]])

	def test_no_rows_no_groups(self):
		self.assertEqual(or_groups([]), [])

	def test_parse_date_alone(self):
		self.assertEqual(parse_date("2024-02-29"), "2024-02-29")
		self.assertIsNone(parse_date("2025-02-29"))
		self.assertIsNone(parse_date(None))
