"""Pure rules of the statistics reports (I1–I7 and beyond): periods, weeks, shares, the region
drill-down and the first-response definition. No Frappe imports (unit-testable); ent_crm.statistics.reports
builds the queries around them."""

from datetime import date, datetime, timedelta
from statistics import median


def as_date(value) -> date | None:
	"""A date from a date, a datetime or an ISO string ('2026-11-27'); None for empty."""
	if not value:
		return None
	if isinstance(value, datetime):
		return value.date()
	if isinstance(value, date):
		return value
	return date.fromisoformat(str(value)[:10])


def period(from_date, to_date, default_days: int | None, on: date) -> tuple[date | None, date]:
	"""The period as (first day, day after the last day): the end is exclusive so Datetime columns compare
	simply. `to_date` defaults to `on` (today); `from_date` to `default_days` days ending there (or no lower
	bound when `default_days` is None). A reversed period raises ValueError."""
	end = as_date(to_date) or on
	start = as_date(from_date) or (end - timedelta(days=default_days - 1) if default_days else None)
	if start and start > end:
		raise ValueError("period reversed")
	return start, end + timedelta(days=1)


def share(part: int, total: int) -> float:
	"""Percentage with one decimal; 0 when there is nothing."""
	return round(100.0 * part / total, 1) if total else 0.0


def week_start(day) -> date:
	"""The Monday of the week of `day` (weeks start on Monday, as in China)."""
	day = as_date(day)
	return day - timedelta(days=day.weekday())


def weeks_between(start, end_exclusive) -> list[date]:
	"""Every Monday from the week of `start` up to the week of the day before `end_exclusive`."""
	monday, last = week_start(start), week_start(as_date(end_exclusive) - timedelta(days=1))
	weeks = []
	while monday <= last:
		weeks.append(monday)
		monday += timedelta(days=7)
	return weeks


def subtree_counts(children: list[tuple[str, int, int]], counts: list[tuple[int, int]]) -> dict[str, int]:
	"""Region drill-down: `children` are (name, lft, rgt) of the regions one level below the parent (nested
	set: a subtree's lft/rgt lie within its root's), `counts` (lft of a customer's region, customers there).
	Returns name -> customers in that child's subtree; counts outside every child are left out."""
	totals = {name: 0 for name, _lft, _rgt in children}
	for lft, count in counts:
		for name, child_lft, child_rgt in children:
			if child_lft <= lft <= child_rgt:
				totals[name] += count
				break
	return totals


def first_response(
	received_at: datetime, next_outbound: datetime | None, followed_at: datetime | None
) -> datetime | None:
	"""When an inbound mail was answered: the earlier of the first outbound mail to the same customer at or
	after its arrival and the moment it was marked followed (an answer by phone, fax, a visit …); None
	while neither happened. A followed_at before the arrival (imported mail marked followed) counts as at once."""
	moments = [m for m in (next_outbound, followed_at) if m]
	if not moments:
		return None
	return max(min(moments), received_at)


def response_summary(hours: list[float], unanswered: int) -> dict:
	"""Counts, average and median hours to the first response, and the share of all inbound mail
	(answered or not) answered within 24 hours."""
	answered = len(hours)
	return {
		"inbound": answered + unanswered,
		"answered": answered,
		"unanswered": unanswered,
		"average_hours": round(sum(hours) / answered, 1) if answered else None,
		"median_hours": round(median(hours), 1) if answered else None,
		"within_24h": share(sum(1 for h in hours if h <= 24), answered + unanswered),
	}


def next_at_or_after(moments: list, moment):
	"""The first of the sorted `moments` at or after `moment`, or None (the first answer to a mail)."""
	from bisect import bisect_left

	position = bisect_left(moments, moment)
	return moments[position] if position < len(moments) else None
