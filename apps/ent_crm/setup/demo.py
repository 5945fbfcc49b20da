"""A realistic demo company (A2): one manager and five salespeople in two sales departments.

`bench --site SITE ent-crm-demo` runs `make_demo()`. Running it again changes nothing that exists.
Later features extend the same demo with their own data.

The demo's mailboxes send and receive through the local demo mail host (ent_crm.devmail, started with
`bench --site SITE ent-crm-mailhost`), and the site's scheduler is on: a demo you can work a day in.
"""

import frappe
from frappe import _

from ent_crm.core.roles import MANAGER, SALESPERSON

DEMO_PASSWORD = "Demo@2026"
DOMAIN = "ent-crm.example"
ROOT_DEPARTMENT = "Foreign Trade Department"

DEPARTMENTS = [
	# name, Chinese name, parent
	("Foreign Trade Dept. 1", "外贸一部", ROOT_DEPARTMENT),
	("Foreign Trade Dept. 2", "外贸二部", ROOT_DEPARTMENT),
]

# username, first name (display), English name, role profile, department, duties
PEOPLE = [
	("manager", "赵强", "Zhao Qiang", MANAGER, ROOT_DEPARTMENT, {"is_salesperson": 1}),
	("sales1", "张伟", "Zhang Wei", SALESPERSON, "Foreign Trade Dept. 1", {"is_salesperson": 1}),
	("sales2", "李娜", "Li Na", SALESPERSON, "Foreign Trade Dept. 1", {"is_salesperson": 1}),
	(
		"sales3",
		"王芳",
		"Wang Fang",
		SALESPERSON,
		"Foreign Trade Dept. 1",
		{"is_salesperson": 1, "is_document_clerk": 1},
	),
	("sales4", "刘洋", "Liu Yang", SALESPERSON, "Foreign Trade Dept. 2", {"is_salesperson": 1}),
	(
		"sales5",
		"陈静",
		"Chen Jing",
		SALESPERSON,
		"Foreign Trade Dept. 2",
		{"is_salesperson": 1, "is_merchandiser": 1},
	),
]


def make_demo(password: str = DEMO_PASSWORD) -> dict:
	# not frappe.only_for: it lets everyone through while tests run
	if "System Manager" not in frappe.get_roles():
		frappe.throw(_("Only a System Manager can create the demo company."), frappe.PermissionError)
	complete_setup()
	enable_scheduler()  # new sites start with it off: no mail would be pulled, no reminder sent
	for name, zh, parent in DEPARTMENTS:
		ensure_department(name, zh, parent)
	users, employees = {}, {}
	for username, display, english, profile, department, duties in PEOPLE:
		user = ensure_user(username, display, english, profile, password)
		employees[username] = ensure_employee(user, display, department, duties)
		users[username] = user
	make_demo_customers([employees[f"sales{i}"] for i in range(1, 6)])
	make_demo_mail(employees)
	make_demo_followup(employees)
	make_demo_outbound(employees)
	make_demo_writing(users)
	setup_demo_mailboxes(employees)
	return users


def enable_scheduler() -> None:
	"""The site's scheduler on (as `bench --site SITE enable-scheduler` does), unless site_config disables it."""
	from frappe.utils.scheduler import enable_scheduler as turn_on

	turn_on()


def complete_setup() -> None:
	"""What Frappe's setup wizard would do for a company in China; until then only Administrator can work."""
	settings = frappe.get_single("System Settings")
	if not settings.setup_complete:
		settings.update(
			{"country": "China", "time_zone": "Asia/Shanghai", "currency": "CNY", "date_format": "yyyy-mm-dd"}
		)
		settings.setup_complete = 1
		frappe.db.set_default("desktop:home_page", "workspace")  # as the wizard's last step does
	# a site marked complete by other means (a script, a test harness) may lack what the wizard asks for
	for field, value in {"language": "zh", "time_zone": "Asia/Shanghai", "country": "China"}.items():
		if not settings.get(field):
			settings.set(field, value)
	settings.allow_login_using_user_name = 1
	settings.flags.ignore_permissions = True
	settings.save()


