"""Pure date rules of follow-up reminders (F3); no Frappe here, so unit tests run without a site."""

from datetime import date, timedelta

SATURDAY, SUNDAY = 5, 6


def off_weekend(day: date, skip_weekends: bool) -> date:
	"""The day itself, or the Monday after when it falls on a weekend and weekends are skipped."""
	if not skip_weekends:
		return day
	while day.weekday() in (SATURDAY, SUNDAY):
		day += timedelta(days=1)
	return day


def due_after(start: date, days: int | None, skip_weekends: bool) -> date | None:
	"""The reminder day `days` calendar days after `start`; 0 or nothing means no reminder (F2)."""
	if not days or days <= 0:
		return None
	return off_weekend(start + timedelta(days=days), skip_weekends)
