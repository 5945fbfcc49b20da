"""Text users write is never run as a template (issue 19, item 1).

A salesperson's personal Email Template and a mass mailing's text used to go through Frappe's Jinja,
whose globals read and write any table. Now only a fixed set of placeholders is filled in; anything
else stays as written (and is refused when such text is saved). The templates below are stored the way
they could have been before the fix (written straight into the table), then used through every route:
the composer's preview, sending with a template, Frappe's own e-mail dialog route, and a mass mailing
run by its job. The other salesperson's customer must be neither changed nor shown.
"""

import frappe
from frappe.utils import random_string

from ent_crm.mail import api, mass_mail
from tests.integration.test_outbound import OutboundCase

FRAPPE_ROUTE = "frappe.email.doctype.email_template.email_template.get_email_template"


class TemplateSafetyCase(OutboundCase):
	def setUp(self):
		super().setUp()
		self.other = self.salesperson()
		self.theirs = self.customer_of(
			self.other, f"theirs@{self.domain}", customer_name=f"_Test Theirs {self.token}"
		)
		self.original_name = self.theirs.customer_name
		self.customer.append("contacts", {"contact_name": "Anna Buyer", "email": self.customer.primary_email})
		self.customer.save(ignore_permissions=True)
		self.sales_name = self.sales.user.split("@")[0]  # the salesperson's first name (make_user)

	def payloads(self) -> dict:
		theirs = self.theirs.name
		return {
			"write": '{{ frappe.db.set_value("ECRM Customer", "%s", "customer_name", "Pwned") }}' % theirs,
			"sql": "{{ frappe.db.sql(\"update `tabECRM Customer` set customer_name = 'Pwned' where name = '%s'\") }}"
			% theirs,
			"statement": '{%% set x = frappe.db.set_value("ECRM Customer", "%s", "customer_name", "Pwned") %%}done'
			% theirs,
			"read": '{{ frappe.get_all("ECRM Customer", pluck="customer_name") }}',
		}

	def text(self, payload: str) -> str:
		return f"<p>Dear {{{{ customer_name }}}} / {{{{ customer.customer_name }}}} ({{{{ contact_name }}}}), {{{{ salesperson }}}}</p><p>{payload}</p>"

	def old_personal_template(self, response: str, subject: str = "Offer for {{ customer_name }}") -> str:
		"""A personal template of the salesperson, as it may have been stored before the fix."""
		name = f"_Test Mine {random_string(8)}"
		frappe.get_doc(
			{"doctype": "Email Template", "name": name, "subject": "s", "response": "r", "ecrm_personal": 1}
		).insert(ignore_permissions=True)
		frappe.db.set_value(
			"Email Template", name, {"owner": self.sales.user, "subject": subject, "response": response}
		)
		self.made.append(("Email Template", name))
		return name

	def assertNothingRan(self, content: str, payload: str):
		self.assertEqual(
			frappe.db.get_value("ECRM Customer", self.theirs.name, "customer_name"), self.original_name
		)
		self.assertNotIn(self.original_name, content)  # the other salesperson's customer is not shown
		self.assertNotIn("Pwned", content.replace(payload, "").replace(frappe.utils.escape_html(payload), ""))
		self.assertIn(self.customer.customer_name, content)  # the placeholders are filled in
		self.assertIn("Anna Buyer", content)
		self.assertIn(self.sales_name, content)
		self.assertNotIn("{{ customer_name }}", content)