def ensure_department(name: str, zh: str, parent: str) -> None:
	if frappe.db.exists("ECRM Department", name):
		return
	frappe.get_doc(
		{
			"doctype": "ECRM Department",
			"department_name": name,
			"local_name": zh,
			"parent_ecrm_department": parent,
		}
	).insert(ignore_permissions=True)


def ensure_user(username: str, display: str, english: str, profile: str, password: str) -> str:
	email = f"{username}@{DOMAIN}"
	if frappe.db.exists("User", email):
		return email
	first, _space, last = english.partition(" ")
	user = frappe.get_doc(
		{
			"doctype": "User",
			"email": email,
			"username": username,
			"first_name": display,
			"language": "zh",
			"role_profile_name": profile,
			"send_welcome_email": 0,
			"new_password": password,
			"bio": english,
		}
	)
	user.flags.no_welcome_mail = True
	user.insert(ignore_permissions=True)
	return email


def ensure_employee(user: str, display: str, department: str, duties: dict) -> str:
	existing = frappe.db.get_value("ECRM Employee", {"user": user})
	if existing:
		return existing
	doc = frappe.get_doc(
		{
			"doctype": "ECRM Employee",
			"employee_name": display,
			"user": user,
			"department": department,
			**duties,
		}
	)
	doc.insert(ignore_permissions=True)
	return doc.name


# --- customers (G1–G3) ---------------------------------------------------------------------------------

DEMO_CUSTOMERS = 200
DEMO_MARKER = "demo:customers"

TRADE_COUNTRIES = {
	# country: (company suffixes, domain suffix)
	"Germany": (["GmbH", "AG", "GmbH & Co. KG"], "de"),
	"United States": (["Inc.", "LLC", "Corp."], "us"),
	"United Kingdom": (["Ltd", "PLC"], "co.uk"),
	"France": (["SARL", "SAS"], "fr"),
	"Italy": (["S.r.l.", "S.p.A."], "it"),
	"Spain": (["S.L.", "S.A."], "es"),
	"Netherlands": (["B.V."], "nl"),
	"Poland": (["Sp. z o.o."], "pl"),
	"Turkey": (["A.Ş.", "Ltd. Şti."], "com.tr"),
	"United Arab Emirates": (["LLC", "FZE"], "ae"),
	"Saudi Arabia": (["Co.", "Trading Est."], "sa"),
	"India": (["Pvt. Ltd.", "Ltd."], "in"),
	"Vietnam": (["Co., Ltd.", "JSC"], "vn"),
	"Thailand": (["Co., Ltd."], "co.th"),
	"Indonesia": (["PT", "CV"], "co.id"),
	"Malaysia": (["Sdn. Bhd."], "com.my"),
	"Japan": (["Co., Ltd.", "K.K."], "co.jp"),
	"Australia": (["Pty Ltd"], "com.au"),
	"Canada": (["Inc.", "Ltd."], "ca"),
	"Mexico": (["S.A. de C.V."], "com.mx"),
	"Brazil": (["Ltda.", "S.A."], "com.br"),
	"Chile": (["SpA", "Ltda."], "cl"),
	"Nigeria": (["Ltd", "Enterprises"], "com.ng"),
	"South Africa": (["(Pty) Ltd"], "co.za"),
	"Egypt": (["S.A.E.", "Co."], "com.eg"),
}
NAME_WORDS = [
	"Atlas",
	"Nordic",
	"Pacific",
	"Global",
	"Sunrise",
	"Blue Ocean",
	"Evergreen",
	"Summit",
	"Golden Gate",
	"Horizon",
	"Pioneer",
	"Crown",
	"Silverline",
	"Greenfield",
	"Harbor",
	"Union",
	"Star",
	"Delta",
	"Apex",
	"Vertex",
	"Lotus",
	"Cedar",
	"Falcon",
	"Orion",
	"Meridian",
	"Coastal",
	"Royal",
	"Prime",
	"Alpine",
	"Bright",
]
TRADE_WORDS = [
	"Trading",
	"Imports",
	"Supply",
	"Distribution",
	"Industries",
	"Home",
	"Lighting",
	"Tools",
	"Textiles",
	"Retail",
	"Group",
	"Commerce",
	"Hardware",
	"Electric",
	"Living",
]
CONTACT_NAMES = [
	"Anna Schmidt",
	"Hans Weber",
	"John Carter",
	"Emily Brown",
	"Pierre Martin",
	"Giulia Rossi",
	"Carlos Garcia",
	"Jan de Vries",
	"Piotr Nowak",
	"Ahmed Al-Farsi",
	"Raj Patel",
	"Nguyen Van An",
	"Somchai Suk",
	"Budi Santoso",
	"Tanaka Hiroshi",
	"Olivia Smith",
	"Lucas Silva",
	"Ana Lopez",
	"Thabo Nkosi",
	"Mohamed Hassan",
	"Mehmet Yilmaz",
	"Sophie Dubois",
	"Lars Jensen",
	"Maria Kowalska",
	"David Miller",
]
JOB_TITLES = ["Purchasing Manager", "Buyer", "CEO", "Import Manager", "Product Manager", "Logistics"]


