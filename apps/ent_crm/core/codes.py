"""Employee numbers: four digits, unique, handed out in sequence. No Frappe imports (unit-testable)."""

import re

EMPLOYEE_CODE = re.compile(r"^[0-9]{4}$")  # ASCII only: \d also matches fullwidth digits


def is_valid_employee_code(code: str | None) -> bool:
	return bool(code) and bool(EMPLOYEE_CODE.match(code))


def next_employee_code(existing: list[str] | set[str]) -> str:
	"""The lowest four-digit number above every valid code in use; ValueError when 9999 is taken."""
	used = [int(c) for c in existing if is_valid_employee_code(c)]
	candidate = max(used, default=0) + 1
	if candidate > 9999:
		raise ValueError("no free employee number")
	return f"{candidate:04d}"
