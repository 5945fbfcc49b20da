"""Benchmark: the workbench's first paint data (queue counts + the first page of the first queue) —
target ≤ 300 ms at 100k customers and 1M mails.

Uses the data set of bench/generate_dataset.py (see its docstring; users bsales01…, bmanager). Run with
the bench's Python from the bench's sites folder:

	../env/bin/python /work/main/bench/workbench.py --site ent-crm-bench.localhost [-n 7]

For each viewer it calls ent_crm.workbench.api.first_paint exactly as the page does (one request's work:
whose workbench, every queue's count, the first page of the list), after one warm-up call, and prints
the median and the slowest of n calls, plus the counts so the numbers can be checked. It only reads.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "apps"))

import frappe

TARGET_MS = 300


def timed(fn, n):
	fn()  # warm-up: caches of roles and meta, as in a running server
	times = []
	for _ in range(n):
		start = time.perf_counter()
		result = fn()
		times.append((time.perf_counter() - start) * 1000)
	return statistics.median(times), max(times), result


def main():
	parser = argparse.ArgumentParser(
		description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
	)
	parser.add_argument("--site", default="ent-crm-bench.localhost")
	parser.add_argument("-n", type=int, default=7)
	parser.add_argument("--salesperson", default="bsales01@bench.example")
	parser.add_argument("--manager", default="bmanager@bench.example")
	args = parser.parse_args()

	frappe.init(site=args.site, sites_path=os.getcwd())
	frappe.connect()
	from ent_crm.workbench import api as workbench

	mails = frappe.db.sql("select count(*) from `tabECRM Mail`")[0][0]
	customers = frappe.db.sql("select count(*) from `tabECRM Customer`")[0][0]
	print(f"site {args.site}: {customers} customers, {mails} mails; target ≤ {TARGET_MS} ms\n")

	employee = frappe.db.get_value("ECRM Employee", {"user": args.salesperson})
	cases = [
		("salesperson's own workbench", args.salesperson, None),
		("manager's own workbench (all mail, unassigned queue)", args.manager, None),
		("manager inspecting the salesperson", args.manager, employee),
	]
	worst = 0
	for label, user, inspect in cases:
		frappe.set_user(user)
		median, slowest, data = timed(lambda: workbench.first_paint(employee=inspect), args.n)
		worst = max(worst, median)
		counts = ", ".join(f"{q['key']}={q['count']}" for q in data["queues"] if q["count"] is not None)
		print(
			f"{label:55s} median {median:7.1f} ms  max {slowest:7.1f} ms  [{counts}; list {data['list']['queue']}: {len(data['list']['rows'])} rows]"
		)
		for queue in ("all", "handled"):
			median_q, slowest_q, page = timed(lambda: workbench.list_queue(queue, employee=inspect), args.n)
			print(
				f"{'   then the list ' + repr(queue):55s} median {median_q:7.1f} ms  max {slowest_q:7.1f} ms  [{len(page['rows'])} rows]"
			)
		median_r, slowest_r, regions = timed(lambda: workbench.regions(employee=inspect), args.n)
		print(
			f"{'   then customers by region':55s} median {median_r:7.1f} ms  max {slowest_r:7.1f} ms  [{len(regions)} countries]"
		)
	frappe.db.rollback()
	frappe.destroy()
	print(f"\nfirst paint: slowest median {worst:.1f} ms — {'OK' if worst <= TARGET_MS else 'OVER TARGET'}")


if __name__ == "__main__":
	main()