def make_demo_customers(salespeople: list[str], count: int = DEMO_CUSTOMERS) -> int:
	"""~200 customers with contacts across regions and owners; made once (a seed record remembers it)."""
	import random
	import re

	from ent_crm.setup.base_data import Seeder

	seeder = Seeder("Demo")
	if not seeder.wanted(DEMO_MARKER):
		return 0
	rng = random.Random(2026)
	cities = frappe.get_all(
		"ECRM Region",
		filters={"region_type": "City", "country": ("in", list(TRADE_COUNTRIES))},
		fields=["name", "country"],
		order_by="name asc",
	)
	codes = {
		dt: frappe.get_all(dt, filters={"disabled": 0}, pluck="name", order_by="sort_order asc")
		for dt in (
			"ECRM Customer Type",
			"ECRM Customer Level",
			"ECRM Customer Source",
			"ECRM Industry",
			"ECRM Product",
		)
	}
	names, created = set(), 0
	while created < count and cities:
		city = rng.choice(cities)
		suffixes, tld = TRADE_COUNTRIES[city.country]
		base = f"{rng.choice(NAME_WORDS)} {rng.choice(TRADE_WORDS)}"
		name = f"{base} {rng.choice(suffixes)}"
		if name in names:
			continue
		names.add(name)
		slug = re.sub(r"[^a-z0-9]+", "-", base.lower()).strip("-")
		domain = f"{slug}.{tld}.example"  # the reserved .example TLD: demo mail can never reach anyone
		contacts = rng.sample(CONTACT_NAMES, rng.choice([1, 1, 2, 2, 3]))
		roll = rng.random()
		owners = [] if roll < 0.05 else rng.sample(salespeople, 2 if roll > 0.88 else 1)
		frappe.get_doc(
			{
				"doctype": "ECRM Customer",
				"customer_name": name,
				"mnemonic": "".join(w[0] for w in base.split()).upper() + str(created + 1),
				"region": city.name,
				"primary_email": f"info@{domain}",
				"backup_emails_text": f"sales@{domain}" if rng.random() < 0.4 else "",
				"phone": f"+{rng.randint(1, 99)} {rng.randint(10, 99)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}",
				"website": f"https://www.{domain}",
				"customer_type": rng.choice(codes["ECRM Customer Type"]),
				"customer_level": rng.choice(codes["ECRM Customer Level"]),
				"customer_source": rng.choice(codes["ECRM Customer Source"]),
				"industry": rng.choice(codes["ECRM Industry"]),
				"products": [{"product": p} for p in rng.sample(codes["ECRM Product"], rng.randint(1, 3))],
				"is_hidden": 1 if created % 40 == 39 else 0,
				"contacts": [
					{
						"contact_name": c,
						"job_title": rng.choice(JOB_TITLES),
						"email": f"{c.split()[0].lower()}@{domain}",
						"phone": f"+{rng.randint(1, 99)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
					}
					for c in contacts
				],
				"owners": [{"employee": e} for e in owners],
			}
		).insert(ignore_permissions=True)
		created += 1
	seeder.mark(DEMO_MARKER)
	seeder.save()
	return created


