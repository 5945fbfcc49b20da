"""Benchmark: inbound mail per second — Frappe's own receive, ent_crm's live routing, and .eml import.

Run with the bench's Python from the sites folder, against a site with ent_crm installed:

    cd ~/frappe-bench/sites
    ../env/bin/python ~/frappe-bench/apps/ent_crm/bench/mail_routing.py --site ent-crm-test.localhost -n 500

It creates 50 customers, a plain Frappe mailbox and a CRM mailbox, routes N synthetic mails (half from
known customers, a quarter from their colleagues at the same domain, a quarter from strangers) through
each path, prints mails/s and the live/Frappe ratio, and rolls everything back (nothing is kept).
Targets (issue 4, 2 cores): live routing ≤ 1.2 × Frappe's own receive; .eml import ≥ 400 mails/s.
"""

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "apps"))

import frappe


def synthetic_mails(n: int, domains: list[str], tag: str) -> list[bytes]:
	rng = random.Random(7)
	mails = []
	for i in range(n):
		roll = rng.random()
		domain = rng.choice(domains)
		if roll < 0.5:
			sender = f"buyer@{domain}"
		elif roll < 0.75:
			sender = f"colleague{i}@{domain}"
		else:
			sender = f"stranger{i}@unknown{i % 97}.example.org"
		body = "Dear sales team,\r\nplease quote item %d.\r\n" % i * 5
		mails.append(
			(
				f"From: Buyer {i} <{sender}>\r\nTo: sales@company.example\r\nSubject: Inquiry {tag} {i}\r\n"
				f"Message-ID: <bench-{tag}-{i}@example.net>\r\nDate: Fri, 27 Nov 2026 08:00:00 +0800\r\n"
				f"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}"
			).encode()
		)
	return mails


def mailbox(address: str, kind: str | None):
	from ent_crm.mail.receiving import create_mailbox

	return frappe.get_doc("Email Account", create_mailbox(address, kind))


def timed(label: str, n: int, fn) -> float:
	start = time.perf_counter()
	fn()
	seconds = time.perf_counter() - start
	rate = n / seconds
	print(f"{label:<34} {n:>6} mails  {seconds:8.2f} s  {rate:8.1f} mails/s")
	return rate


def main() -> None:
	parser = argparse.ArgumentParser()
	parser.add_argument("--site", required=True)
	parser.add_argument("-n", type=int, default=300)
	args = parser.parse_args()
	frappe.init(site=args.site, sites_path=".")
	frappe.connect()
	frappe.set_user("Administrator")
	from frappe.email.receive import InboundMail

	from ent_crm.mail.importer import import_messages
	from ent_crm.mail.inbound import receive_raw

	tag = frappe.generate_hash(length=6)
	try:
		domains = [f"bench{tag}{i}.example.com" for i in range(50)]
		for domain in domains:
			frappe.get_doc(
				{
					"doctype": "ECRM Customer",
					"customer_name": f"Bench {domain}",
					"region": "Hamburg",
					"primary_email": f"buyer@{domain}",
				}
			).insert(ignore_permissions=True)
		plain = mailbox(f"plain-{tag}@company.example", None)
		crm = mailbox(f"crm-{tag}@company.example", "System Mailbox")
		n = args.n
		frappe_mails = synthetic_mails(n, domains, "f" + tag)
		live_mails = synthetic_mails(n, domains, "l" + tag)
		# interleaved in rounds of 25, so that both paths meet the same table sizes and cache state
		frappe_seconds = live_seconds = 0.0
		for start in range(0, n, 25):
			t0 = time.perf_counter()
			for m in frappe_mails[start : start + 25]:
				InboundMail(m, plain).process()
			t1 = time.perf_counter()
			for m in live_mails[start : start + 25]:
				receive_raw(m, crm)
			t2 = time.perf_counter()
			frappe_seconds += t1 - t0
			live_seconds += t2 - t1
		frappe_rate, live_rate = n / frappe_seconds, n / live_seconds
		print(
			f"{'Frappe receive (InboundMail)':<34} {n:>6} mails  {frappe_seconds:8.2f} s  {frappe_rate:8.1f} mails/s"
		)
		print(f"{'ent_crm live routing':<34} {n:>6} mails  {live_seconds:8.2f} s  {live_rate:8.1f} mails/s")
		files = [(f"{i}.eml", m) for i, m in enumerate(synthetic_mails(n, domains, "i" + tag))]
		import_rate = timed("ent_crm .eml import", n, lambda: import_messages(files, crm))
		print(f"live cost / Frappe's receive: {frappe_rate / live_rate:.2f}x (target <= 1.2)")
		print(f".eml import: {import_rate:.0f} mails/s (target >= 400)")
	finally:
		frappe.db.rollback()
		frappe.destroy()


if __name__ == "__main__":
	main()
