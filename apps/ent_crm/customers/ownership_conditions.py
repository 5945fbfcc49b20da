"""Condition rows of the ownership query (G5): what a row may say and how rows combine.

No Frappe imports (unit-testable). `ent_crm.customers.ownership_query` turns the checked rows into a query and the
error codes raised here into translated messages.

Rows combine like SQL: AND binds tighter than OR, so `A AND B OR C AND D` means `(A AND B) OR (C AND D)`.
The logic of the first row is ignored.
"""

import re
from datetime import date

TEXT, DATE, FLAG = "text", "date", "flag"

# column (the Select option of the condition row) -> kind of value it compares
COLUMNS = {
	"Employee Code": TEXT,
	"Employee Name": TEXT,
	"Customer Code": TEXT,
	"Customer Name": TEXT,
	"Assignment Date": DATE,
	"Latest Assignment": FLAG,
}
OPERATORS = ("=", ">", ">=", "<", "<=", "!=", "like")
LOGICS = ("AND", "OR")

# 2026-03-31, 2026/3/31 or 2026.3.31 (year first, as Chinese users write dates)
DATE_PATTERN = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
FLAG_VALUES = {"1": 1, "0": 0}


class ConditionError(ValueError):
	"""A row that cannot be queried. `code` names the problem, `row` is its 1-based number, `detail`
	the offending column, operator or value (for the message)."""

	def __init__(self, code: str, row: int, detail: str = ""):
		super().__init__(f"row {row}: {code} {detail}".strip())
		self.code, self.row, self.detail = code, row, detail


def parse_date(value: str) -> str | None:
	"""The ISO date of a year-first date such as 2026-3-31; None when it is not a real date."""
	match = DATE_PATTERN.match((value or "").strip())
	if not match:
		return None
	try:
		return date(*(int(part) for part in match.groups())).isoformat()
	except ValueError:
		return None


def like_pattern(value: str) -> str:
	"""`like` without % means "contains": the text is matched literally anywhere. With a %, the value is
	the user's own pattern (% any text, _ one character)."""
	if "%" in value:
		return value
	literal = value.replace("\\", "\\\\").replace("_", "\\_")
	return f"%{literal}%"


def _get(row, key: str):
	return row.get(key) if hasattr(row, "get") else getattr(row, key, None)


def check_row(row, number: int) -> dict:
	"""One checked row: {logic, column, kind, operator, value} with the value converted for its column
	(ISO date, 1/0 flag, like pattern, stripped text). Raises ConditionError. The first row's logic is
	ignored (and set to AND)."""
	column = (_get(row, "column") or "").strip()
	operator = (_get(row, "operator") or "").strip()
	logic = "AND" if number == 1 else (_get(row, "logic") or "AND").strip().upper()
	raw = _get(row, "value")
	value = ("" if raw is None else str(raw)).strip()
	if not column:
		raise ConditionError("no_column", number)
	if column not in COLUMNS:
		raise ConditionError("unknown_column", number, column)
	if not operator:
		raise ConditionError("no_operator", number)
	if operator not in OPERATORS:
		raise ConditionError("unknown_operator", number, operator)
	if logic not in LOGICS:
		raise ConditionError("unknown_logic", number, logic)
	if not value:
		raise ConditionError("empty_value", number, column)
	kind = COLUMNS[column]
	if operator == "like" and kind != TEXT:
		raise ConditionError("like_not_text", number, column)
	if kind == DATE:
		value = parse_date(value)
		if value is None:
			raise ConditionError("bad_date", number, str(raw).strip())
	elif kind == FLAG:
		if value not in FLAG_VALUES:
			raise ConditionError("bad_flag", number, value)
		value = FLAG_VALUES[value]
	elif operator == "like":
		value = like_pattern(value)
	return {"logic": logic, "column": column, "kind": kind, "operator": operator, "value": value}


def check_rows(rows) -> list[dict]:
	"""Every row checked, in order (see check_row)."""
	return [check_row(row, number) for number, row in enumerate(rows or [], start=1)]


def or_groups(checked: list[dict]) -> list[list[dict]]:
	"""AND binds tighter than OR: each OR starts a new group; the rows of a group are AND-ed and the
	groups OR-ed. [A, AND B, OR C, AND D] -> [[A, B], [C, D]]."""
	groups: list[list[dict]] = []
	for row in checked:
		if not groups or row["logic"] == "OR":
			groups.append([])
		groups[-1].append(row)
	return groups