# --- mail (C1, D1–D9) ------------------------------------------------------------------------------------

DEMO_MAILS = 300
MAIL_MARKER = "demo:mail"
SUBJECTS = [
	"Inquiry: {p}",
	"RFQ for {p} – 2 containers",
	"Re: Quotation {n}",
	"Samples of {p} received",
	"Order confirmation PO-{n}",
	"Payment advice for PO-{n}",
	"Shipping schedule",
	"Complaint about damaged cartons",
	"Price list 2027",
	"Meeting at Canton Fair",
]


def demo_mailbox(address: str, kind: str, employee: str | None = None) -> str:
	from ent_crm.mail.receiving import create_mailbox

	return frappe.db.get_value("Email Account", {"email_id": address}) or create_mailbox(
		address, kind, employee
	)


def make_demo_mail(employees: dict, count: int = DEMO_MAILS) -> int:
	"""A company mailbox and sales1's personal mailbox with a few hundred mails across every queue
	(routed exactly like live mail, through the .eml import); made once."""
	import random
	from email.utils import format_datetime

	from frappe.utils import add_to_date, now_datetime

	from ent_crm.mail.importer import import_messages
	from ent_crm.setup.base_data import Seeder

	seeder = Seeder("Demo")
	if not seeder.wanted(MAIL_MARKER):
		return 0
	rng = random.Random(11)
	system = frappe.get_doc("Email Account", demo_mailbox(f"sales@{DOMAIN}", "System Mailbox"))
	personal = frappe.get_doc(
		"Email Account", demo_mailbox(f"zhangwei@{DOMAIN}", "Personal Mailbox", employees["sales1"])
	)
	known = frappe.get_all(
		"ECRM Email Address",
		filters={"reference_doctype": "ECRM Customer"},
		fields=["name", "contact_name"],
		limit=400,
	)
	products = frappe.get_all("ECRM Product", pluck="name")
	for address in ("newbuyer@lagos-import.example", "purchasing@andes-supply.example"):
		if not frappe.db.exists("ECRM Routing Rule", address):
			frappe.get_doc(
				{"doctype": "ECRM Routing Rule", "address": address, "employee": employees["sales2"]}
			).insert(ignore_permissions=True)
	if not frappe.db.exists("ECRM Blocked Sender", "cheap-seo.example"):
		frappe.get_doc(
			{"doctype": "ECRM Blocked Sender", "sender": "cheap-seo.example", "reason": "spam"}
		).insert(ignore_permissions=True)

	def mail(i):
		roll = rng.random()
		extra = ""
		if roll < 0.6 and known:
			row = rng.choice(known)
			sender, name = row.name, row.contact_name or "Purchasing"
		elif roll < 0.7:
			sender, name = (
				rng.choice(["newbuyer@lagos-import.example", "purchasing@andes-supply.example"]),
				"New Buyer",
			)
		elif roll < 0.75:
			sender, name = f"promo{i}@cheap-seo.example", "SEO Team"
		elif roll < 0.8 and known:
			sender, name = rng.choice(known).name, "Auto Reply"
			extra = "Auto-Submitted: auto-replied\r\n"
		else:
			sender, name = (
				f"buyer{i}@{rng.choice(['gmail.com', 'outlook.com', 'trade-house.example', 'mega-retail.example'])}",
				"Buyer",
			)
		when = add_to_date(now_datetime(), hours=-rng.randint(1, 24 * 30))
		subject = rng.choice(SUBJECTS).format(p=rng.choice(products) if products else "goods", n=1000 + i)
		body = f"Dear sales team,\r\n\r\n{subject}. Please reply with price, MOQ and lead time.\r\n\r\nBest regards\r\n{name}\r\n"
		raw = (
			f"From: {name} <{sender}>\r\nTo: sales@{DOMAIN}\r\nSubject: {subject}\r\n"
			f"Message-ID: <demo-{i}@{sender.split('@')[1]}>\r\nDate: {format_datetime(when)}\r\n{extra}"
			f"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}"
		)
		return f"demo-{i}.eml", raw.encode()

	mails = [mail(i) for i in range(count)]
	import_messages(mails[: count - 40], system)
	import_messages(mails[count - 40 : count - 20], personal)
	import_messages(mails[count - 20 :], system, followed=True)
	seeder.mark(MAIL_MARKER)
	seeder.save()
	return count


