"""Benchmark: how long each statistics report takes at scale (issue 6 target: ≤ 1 s each).

Run with the bench's Python from the sites folder, against the data set of bench/generate_dataset.py
(100k customers, 1M mails, 1M contact logs):

    cd ~/frappe-bench/sites
    ../env/bin/python /work/main/bench/reports.py --site ent-crm-bench.localhost [--runs 3]

Each report goes through frappe.desk.query_report.run (what the desk calls) with its default filters, as
the manager `bmanager@bench.example` (all numbers) and as the salesperson `bsales01@bench.example` (own
numbers), plus a few heavier variants (a whole year, a product, a department, a region drill-down). The
first run warms caches and is not counted; the median of `--runs` runs is printed with the row count.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "apps"))

import frappe

REPORTS = [
	"Customer Type Statistics",
	"Customer Region Distribution",
	"Customer Source Statistics",
	"Customer Industry Statistics",
	"Customer Products",
	"Product Statistics",
	"Follow-ups per Salesperson",
	"First Response Time",
	"Mail Volume per Week",
]


def variants() -> list[tuple[str, dict]]:
	"""Heavier filters than the defaults."""
	from frappe.utils import add_days, today

	year = {"from_date": add_days(today(), -364), "to_date": today()}
	department = frappe.db.get_value("ECRM Department", {"department_name": "Bench Dept 1"}) or ""
	return [
		("Customer Region Distribution", {"parent_region": "Asia"}),
		("Customer Region Distribution", {"parent_region": "China"}),
		("Customer Products", {"product": frappe.get_all("ECRM Product", pluck="name", limit=1)[0]}),
		("Customer Type Statistics", {"department": department}),
		("Follow-ups per Salesperson", year),
		("First Response Time", {"from_date": add_days(today(), -89), "to_date": today()}),
		("Mail Volume per Week", year),
		("Mail Volume per Week", {"department": department}),
	]


def time_report(name: str, filters: dict, user: str, runs: int) -> tuple[float, int]:
	from frappe.desk.query_report import run

	frappe.set_user(user)
	# (a report that once ran over 15 s has been switched to "prepared" by Frappe; time the live run)
	result = run(name, dict(filters), ignore_prepared_report=True)  # warm-up
	times = []
	for _ in range(runs):
		start = time.perf_counter()
		result = run(name, dict(filters), ignore_prepared_report=True)
		times.append(time.perf_counter() - start)
	frappe.set_user("Administrator")
	return statistics.median(times), len(result["result"])


def main() -> None:
	parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
	parser.add_argument("--site", default="ent-crm-bench.localhost")
	parser.add_argument("--runs", type=int, default=3)
	parser.add_argument("--manager", default="bmanager@bench.example")
	parser.add_argument("--salesperson", default="bsales01@bench.example")
	args = parser.parse_args()

	sites = Path(os.environ.get("FRAPPE_BENCH", "/home/frappe/frappe-bench")) / "sites"
	os.chdir(sites)
	frappe.init(site=args.site, sites_path=str(sites))
	frappe.connect()
	counts = {dt: frappe.db.count(dt) for dt in ("ECRM Customer", "ECRM Mail", "ECRM Contact Log")}
	print(f"site {args.site}: " + ", ".join(f"{n} {dt}" for dt, n in counts.items()))
	print(f"{'report':<32} {'filters':<34} {'user':<12} {'seconds':>8} {'rows':>6}")
	slow = []
	cases = [(name, {}) for name in REPORTS] + variants()
	for name, filters in cases:
		for label, user in (("manager", args.manager), ("salesperson", args.salesperson)):
			seconds, rows = time_report(name, filters, user, args.runs)
			shown = ",".join(f"{k}={v}" for k, v in filters.items())[:34] or "(defaults)"
			print(f"{name:<32} {shown:<34} {label:<12} {seconds:8.3f} {rows:>6}", flush=True)
			if seconds > 1:
				slow.append((name, shown, label, seconds))
	print("over 1 s: " + ("; ".join(f"{n} [{f}] {u} {s:.2f} s" for n, f, u, s in slow) if slow else "none"))
	frappe.db.rollback()
	frappe.destroy()


if __name__ == "__main__":
	main()
