"""Benchmark data set: many customers, mails and contact logs on a site, in minutes (issue 6).

Run with the bench's Python from the sites folder, as the bench's user, against a site with ent_crm:

    cd ~/frappe-bench/sites
    ../env/bin/python /work/main/bench/generate_dataset.py --site ent-crm-bench.localhost \\
        --customers 100000 --mails 1000000 --logs 1000000

What it adds (every run adds more; nothing is deleted):
- `--salespeople` (50) users `bsales01@bench.example`… (role profile ECRM Salesperson, password `--password`)
  with in-service salesperson employees spread over `--departments` (5) departments under the root one,
  and one manager `bmanager@bench.example` (role profile ECRM Manager);
- customers (code series C, so codes stay unique) in random city/province/country regions, with type,
  level, source, industry, 0–3 products, 1–2 owners (2 % have none), 2 % hidden, creation spread over
  the last three years, a primary address `info@cNNNNNN-<run>.bench.example` in the address index;
- ECRM Mail rows (no Communication behind them): 60 % inbound from a customer's address, 40 % outbound
  to it sent by one of its owners (assigned_employee/assigned_user = the sender), a few from strangers;
  spread over the last two years (more recent mail denser); inbound mail older than a week is Handled
  (80 % of it with followed_by/followed_at), newer is Known Pending; 1 % auto-replies;
- ECRM Contact Log rows (if the DocType exists): by one of the customer's owners, method, direction,
  purpose, subject, spread over the last two years.

Rows go in with multi-row INSERTs of `--chunk` rows, committed chunk by chunk. Smaller sets for a quick
try: `--customers 2000 --mails 20000 --logs 20000`.
"""

import argparse
import os
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "apps"))
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))  # tests.support (the test factories)

import frappe

DOMAIN = "bench.example"
PASSWORD = "Bench@2026"
WORDS = [
	"Global",
	"Pacific",
	"Atlas",
	"Nordic",
	"Sunrise",
	"Golden",
	"Royal",
	"Prime",
	"Delta",
	"Union",
	"Alpha",
	"Orient",
	"Euro",
	"Andes",
	"Sahara",
	"Baltic",
	"Alpine",
	"Coastal",
	"Metro",
	"Summit",
]
TRADES = [
	"Trading",
	"Imports",
	"Supply",
	"Distribution",
	"Retail",
	"Industries",
	"Merchants",
	"Sourcing",
	"Group",
	"Wholesale",
]
SUFFIXES = ["GmbH", "Ltd", "LLC", "S.A.", "B.V.", "Co.", "Pty Ltd", "S.r.l.", "Inc.", "AB"]
SUBJECTS = [
	"Inquiry for {p}",
	"RFQ {p} – 2 containers",
	"Re: Quotation {n}",
	"Samples of {p}",
	"Order confirmation PO-{n}",
	"Payment advice PO-{n}",
	"Shipping schedule {n}",
	"Price list {n}",
	"Meeting at the fair",
	"Re: {p} specification",
]


def log(message: str) -> None:
	print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def insert_rows(table: str, columns: list[str], rows: list[tuple]) -> None:
	"""One multi-row INSERT (the caller keeps chunks to a few thousand rows)."""
	if not rows:
		return
	placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
	sql = f"insert into `tab{table}` ({', '.join(f'`{c}`' for c in columns)}) values " + ", ".join(
		[placeholders] * len(rows)
	)
	frappe.db.sql(sql, [value for row in rows for value in row])


def spread(rng: random.Random, now: datetime, days: int, recent_bias: float = 1.0) -> datetime:
	"""A moment in the last `days` days; recent_bias > 1 makes recent moments more likely."""
	fraction = rng.random() ** recent_bias
	return now - timedelta(seconds=int(fraction * days * 86400))


# --- people --------------------------------------------------------------------------------------------