# --- follow-up (F1–F5, E8) -------------------------------------------------------------------------------

FOLLOWUP_MARKER = "demo:followup"
CONTACT_SUBJECTS = [
	"Phone call about the new price list",
	"Fax: signed proforma invoice",
	"Visit at their office",
	"WeChat about samples",
	"Called about the delayed shipment",
	"Fax: revised drawing",
	"Met at the Canton Fair",
	"Video call on packaging",
]


def make_demo_followup(employees: dict, per_salesperson: int = 12) -> int:
	"""Contact logs (phone, fax, visit...) of each salesperson's customers, reminders due today and earlier,
	and a contract folder holding some mail; made once."""
	import random

	from frappe.utils import add_days, add_to_date, now_datetime, nowdate

	from ent_crm.followup import reminders
	from ent_crm.setup.base_data import Seeder

	seeder = Seeder("Demo")
	if not seeder.wanted(FOLLOWUP_MARKER):
		return 0
	rng = random.Random(5)
	methods = frappe.get_all("ECRM Follow-up Method", filters={"disabled": 0}, pluck="name") or [None]
	purposes = frappe.get_all("ECRM Contact Purpose", pluck="name") or [None]
	made = 0
	for username in ("sales1", "sales2", "sales3", "sales4", "sales5"):
		employee = employees[username]
		user = frappe.db.get_value("ECRM Employee", employee, "user")
		customers = frappe.get_all(
			"ECRM Customer Owner",
			filters={"parenttype": "ECRM Customer", "employee": employee},
			pluck="parent",
			order_by="parent asc",
		)
		for i, customer in enumerate(customers[:per_salesperson]):
			when = add_to_date(now_datetime(), days=-rng.randint(1, 20), hours=-rng.randint(0, 8))
			method = "By Fax" if i % 4 == 1 and "By Fax" in methods else rng.choice(methods)
			log = frappe.get_doc(
				{
					"doctype": "ECRM Contact Log",
					"customer": customer,
					"employee": employee,
					"contact_date": when,
					"method": method,
					"direction": rng.choice(["Outbound", "Outbound", "Inbound"]),
					"purpose": rng.choice(purposes),
					"subject": rng.choice(CONTACT_SUBJECTS),
					"content": "<p>Discussed price, MOQ and lead time; they will confirm the order next week.</p>",
				}
			)
			# a third of them is due now (today or a few days late), a third later, the rest none
			if i % 3 == 0:
				log.next_followup_date = max(
					when.date(), frappe.utils.getdate(add_days(nowdate(), -rng.randint(0, 3)))
				)
			elif i % 3 == 1:
				log.next_followup_date = add_days(nowdate(), rng.randint(2, 10))
			admin = frappe.session.user
			frappe.set_user(user)  # the salesperson logs it (owner), as in the desk
			try:
				log.insert(ignore_permissions=True)
			finally:
				frappe.set_user(admin)
			made += 1
		if customers:
			reminders.schedule(
				customers[-1], nowdate(), "ECRM Customer", customers[-1], "Ask for the order confirmation"
			)
	# a contract folder with the mail of one customer
	mail = frappe.get_all(
		"ECRM Mail",
		filters={"reference_doctype": "ECRM Customer", "reference_name": ("is", "set")},
		fields=["reference_name"],
		limit=1,
		order_by="received_at desc",
	)
	if mail:
		customer = mail[0].reference_name
		folder = frappe.get_doc(
			{
				"doctype": "ECRM Customer Folder",
				"customer": customer,
				"folder_name": "Contract 2026-017",
				"folder_kind": "Contract",
			}
		).insert(ignore_permissions=True)
		frappe.db.sql(
			"update `tabECRM Mail` set folder = %s where reference_doctype = 'ECRM Customer' and reference_name = %s limit 3",
			(folder.name, customer),
		)
	seeder.mark(FOLLOWUP_MARKER)
	seeder.save()
	return made


