"""Placeholders in text users write: substituted from a fixed list, never run (no site needed)."""

import unittest

import pytest

# the module reads the site for its other functions (it imports frappe); these rules are pure
pytest.importorskip("frappe", reason="SKIPPED without a bench: ent_crm.mail.placeholders imports frappe")

from ent_crm.mail.placeholders import fill, unknown

VALUES = {
	"customer_name": "<Acme & Co>",
	"contact_name": "Anna",
	"salesperson": "Li Lei",
	"signature": "<p>Li</p>",
	"fax": None,
}


class TestFill(unittest.TestCase):
	def test_known_names_in_every_spelling(self):
		text = "{{customer_name}} {{ customer.customer_name }} {{&nbsp;doc.customer_name }} {{ contact_name }} {{ salesperson }}"
		self.assertEqual(fill(text, VALUES, html=False), "<Acme & Co> <Acme & Co> <Acme & Co> Anna Li Lei")

	def test_values_are_escaped_in_html_but_the_signature_is_html(self):
		self.assertEqual(
			fill("<b>{{ customer_name }}</b>{{ signature }}", VALUES), "<b>&lt;Acme &amp; Co&gt;</b><p>Li</p>"
		)
		self.assertEqual(fill("{{ signature }}", VALUES, html=False), "Li")

	def test_empty_value(self):
		self.assertEqual(fill("Fax: {{ fax }}", VALUES), "Fax: ")

	def test_everything_else_stays_as_written(self):
		for text in (
			"{{ frappe.db.set_value('ECRM Customer', 'C1', 'customer_name', 'x') }}",
			"{{ frappe.get_all('User') }}",
			"{% set x = 1 %}{{ x }}",
			"{{ customer_name | upper }}",
			"{{ customer.owners }}",
			"{{ customer.customer_name.__class__ }}",
			"{{ remarks }}",
			"{# note #}",
		):
			with self.subTest(text):
				self.assertEqual(fill(text, VALUES), text)


class TestUnknown(unittest.TestCase):
	def test_lists_what_is_not_a_placeholder(self):
		self.assertEqual(unknown("Hi {{ customer_name }} {{ customer.region }}, {{ signature }}"), [])
		self.assertEqual(
			unknown("{% if x %}a{% endif %} {{ frappe.db }} {{ customer_name|e }} {{ broken"),
			[
				"{% if x %}",
				"{% endif %}",
				"{{ frappe.db }}",
				"{{ customer_name|e }}",
				"{{",
			],
		)
