"""bench commands of ent_crm (found by frappe.utils.bench_helper through the `commands` list)."""

import click
from frappe.commands import get_site, pass_context


@click.command("ent-crm-demo")
@click.option("--password", default=None, help="Password of the demo accounts (default: Demo@2026)")
@click.option("--smtp-port", type=int, default=None, help="SMTP port of the demo mail host (default: 1025)")
@click.option("--imap-port", type=int, default=None, help="IMAP port of the demo mail host (default: 1143)")
@pass_context
def ent_crm_demo(context, password=None, smtp_port=None, imap_port=None):
	"""Create the ent_crm demo company: manager and sales1-sales5, departments and employees, customers and
	mail, mailboxes on the demo mail host (ent-crm-mailhost), and turn the scheduler on."""
	import frappe

	from ent_crm.devmail import host as devmail
	from ent_crm.setup.demo import DEMO_PASSWORD, make_demo, reachable, setup_demo_mailboxes

	site = get_site(context)
	frappe.init(site=site)
	frappe.connect()
	try:
		frappe.set_user("Administrator")
		users = make_demo(password or DEMO_PASSWORD)
		if smtp_port or imap_port:
			setup_demo_mailboxes(smtp_port=smtp_port, imap_port=imap_port)
		frappe.db.commit()
	finally:
		frappe.destroy()
	click.echo(
		f"Demo ready on {site}: " + ", ".join(sorted(users)) + f" (password: {password or DEMO_PASSWORD})"
	)
	smtp_port, imap_port = smtp_port or devmail.SMTP_PORT, imap_port or devmail.IMAP_PORT
	if not (reachable(devmail.HOST, smtp_port) and reachable(devmail.HOST, imap_port)):
		click.echo(
			f"The demo mailboxes use the demo mail host on {devmail.HOST}:{smtp_port} (SMTP) and :{imap_port} (IMAP); "
			f"start it with: bench --site {site} ent-crm-mailhost"
		)


@click.command("ent-crm-mailhost")
@click.option("--smtp-port", type=int, default=None, help="SMTP port on 127.0.0.1 (default: 1025)")
@click.option("--imap-port", type=int, default=None, help="IMAP port on 127.0.0.1 (default: 1143)")
@click.option("--root", default=None, help="Folder of the stored mail (default: sites/SITE/private/devmail)")
@click.option(
	"--no-answers", is_flag=True, default=False, help="Demo customers do not answer the mail sent to them"
)
@pass_context
def ent_crm_mailhost(context, smtp_port=None, imap_port=None, root=None, no_answers=False):
	"""Run the demo mail host in the foreground (for demo and development only): SMTP in, IMAP out, on
	127.0.0.1 only; demo customers answer the mail sent to them. Stop it with Ctrl+C."""
	import os
	import signal
	import threading

	import frappe

	from ent_crm.devmail import host as devmail

	site = get_site(context)
	frappe.init(site=site)
	try:
		root = os.path.abspath(root or frappe.get_site_path("private", "devmail"))
	finally:
		frappe.destroy()
	host = devmail.MailHost(
		root=root,
		smtp_port=smtp_port or devmail.SMTP_PORT,
		imap_port=imap_port or devmail.IMAP_PORT,
		answer=not no_answers,
	)
	stop = threading.Event()
	for number in (signal.SIGINT, signal.SIGTERM):
		signal.signal(number, lambda *_args: stop.set())
	host.start()
	try:
		click.echo(
			f"Demo mail host: SMTP {host.host}:{host.smtp_port}, IMAP {host.host}:{host.imap_port} "
			f"(any address, password {devmail.PASSWORD}); mail kept in {root}",
		)
		while not stop.wait(1):
			pass
	finally:
		host.stop()


@click.command("ent-crm-import-eml")
@click.argument("path", type=click.Path(exists=True, file_okay=False))
@click.option("--mailbox", required=True, help="The CRM mailbox (Email Account) the mail belongs to")
@click.option("--sent", is_flag=True, default=False, help="These are sent mail (the outbox part)")
@click.option(
	"--followed", is_flag=True, default=False, help="Mark the imported inbound mail as already followed"
)
@pass_context
def ent_crm_import_eml(context, path, mailbox, sent=False, followed=False):
	"""Import a folder of .eml files exported from Outlook or Foxmail into a CRM mailbox (C5)."""
	import frappe

	from ent_crm.mail.importer import import_folder

	site = get_site(context)
	frappe.init(site=site)
	frappe.connect()
	try:
		frappe.set_user("Administrator")
		counts = import_folder(path, mailbox, "Sent" if sent else "Inbox", followed)
		frappe.db.commit()
	finally:
		frappe.destroy()
	click.echo(f"imported {counts['imported']}, duplicates {counts['duplicates']}, failed {counts['failed']}")


commands = [ent_crm_demo, ent_crm_mailhost, ent_crm_import_eml]
