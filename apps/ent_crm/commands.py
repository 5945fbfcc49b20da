"""bench commands of ent_crm (found by frappe.utils.bench_helper through the `commands` list)."""

import click
from frappe.commands import get_site, pass_context


@click.command("ent-crm-demo")
@click.option("--password", default=None, help="Password of the demo accounts (default: Demo@2026)")
@pass_context
def ent_crm_demo(context, password=None):
	"""Create the ent_crm demo company: manager and sales1-sales5, departments and employees."""
	import frappe

	from ent_crm.demo import DEMO_PASSWORD, make_demo

	site = get_site(context)
	frappe.init(site=site)
	frappe.connect()
	try:
		frappe.set_user("Administrator")
		users = make_demo(password or DEMO_PASSWORD)
		frappe.db.commit()
	finally:
		frappe.destroy()
	click.echo(f"Demo ready on {site}: " + ", ".join(sorted(users)) + f" (password: {password or DEMO_PASSWORD})")


@click.command("ent-crm-import-eml")
@click.argument("path", type=click.Path(exists=True, file_okay=False))
@click.option("--mailbox", required=True, help="The CRM mailbox (Email Account) the mail belongs to")
@click.option("--sent", is_flag=True, default=False, help="These are sent mail (the outbox part)")
@click.option("--followed", is_flag=True, default=False, help="Mark the imported inbound mail as already followed")
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


commands = [ent_crm_demo, ent_crm_import_eml]
