"""Benchmark: the CRM Logs page (A8) on large logs — one page of each kind, first and deep pages.

Run with the bench's Python from the sites folder, against a site with ent_crm installed:

    cd ~/frappe-bench/sites
    ../env/bin/python ~/frappe-bench/apps/ent_crm/bench/admin_logs.py --site ent-crm-test.localhost -n 200000

It adds N rows to each of Frappe's Activity Log, Version and Access Log (spread over 200 users and a
year), then times ent_crm.admin.logs.get_logs for the first page, a page 1,000 rows deep and a page
filtered by one user and one month; everything is rolled back afterwards (nothing is kept).
Target: every page under 0.2 s on this 2-core machine.
"""

import argparse
import json
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "apps"))

import frappe


def fill(n: int) -> list[str]:
	rng = random.Random(7)
	users = [f"bench-log-{i}@example.com" for i in range(200)]
	now = frappe.utils.now_datetime()
	stamp = lambda: now - timedelta(seconds=rng.randint(0, 365 * 24 * 3600))  # noqa: E731
	chunk = 5000
	for start in range(0, n, chunk):
		size = min(chunk, n - start)
		rows = []
		for i in range(start, start + size):
			t = stamp()
			rows.append(
				(
					f"bench-al-{i}",
					t,
					t,
					users[i % 200],
					"Login" if i % 2 else "Logout",
					"Success",
					f"u{i} logged in",
					"10.0.0.1",
				)
			)
		frappe.db.bulk_insert(
			"Activity Log",
			["name", "creation", "modified", "user", "operation", "status", "subject", "ip_address"],
			rows,
		)
		rows = []
		for i in range(start, start + size):
			t = stamp()
			data = json.dumps(
				{
					"changed": [["customer_name", f"Old {i}", f"New {i}"]],
					"added": [],
					"removed": [],
					"row_changed": [],
				}
			)
			rows.append((f"bench-v-{i}", t, t, users[i % 200], "ECRM Customer", f"CUST-{i}", data))
		frappe.db.bulk_insert(
			"Version", ["name", "creation", "modified", "owner", "ref_doctype", "docname", "data"], rows
		)
		rows = []
		for i in range(start, start + size):
			t = stamp()
			rows.append((f"bench-ac-{i}", t, t, users[i % 200], "ECRM Customer", "CSV", "Report"))
		frappe.db.bulk_insert(
			"Access Log",
			["name", "creation", "modified", "user", "export_from", "file_type", "report_name"],
			rows,
		)
	return users


def timed(label: str, fn) -> float:
	fn()  # warm the caches once, as a page the administrator opens again
	start = time.perf_counter()
	result = fn()
	seconds = time.perf_counter() - start
	print(f"{label:<44} {len(result['rows']):>4} rows  {seconds * 1000:8.1f} ms")
	return seconds


def main() -> None:
	parser = argparse.ArgumentParser()
	parser.add_argument("--site", required=True)
	parser.add_argument("-n", type=int, default=100000, help="rows added to each log")
	args = parser.parse_args()
	frappe.init(site=args.site, sites_path=".")
	frappe.connect()
	frappe.set_user("Administrator")
	from ent_crm.admin.logs import get_logs

	try:
		start = time.perf_counter()
		users = fill(args.n)
		print(f"added {args.n} rows to each log in {time.perf_counter() - start:.1f} s")
		month_from = frappe.utils.add_days(frappe.utils.nowdate(), -60)
		month_to = frappe.utils.add_days(frappe.utils.nowdate(), -30)
		worst = 0.0
		for kind in ("login", "change", "access"):
			worst = max(worst, timed(f"{kind}: first page", lambda: get_logs(kind)))
			worst = max(worst, timed(f"{kind}: 1,000 rows deep", lambda: get_logs(kind, start=1000)))
			worst = max(
				worst,
				timed(
					f"{kind}: one user, one month",
					lambda: get_logs(kind, user=users[3], from_date=month_from, to_date=month_to),
				),
			)
		print(f"slowest page: {worst * 1000:.1f} ms (target < 200 ms)")
	finally:
		frappe.db.rollback()
		frappe.destroy()


if __name__ == "__main__":
	main()
