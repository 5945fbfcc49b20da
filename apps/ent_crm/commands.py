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


commands = [ent_crm_demo]
