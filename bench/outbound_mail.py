"""Benchmark: outgoing mail per second — Frappe's own frappe.sendmail against ent_crm's mass mailing, and
delivery of the queued mail to a real SMTP server on loopback (aiosmtpd).

Run with the bench's Python from the sites folder, against a site with ent_crm installed:

    cd ~/frappe-bench/sites
    ../env/bin/python ~/frappe-bench/apps/ent_crm/bench/outbound_mail.py --site ent-crm-test.localhost -n 300

It creates N customers of one salesperson and a sending CRM mailbox pointing at aiosmtpd, then times
(1) Frappe's frappe.sendmail, one message per address (the baseline: only the Email Queue row),
(2) an ECRM Mass Mailing to the same customers (per customer: outbound ECRM Mail, Communication on the
    timeline, Email Queue row; unsubscribe check; progress), and
(3) sending the mass mailing's queue through SMTP (Frappe's EmailQueue.send, as the scheduler does).
The mass mailing commits as it goes (like the real job), so everything made is deleted at the end.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "apps"))
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))  # tests.support (the test factories)

import frappe


def timed(label: str, n: int, fn) -> float:
	start = time.perf_counter()
	fn()
	seconds = time.perf_counter() - start
	print(f"{label:<44} {n:>6} mails  {seconds:8.2f} s  {n / seconds:8.1f} mails/s")
	return seconds


def main() -> None:
	parser = argparse.ArgumentParser()
	parser.add_argument("--site", required=True)
	parser.add_argument("-n", type=int, default=300)
	args = parser.parse_args()
	frappe.init(site=args.site, sites_path=".")
	frappe.connect()
	frappe.set_user("Administrator")
	frappe.flags.testing_email = True  # EmailQueue.send really talks SMTP
	from frappe.email.doctype.email_queue.email_queue import EmailQueue

	from ent_crm.devmail.smtp import SmtpServer
	from ent_crm.mail import mass_mail
	from tests.support.factories import make_customer, make_salesperson

	tag = frappe.generate_hash(length=6)
	made, smtp = [], SmtpServer()
	smtp.start()
	account = None
	try:
		account = frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": f"_Bench Outbound {tag}",
				"email_id": f"bench-{tag}@company.example",
				"enable_outgoing": 1,
				"smtp_server": smtp.host,
				"smtp_port": str(smtp.port),
				"no_smtp_authentication": 1,
				"ecrm_mailbox_kind": "System Mailbox",
			}
		).insert(ignore_permissions=True)
		person = make_salesperson(f"bench{tag}")
		made += [("ECRM Employee", person.name), ("User", person.user)]
		for i in range(args.n):
			customer = make_customer(
				[person.name], customer_name=f"_Bench {tag} {i}", primary_email=f"c{i}@b{tag}.example.com"
			)
			made.append(("ECRM Customer", customer.name))
		frappe.db.commit()  # nosemgrep: the mass mailing job commits too

		addresses = [f"c{i}@b{tag}.example.com" for i in range(args.n)]
		baseline = timed(
			"frappe.sendmail (queue only)",
			args.n,
			lambda: [
				frappe.sendmail(
					recipients=[a], sender=account.email_id, subject="Catalogue", message="<p>Hello</p>"
				)
				for a in addresses
			],
		)
		frappe.db.rollback()  # the baseline's queue rows are not kept

		frappe.set_user(person.user)
		mailing = frappe.get_doc(
			{
				"doctype": "ECRM Mass Mailing",
				"subject": f"Catalogue {tag}",
				"content": "<p>Dear {{ customer.customer_name }}</p>",
				"email_account": account.name,
			}
		).insert()
		mass_mail.prepare(mailing)  # what start() does before it enqueues the job; the job itself runs here
		crm = timed(
			"ECRM mass mailing (mail + timeline + queue)", args.n, lambda: mass_mail.run(mailing.name)
		)
		frappe.set_user("Administrator")
		names = frappe.get_all(
			"Email Queue", filters={"email_account": account.name, "status": "Not Sent"}, pluck="name"
		)
		timed(
			"delivery to SMTP (EmailQueue.send)",
			len(names),
			lambda: [EmailQueue.find(n).send() for n in names],
		)
		print(
			f"mass mailing / frappe.sendmail cost: {crm / baseline:.2f}x; delivered {len(smtp.messages)} messages"
		)
	finally:
		frappe.set_user("Administrator")
		frappe.db.rollback()
		if account:
			mails = frappe.get_all("ECRM Mail", filters={"email_account": account.name}, pluck="name")
			for name in frappe.get_all("Email Queue", filters={"email_account": account.name}, pluck="name"):
				frappe.db.delete("Email Queue Recipient", {"parent": name})
				frappe.db.delete("Email Queue", {"name": name})
			comms = frappe.get_all("Communication", filters={"email_account": account.name}, pluck="name")
			if comms:
				frappe.db.delete("Communication Link", {"parent": ("in", comms)})
				frappe.db.delete("Communication", {"name": ("in", comms)})
			if mails:
				frappe.db.delete("ECRM Mail", {"name": ("in", mails)})
			for name in frappe.get_all(
				"ECRM Mass Mailing", filters={"email_account": account.name}, pluck="name"
			):
				frappe.delete_doc("ECRM Mass Mailing", name, force=True, ignore_permissions=True)
		for doctype, name in reversed(made):
			if frappe.db.exists(doctype, name):
				frappe.delete_doc(doctype, name, force=True, ignore_permissions=True, delete_permanently=True)
		if account:
			frappe.delete_doc("Email Account", account.name, force=True, ignore_permissions=True)
		frappe.db.commit()  # nosemgrep
		smtp.stop()
		frappe.destroy()


if __name__ == "__main__":
	main()