# --- outgoing mail (E1–E6, H1) ---------------------------------------------------------------------------

OUTBOUND_MARKER = "demo:outbound"
OUTBOUND_SUBJECTS = [
	"Quotation for {p}",
	"Re: Samples of {p}",
	"Proforma invoice PI-{n}",
	"Shipping advice for PO-{n}",
]


def make_demo_outbound(employees: dict, per_salesperson: int = 4) -> int:
	"""A few sent mails per salesperson on their customers' timelines, one scheduled mail each, and an
	approver (the manager) for sales4 with one mail waiting for approval; made once. The demo mailboxes do
	not send, so these rows are recorded as sent without going through the Email Queue."""
	import random

	from frappe.utils import add_days, add_to_date, now_datetime

	from ent_crm.mail import outbound
	from ent_crm.setup.base_data import Seeder

	seeder = Seeder("Demo")
	if not seeder.wanted(OUTBOUND_MARKER):
		return 0
	rng = random.Random(7)
	system = demo_mailbox(f"sales@{DOMAIN}", "System Mailbox")
	products = frappe.get_all("ECRM Product", pluck="name") or ["goods"]
	manager = frappe.db.get_value("ECRM Employee", employees["manager"], "user")
	frappe.db.set_value("ECRM Employee", employees["sales4"], "approver", manager)
	made = 0
	for username in ("sales1", "sales2", "sales3", "sales4", "sales5"):
		employee = employees[username]
		user, name = frappe.db.get_value("ECRM Employee", employee, ["user", "employee_name"])
		customers = frappe.get_all(
			"ECRM Customer Owner",
			filters={"parenttype": "ECRM Customer", "employee": employee},
			pluck="parent",
			order_by="parent desc",
		)
		for i, customer in enumerate(customers[: per_salesperson + 1]):
			record = frappe.db.get_value(
				"ECRM Customer", customer, ["customer_name", "primary_email"], as_dict=True
			)
			if not record.primary_email:
				continue
			status = outbound.SENT if i < per_salesperson else outbound.SCHEDULED
			if username == "sales4" and i == 0:
				status = outbound.PENDING
			subject = rng.choice(OUTBOUND_SUBJECTS).format(p=rng.choice(products), n=2000 + made)
			when = add_to_date(now_datetime(), days=-rng.randint(0, 14), hours=-rng.randint(0, 8))
			mail = frappe.get_doc(
				{
					"doctype": "ECRM Mail",
					"direction": "Outbound",
					"queue": "Handled",
					"outbound_status": status,
					"compose_mode": "New Mail",
					"assigned_employee": employee,
					"reference_doctype": "ECRM Customer",
					"reference_name": customer,
					"reference_title": record.customer_name,
					"email_account": system,
					"sender": f"sales@{DOMAIN}",
					"sender_name": name,
					"recipients": record.primary_email,
					"subject": subject,
					"content": f"<p>Dear {frappe.utils.escape_html(record.customer_name)},</p><p>please find our offer below.</p><p>{name}</p>",
					"received_at": when,
					"send_after": add_days(now_datetime(), 30) if status == outbound.SCHEDULED else None,
					"approver": manager if status == outbound.PENDING else None,
					"next_contact_date": add_days(when, 7).date() if i == 0 else None,
				}
			).insert(ignore_permissions=True)
			mail.db_set("owner", user, update_modified=False)
			if status == outbound.PENDING:
				frappe.share.add_docshare(
					"ECRM Mail", mail.name, manager, read=1, flags={"ignore_share_permission": True}, notify=0
				)
			if status == outbound.SENT:
				comm = frappe.get_doc(
					{
						"doctype": "Communication",
						"communication_type": "Communication",
						"communication_medium": "Email",
						"sent_or_received": "Sent",
						"subject": subject,
						"content": mail.content,
						"sender": f"{name} <sales@{DOMAIN}>",
						"recipients": record.primary_email,
						"email_account": system,
						"communication_date": when,
						"reference_doctype": "ECRM Mail",
						"reference_name": mail.name,
						"delivery_status": "Sent",
						"timeline_links": [{"link_doctype": "ECRM Customer", "link_name": customer}],
					}
				)
				comm.flags.skip_add_signature = True
				comm.insert(ignore_permissions=True)
				mail.db_set("communication", comm.name, update_modified=False)
			made += 1
	seeder.mark(OUTBOUND_MARKER)
	seeder.save()
	return made