class TestPersonalTemplates(TemplateSafetyCase):
	def test_the_composer_fills_in_placeholders_and_runs_nothing(self):
		for kind, payload in self.payloads().items():
			with self.subTest(kind):
				template = self.old_personal_template(self.text(payload))
				frappe.set_user(self.sales.user)
				out = api.render_template(template, self.customer.name)
				frappe.set_user("Administrator")
				self.assertNothingRan(out["content"], payload)
				self.assertIn("frappe.", out["content"])  # the code stays as written, as text
				self.assertEqual(out["subject"], f"Offer for {self.customer.customer_name}")

	def test_sending_with_a_template_runs_nothing(self):
		payload = self.payloads()["write"]
		template = self.old_personal_template(self.text(payload))
		frappe.set_user(self.sales.user)
		result = self.send(email_template=template, content="", subject="")
		frappe.set_user("Administrator")
		self.assertEqual(result["status"], "Queued")  # handed to the mail queue
		mail = frappe.get_doc("ECRM Mail", result["name"])
		self.assertNothingRan(mail.content, payload)
		self.assertEqual(mail.subject, f"Offer for {self.customer.customer_name}")

	def test_frappes_email_dialog_route_runs_nothing(self):
		route = frappe.get_hooks("override_whitelisted_methods", {}).get(FRAPPE_ROUTE, [])
		self.assertEqual(route[-1:], ["ent_crm.mail.outbound.templates.get_email_template"])
		fill = frappe.get_attr(route[-1])
		payload = self.payloads()["read"]
		template = self.old_personal_template(self.text(payload))
		frappe.set_user(self.sales.user)
		out = fill(template, frappe.as_json(self.customer.as_dict()))
		self.assertNothingRan(out["message"], payload)
		frappe.set_user(self.other.user)  # someone else's personal template
		with self.assertRaises(frappe.PermissionError):
			fill(template, "{}")

	def test_saving_a_personal_template_with_code_is_refused(self):
		frappe.set_user(self.sales.user)
		for payload in self.payloads().values():
			with self.subTest(payload), self.assertRaises(frappe.ValidationError):
				api.save_personal_template(f"_Test Code {random_string(6)}", "Hi", self.text(payload))
		with self.assertRaises(frappe.ValidationError):
			api.save_personal_template(
				f"_Test Code {random_string(6)}", "{{ customer_name | upper }}", "<p>x</p>"
			)
		name = api.save_personal_template(
			f"_Test Fine {random_string(6)}", "Hi {{ customer_name }}", self.text("")
		)
		self.made.append(("Email Template", name))
		out = api.render_template(name, self.customer.name)
		self.assertEqual(out["subject"], f"Hi {self.customer.customer_name}")

	def test_values_are_escaped_in_html(self):
		frappe.db.set_value("ECRM Customer", self.customer.name, "customer_name", "<b>Bold & Co</b>")
		template = self.old_personal_template("<p>{{ customer_name }}</p>", subject="For {{ customer_name }}")
		frappe.set_user(self.sales.user)
		out = api.render_template(template, self.customer.name)
		self.assertEqual(out["content"], "<p>&lt;b&gt;Bold &amp; Co&lt;/b&gt;</p>")
		self.assertEqual(out["subject"], "For <b>Bold & Co</b>")  # plain text


class TestMassMailText(TemplateSafetyCase):
	def test_the_job_fills_in_placeholders_and_runs_nothing(self):
		payload = self.payloads()["write"]
		frappe.set_user(self.sales.user)
		mailing = frappe.get_doc(
			{
				"doctype": "ECRM Mass Mailing",
				"subject": f"Catalogue {self.token} for {{{{ customer_name }}}}",
				"content": "<p>x</p>",
				"email_account": self.account.name,
				"region": "Hamburg",
			}
		).insert()
		mass_mail.prepare(mailing)  # queued (recipients fixed) ...
		frappe.db.set_value(
			"ECRM Mass Mailing", mailing.name, "content", self.text(payload)
		)  # ... with text from before the fix
		mass_mail.run(mailing.name)  # the background job
		frappe.set_user("Administrator")
		mail = frappe.get_all(
			"ECRM Mail",
			filters={"mass_mailing": mailing.name, "reference_name": self.customer.name},
			fields=["content", "subject"],
		)[0]
		self.assertNothingRan(mail.content, payload)
		self.assertEqual(mail.subject, f"Catalogue {self.token} for {self.customer.customer_name}")

	def test_starting_a_mailing_whose_text_holds_code_is_refused(self):
		frappe.set_user(self.sales.user)
		mailing = frappe.get_doc(
			{
				"doctype": "ECRM Mass Mailing",
				"subject": "s",
				"content": "<p>x</p>",
				"email_account": self.account.name,
				"region": "Hamburg",
			}
		).insert()
		frappe.db.set_value(
			"ECRM Mass Mailing", mailing.name, "content", self.text(self.payloads()["statement"])
		)
		with self.assertRaises(frappe.ValidationError):
			api.start_mailing(mailing.name)
		self.assertEqual(
			frappe.db.get_value("ECRM Customer", self.theirs.name, "customer_name"), self.original_name
		)
		self.assertFalse(frappe.db.exists("ECRM Mail", {"mass_mailing": mailing.name}))

	def test_mass_mail_text_with_code_is_refused_on_save(self):
		frappe.set_user(self.sales.user)
		for payload in self.payloads().values():
			with self.subTest(payload), self.assertRaises(frappe.ValidationError):
				frappe.get_doc(
					{
						"doctype": "ECRM Mass Mailing",
						"subject": "s",
						"content": self.text(payload),
						"email_account": self.account.name,
					}
				).insert()
		self.assertEqual(
			frappe.db.get_value("ECRM Customer", self.theirs.name, "customer_name"), self.original_name
		)