def ensure_departments(count: int) -> list[str]:
	from tests.support.factories import ROOT_DEPARTMENT

	names = []
	for i in range(1, count + 1):
		name = f"Bench Dept {i}"
		if not frappe.db.exists("ECRM Department", name):
			frappe.get_doc(
				{
					"doctype": "ECRM Department",
					"department_name": name,
					"local_name": f"基准部门{i}",
					"parent_ecrm_department": ROOT_DEPARTMENT,
				}
			).insert(ignore_permissions=True)
		names.append(name)
	return names


def ensure_user(username: str, first_name: str, profile: str, password: str) -> str:
	from frappe.utils.password import update_password

	email = f"{username}@{DOMAIN}"
	if not frappe.db.exists("User", email):
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": first_name,
				"send_welcome_email": 0,
				"role_profile_name": profile,
				"language": "zh",
			}
		)
		user.flags.no_welcome_mail = True
		user.insert(ignore_permissions=True)
		update_password(email, password)
	return email


def ensure_employee(user: str, name: str, department: str, salesperson: bool) -> str:
	existing = frappe.db.get_value("ECRM Employee", {"user": user})
	if existing:
		return existing
	return (
		frappe.get_doc(
			{
				"doctype": "ECRM Employee",
				"employee_name": name,
				"user": user,
				"department": department,
				"is_salesperson": int(salesperson),
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def ensure_people(salespeople: int, departments: int, password: str) -> list[frappe._dict]:
	from ent_crm.core.roles import MANAGER, SALESPERSON

	depts = ensure_departments(departments)
	manager = ensure_user("bmanager", "Bench Manager", MANAGER, password)
	ensure_employee(manager, "Bench Manager", depts[0], False)
	people = []
	for i in range(1, salespeople + 1):
		username = f"bsales{i:02d}"
		user = ensure_user(username, f"Bench Sales {i:02d}", SALESPERSON, password)
		employee = ensure_employee(user, f"Bench Sales {i:02d}", depts[(i - 1) % len(depts)], True)
		people.append(frappe._dict(employee=employee, user=user, name=f"Bench Sales {i:02d}"))
	frappe.db.commit()
	return people


# --- customers -----------------------------------------------------------------------------------------


def next_codes(prefix: str, count: int) -> range:
	"""Reserve `count` numbers of Frappe's naming series `prefix` (what make_autoname('C.######') uses)."""
	current = frappe.db.sql("select current from `tabSeries` where name = %s for update", prefix)
	if not current:
		frappe.db.sql("insert into `tabSeries` (name, current) values (%s, 0)", prefix)
		start = 0
	else:
		start = int(current[0][0])
	frappe.db.sql("update `tabSeries` set current = %s where name = %s", (start + count, prefix))
	frappe.db.commit()
	return range(start + 1, start + count + 1)


CUSTOMER_COLUMNS = [
	"name",
	"creation",
	"modified",
	"owner",
	"modified_by",
	"docstatus",
	"idx",
	"customer_name",
	"mnemonic",
	"region",
	"customer_type",
	"customer_level",
	"customer_source",
	"industry",
	"is_hidden",
	"primary_email",
	"phone",
	"phone_digits",
	"owner_names",
	"backup_emails_text",
]
OWNER_COLUMNS = [
	"name",
	"creation",
	"modified",
	"owner",
	"modified_by",
	"docstatus",
	"idx",
	"parent",
	"parenttype",
	"parentfield",
	"employee",
	"employee_name",
	"user",
	"assigned_on",
]
PRODUCT_COLUMNS = [
	"name",
	"creation",
	"modified",
	"owner",
	"modified_by",
	"docstatus",
	"idx",
	"parent",
	"parenttype",
	"parentfield",
	"product",
]
ADDRESS_COLUMNS = [
	"name",
	"creation",
	"modified",
	"owner",
	"modified_by",
	"docstatus",
	"idx",
	"email",
	"reference_doctype",
	"reference_name",
	"address_kind",
	"domain",
]


def make_customers(rng, count: int, people, chunk: int, tag: str) -> list[tuple]:
	"""Returns [(customer, name, address, [owner employees])] for the mail and log generators."""
	regions = frappe.get_all(
		"ECRM Region",
		filters={"region_type": ("in", ["City", "Province", "Country"])},
		fields=["name", "region_type"],
	)
	weighted = [
		r.name for r in regions for _ in range({"City": 3, "Province": 2, "Country": 1}[r.region_type])
	]
	codes = {
		dt: frappe.get_all(dt, pluck="name")
		for dt in (
			"ECRM Customer Type",
			"ECRM Customer Level",
			"ECRM Customer Source",
			"ECRM Industry",
			"ECRM Product",
		)
	}
	now = datetime.now().replace(microsecond=0)
	made, started = [], time.time()
	numbers = next_codes("C", count)
	for offset in range(0, count, chunk):
		customers, owners, products, addresses = [], [], [], []
		for number in numbers[offset : offset + chunk]:
			code = f"C{number:06d}"
			created = spread(rng, now, 3 * 365)
			stamp = created.strftime("%Y-%m-%d %H:%M:%S")
			name = f"{rng.choice(WORDS)} {rng.choice(TRADES)} {number} {rng.choice(SUFFIXES)}"
			address = f"info@{code.lower()}-{tag}.{DOMAIN}"
			roll = rng.random()
			mine = [] if roll < 0.02 else rng.sample(people, 2 if roll > 0.85 else 1)
			phone = f"+{rng.randint(1, 99)} {rng.randint(100, 999)} {rng.randint(1000000, 9999999)}"
			customers.append(
				(
					code,
					stamp,
					stamp,
					"Administrator",
					"Administrator",
					0,
					0,
					name,
					code,
					rng.choice(weighted),
					rng.choice(codes["ECRM Customer Type"]),
					rng.choice(codes["ECRM Customer Level"]),
					rng.choice(codes["ECRM Customer Source"]),
					rng.choice(codes["ECRM Industry"]),
					1 if rng.random() < 0.02 else 0,
					address,
					phone,
					"".join(ch for ch in phone if ch.isdigit()),
					", ".join(p.name for p in mine)[:140],
					"",
				)
			)
			for idx, person in enumerate(mine, 1):
				owners.append(
					(
						f"{code}-o{idx}-{tag}",
						stamp,
						stamp,
						"Administrator",
						"Administrator",
						0,
						idx,
						code,
						"ECRM Customer",
						"owners",
						person.employee,
						person.name,
						person.user,
						created.date(),
					)
				)
			for idx, product in enumerate(
				rng.sample(codes["ECRM Product"], rng.choice([0, 1, 1, 2, 2, 3])), 1
			):
				products.append(
					(
						f"{code}-p{idx}-{tag}",
						stamp,
						stamp,
						"Administrator",
						"Administrator",
						0,
						idx,
						code,
						"ECRM Customer",
						"products",
						product,
					)
				)
			addresses.append(
				(
					address,
					stamp,
					stamp,
					"Administrator",
					"Administrator",
					0,
					0,
					address,
					"ECRM Customer",
					code,
					"Primary Address",
					address.split("@", 1)[1],
				)
			)
			made.append((code, name, address, [p for p in mine]))
		insert_rows("ECRM Customer", CUSTOMER_COLUMNS, customers)
		insert_rows("ECRM Customer Owner", OWNER_COLUMNS, owners)
		insert_rows("ECRM Product Item", PRODUCT_COLUMNS, products)
		insert_rows("ECRM Email Address", ADDRESS_COLUMNS, addresses)
		frappe.db.commit()
		log(f"customers {min(offset + chunk, count)}/{count} ({time.time() - started:.0f} s)")
	return made


# --- mail ----------------------------------------------------------------------------------------------

MAIL_COLUMNS = [
	"name",
	"creation",
	"modified",
	"owner",
	"modified_by",
	"docstatus",
	"idx",
	"subject",
	"sender",
	"sender_name",
	"received_at",
	"direction",
	"queue",
	"reference_doctype",
	"reference_name",
	"reference_title",
	"assigned_employee",
	"assigned_user",
	"email_account",
	"is_personal",
	"dedup_key",
	"route_reason",
	"is_auto_reply",
	"is_bounce",
	"followup_days",
	"followed_by",
	"followed_at",
]


def make_mails(rng, count: int, customers, people, chunk: int, tag: str, account: str) -> None:
	from ent_crm.mail.routing import STRANGER, UNASSIGNED

	now = datetime.now().replace(microsecond=0)
	week_ago = now - timedelta(days=7)
	company = f"sales@{DOMAIN}"
	products = frappe.get_all("ECRM Product", pluck="name") or ["goods"]
	started = time.time()
	for offset in range(0, count, chunk):
		rows = []
		for i in range(offset, min(offset + chunk, count)):
			name = f"bm{tag}{i:07d}"
			when = spread(rng, now, 2 * 365, 1.3)
			stamp = when.strftime("%Y-%m-%d %H:%M:%S")
			subject = rng.choice(SUBJECTS).format(p=rng.choice(products), n=10000 + i)
			roll = rng.random()
			followed_by = followed_at = None
			if roll < 0.04:  # a stranger: waits unassigned, or with a salesperson through a routing rule
				person = rng.choice(people) if roll < 0.02 else None
				queue = STRANGER if person else UNASSIGNED
				if when < week_ago:
					queue = "Handled"
				rows.append(
					(
						name,
						stamp,
						stamp,
						"Administrator",
						"Administrator",
						0,
						0,
						subject,
						f"buyer{i}@stranger{i % 997}.example",
						"Buyer",
						stamp,
						"Inbound",
						queue,
						None,
						None,
						None,
						person and person.employee,
						person and person.user,
						account,
						0,
						f"bench-{name}",
						"unknown sender",
						0,
						0,
						0,
						None,
						None,
					)
				)
				continue
			code, title, address, owners = rng.choice(customers)
			if roll < 0.62 or not owners:
				queue = "Known Pending" if when >= week_ago else "Handled"
				if queue == "Handled" and rng.random() < 0.8:
					person = rng.choice(owners) if owners else None
					followed_by = person.user if person else "Administrator"
					followed_at = (when + timedelta(minutes=rng.randint(5, 3 * 24 * 60))).strftime(
						"%Y-%m-%d %H:%M:%S"
					)
				auto = 1 if rng.random() < 0.01 else 0
				rows.append(
					(
						name,
						stamp,
						stamp,
						"Administrator",
						"Administrator",
						0,
						0,
						subject,
						address,
						title,
						stamp,
						"Inbound",
						queue,
						"ECRM Customer",
						code,
						title,
						None,
						None,
						account,
						0,
						f"bench-{name}",
						"known address",
						auto,
						0,
						0,
						followed_by,
						followed_at,
					)
				)
			else:
				person = rng.choice(owners)
				rows.append(
					(
						name,
						stamp,
						stamp,
						person.user,
						person.user,
						0,
						0,
						"Re: " + subject,
						company,
						person.name,
						stamp,
						"Outbound",
						"Handled",
						"ECRM Customer",
						code,
						title,
						person.employee,
						person.user,
						account,
						0,
						f"bench-{name}",
						"sent",
						0,
						0,
						0,
						None,
						None,
					)
				)
		insert_rows("ECRM Mail", MAIL_COLUMNS, rows)
		frappe.db.commit()
		done = min(offset + chunk, count)
		if done % (chunk * 20) == 0 or done == count:
			log(f"mails {done}/{count} ({time.time() - started:.0f} s)")


# --- contact logs --------------------------------------------------------------------------------------

LOG_COLUMNS = [
	"name",
	"creation",
	"modified",
	"owner",
	"modified_by",
	"docstatus",
	"idx",
	"customer",
	"customer_name",
	"employee",
	"contact_date",
	"method",
	"direction",
	"purpose",
	"subject",
	"remarks",
]


def make_logs(rng, count: int, customers, people, chunk: int, tag: str) -> None:
	if not frappe.db.table_exists("ECRM Contact Log"):
		log("ECRM Contact Log does not exist on this site yet: no contact logs made")
		return
	method_doctype = frappe.get_meta("ECRM Contact Log").get_field("method").options
	methods = frappe.get_all(method_doctype, pluck="name") or [None]
	purposes = frappe.get_all("ECRM Contact Purpose", pluck="name") or [None]
	columns = [c for c in LOG_COLUMNS if c in frappe.db.get_table_columns("ECRM Contact Log")]
	now = datetime.now().replace(microsecond=0)
	owned = [c for c in customers if c[3]]
	started = time.time()
	for offset in range(0, count, chunk):
		rows = []
		for i in range(offset, min(offset + chunk, count)):
			code, title, _address, owners = rng.choice(owned)
			person = rng.choice(owners)
			stamp = spread(rng, now, 2 * 365, 1.3).strftime("%Y-%m-%d %H:%M:%S")
			values = {
				"name": f"bl{tag}{i:07d}",
				"creation": stamp,
				"modified": stamp,
				"owner": person.user,
				"modified_by": person.user,
				"docstatus": 0,
				"idx": 0,
				"customer": code,
				"customer_name": title,
				"employee": person.employee,
				"contact_date": stamp,
				"method": rng.choice(methods),
				"direction": "Outbound" if rng.random() < 0.7 else "Inbound",
				"purpose": rng.choice(purposes),
				"subject": f"Call about order {10000 + i}",
				"remarks": None,
			}
			rows.append(tuple(values[c] for c in columns))
		insert_rows("ECRM Contact Log", columns, rows)
		frappe.db.commit()
		done = min(offset + chunk, count)
		if done % (chunk * 20) == 0 or done == count:
			log(f"contact logs {done}/{count} ({time.time() - started:.0f} s)")


def main() -> None:
	parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
	parser.add_argument("--site", default="ent-crm-bench.localhost")
	parser.add_argument("--customers", type=int, default=100_000)
	parser.add_argument("--mails", type=int, default=1_000_000)
	parser.add_argument("--logs", type=int, default=1_000_000)
	parser.add_argument("--salespeople", type=int, default=50)
	parser.add_argument("--departments", type=int, default=5)
	parser.add_argument("--chunk", type=int, default=2000, help="rows per INSERT statement")
	parser.add_argument("--seed", type=int, default=6)
	parser.add_argument(
		"--password", default=PASSWORD, help="password of the bench users (bmanager, bsalesNN)"
	)
	args = parser.parse_args()

	sites = Path(os.environ.get("FRAPPE_BENCH", "/home/frappe/frappe-bench")) / "sites"
	os.chdir(sites)
	frappe.init(site=args.site, sites_path=str(sites))
	frappe.connect()
	frappe.set_user("Administrator")
	frappe.flags.mute_emails = True
	rng = random.Random(args.seed)
	tag = frappe.generate_hash(length=4).lower()  # keeps names and addresses of separate runs apart
	started = time.time()
	frappe.db.sql("set session unique_checks = 0")
	people = ensure_people(args.salespeople, args.departments, args.password)
	log(f"{len(people)} salespeople ready (run tag {tag})")
	customers = make_customers(rng, args.customers, people, args.chunk, tag)
	if args.mails:
		from ent_crm.mail.receiving import create_mailbox

		address = f"sales@{DOMAIN}"
		account = frappe.db.get_value("Email Account", {"email_id": address}) or create_mailbox(
			address, "System Mailbox"
		)
		frappe.db.commit()
		make_mails(rng, args.mails, customers, people, args.chunk, tag, account)
	make_logs(rng, args.logs, customers, people, args.chunk, tag)
	frappe.db.commit()
	log(
		f"done in {time.time() - started:.0f} s: {args.customers} customers, {args.mails} mails, {args.logs} contact logs"
	)
	frappe.destroy()


if __name__ == "__main__":
	main()