# --- writing mail: templates, stock phrases, signatures, address book (E1, J3) ----------------------------

WRITING_MARKER = "demo:writing"
TEMPLATES = [
	# name, subject, text (Jinja: the customer's fields)
	(
		"报价 Quotation",
		"报价 Quotation – {{ customer_name }}",
		"<p>Dear {{ customer_name }},</p><p>thank you for your inquiry. Please find our best prices below; "
		"they are valid for 30 days, FOB Ningbo.</p><p>尊敬的客户，感谢您的询价，以下是我们的最优报价，30 天内有效。</p>",
	),
	(
		"样品已寄出 Samples sent",
		"样品已寄出 Samples sent – {{ customer_name }}",
		"<p>Dear {{ customer_name }},</p><p>your samples left today by DHL; we will send the tracking number "
		"separately.</p><p>您的样品今天已由 DHL 寄出，快递单号另行发送。</p>",
	),
	(
		"订单确认 Order confirmation",
		"订单确认 Order confirmation – {{ customer_name }}",
		"<p>Dear {{ customer_name }},</p><p>we confirm your order and will ship within 30 days after the deposit."
		"</p><p>我们确认您的订单，收到定金后 30 天内发货。</p>",
	),
]
PHRASES = [
	("交期 Lead time", "Lead time is 30 days after the deposit. 交期为收到定金后 30 天。"),
	(
		"付款方式 Payment terms",
		"Payment terms: 30% T/T deposit, 70% against the B/L copy. 付款方式：30% 定金，70% 见提单副本付清。",
	),
	(
		"样品 Samples",
		"Samples are free of charge; the courier is paid by the buyer. 样品免费，快递费由买方承担。",
	),
]
ADDRESS_BOOK = [
	# name, company, email, phone, notes
	(
		"陈海 Chen Hai",
		"宁波海运货代 Ningbo Ocean Forwarding",
		"chenhai@ningbo-forwarding.example",
		"+86 574 8888 1234",
		"货代 Forwarder",
	),
	(
		"Klaus Becker",
		"Becker Zollservice GmbH",
		"k.becker@becker-zoll.example",
		"+49 40 5555 2233",
		"报关行 Customs broker (Hamburg)",
	),
	(
		"周丽 Zhou Li",
		"义乌工厂 Yiwu Factory",
		"zhouli@yiwu-factory.example",
		"+86 579 8555 6789",
		"供货工厂 Supplier factory",
	),
]


def make_demo_writing(users: dict) -> int:
	"""Company mail templates and, for each demo user, stock phrases, a signature and an address book, in
	Chinese and English; made once. Returns how many records were made."""
	from ent_crm.setup.base_data import Seeder

	seeder = Seeder("Demo")
	if not seeder.wanted(WRITING_MARKER):
		return 0
	made = 0
	for name, subject, text in TEMPLATES:
		if not frappe.db.exists("Email Template", name):
			frappe.get_doc(
				{"doctype": "Email Template", "name": name, "subject": subject, "response": text}
			).insert(ignore_permissions=True)
			made += 1
	admin = frappe.session.user
	for username, display, english, _profile, department, _duties in PEOPLE:
		user = users[username]
		local = {name: zh for name, zh, _parent in DEPARTMENTS}.get(department, "外贸部")
		signature = (
			f"<p>{frappe.utils.escape_html(display)} {frappe.utils.escape_html(english)}<br>"
			f"{frappe.utils.escape_html(local)} {frappe.utils.escape_html(department)}<br>"
			f"Tel. +86 574 8765 4321 · {frappe.utils.escape_html(user)}</p>"
		)
		frappe.db.set_value("User", user, "email_signature", signature)
		frappe.set_user(user)  # their own, as if they wrote them (each sees only their own)
		try:
			for title, phrase in PHRASES:
				frappe.get_doc({"doctype": "ECRM Stock Phrase", "title": title, "phrase": phrase}).insert(
					ignore_permissions=True
				)
				made += 1
			for full_name, company, email, phone, notes in ADDRESS_BOOK:
				frappe.get_doc(
					{
						"doctype": "ECRM Address Book Entry",
						"full_name": full_name,
						"company": company,
						"email": email,
						"phone": phone,
						"notes": notes,
					}
				).insert(ignore_permissions=True)
				made += 1
		finally:
			frappe.set_user(admin)
	seeder.mark(WRITING_MARKER)
	seeder.save()
	return made


# --- mailboxes on the demo mail host (issue 12) ---------------------------------------------------------


def personal_address(english: str) -> str:
	return f"{english.lower().replace(' ', '')}@{DOMAIN}"


def setup_demo_mailboxes(
	employees: dict | None = None, smtp_port: int | None = None, imap_port: int | None = None
) -> list[str]:
	"""The system mailbox and each salesperson's personal mailbox send and receive through the demo mail
	host on loopback (ent_crm.devmail): IMAP in, SMTP out, the system mailbox the default for outgoing mail.
	The logins are checked when the mail host is running; otherwise they are saved unchecked, to work as
	soon as it runs. Returns the mailboxes."""
	from ent_crm.devmail import host as devmail

	smtp_port, imap_port = smtp_port or devmail.SMTP_PORT, imap_port or devmail.IMAP_PORT
	employees = employees or {
		username: frappe.db.get_value("ECRM Employee", {"user": f"{username}@{DOMAIN}"})
		for username, *_rest in PEOPLE
	}
	boxes = [(demo_mailbox(f"sales@{DOMAIN}", "System Mailbox"), True)]
	for username, _display, english, _profile, _department, duties in PEOPLE:
		if duties.get("is_salesperson") and employees.get(username):
			boxes.append(
				(demo_mailbox(personal_address(english), "Personal Mailbox", employees[username]), False)
			)
	check = reachable(devmail.HOST, smtp_port) and reachable(devmail.HOST, imap_port)
	for name, is_default in boxes:
		doc = frappe.get_doc("Email Account", name)
		doc.update(
			{
				"enable_incoming": 1,
				"use_imap": 1,
				"email_server": devmail.HOST,
				"incoming_port": str(imap_port),
				"use_ssl": 0,
				"use_starttls": 0,
				"validate_ssl_certificate": 0,
				"awaiting_password": 0,
				"login_id_is_different": 0,
				"password": devmail.PASSWORD,
				"email_sync_option": "ALL",
				"initial_sync_count": "250",
				"enable_outgoing": 1,
				"smtp_server": devmail.HOST,
				"smtp_port": str(smtp_port),
				"use_tls": 0,
				"use_ssl_for_outgoing": 0,
				"no_smtp_authentication": 0,  # logs in with the mailbox's password, as with a real server
				"always_use_account_email_id_as_sender": 0,  # Frappe would garble a Chinese sender name
				"default_outgoing": 1 if is_default else 0,
				"create_contact": 0,
			}
		)
		if not doc.imap_folder:
			doc.append("imap_folder", {"folder_name": "INBOX"})
		save_mailbox(doc, check)
	return [name for name, _default in boxes]


def save_mailbox(doc, check: bool) -> None:
	if check:
		doc.save(ignore_permissions=True)
		return
	flags = frappe.local.flags
	before = flags.in_patch
	flags.in_patch = True  # Frappe's and the CRM's login checks would fail while the mail host is not running
	try:
		doc.save(ignore_permissions=True)
	finally:
		flags.in_patch = before


def reachable(host: str, port: int) -> bool:
	import socket

	try:
		with socket.create_connection((host, port), timeout=2):
			return True
	except OSError:
		return False
