"""The follow-up search box and customer views (F4), always through the visibility rules."""

import frappe
from frappe.utils import add_days, now_datetime, random_string

from ent_crm.core.roles import MANAGER
from ent_crm.followup import api as followup_api
from ent_crm.followup import search
from tests.support import EntCRMTestCase
from tests.support.factories import make_customer, make_salesperson, make_user


def names(result):
	return [c.name for c in result["customers"]]


class TestFollowupSearch(EntCRMTestCase):
	def setUp(self):
		super().setUp()
		self.a = make_salesperson(employee_name="甲")
		self.b = make_salesperson(employee_name="乙")
		self.tag = random_string(6).lower()
		self.mine = make_customer(
			[self.a.name],
			customer_name=f"Hanse{self.tag} Trading GmbH",
			mnemonic=f"HT{self.tag}",
			phone="+49 40 5550 1234",
			fax="+49 40 5550 9876",
			primary_email=f"buyer@hanse{self.tag}.example.com",
			backup_emails_text=f"orders@back{self.tag}.example.com",
			contacts=[
				{
					"contact_name": f"Anna Schmidt{self.tag}",
					"email": f"anna@c{self.tag}.example.com",
					"fax": "040 7777 31",
				}
			],
		)
		self.theirs = make_customer([self.b.name], customer_name=f"Hanse{self.tag} Logistics")

	def find(self, text, **kw):
		return followup_api.search(text=text, **kw)

	def test_every_field_finds_the_customer(self):
		with self.set_user(self.a.user):
			for text in (
				self.mine.name,
				f"hanse{self.tag} trad",
				"trading",  # a word of the name
				f"ht{self.tag}",
				"5550 1234",
				"501234",  # the phone's last digits
				"55509876",
				f"buyer@hanse{self.tag}",
				f"hanse{self.tag}.example.com",
				f"orders@back{self.tag}",
				f"schmidt{self.tag}",
				f"anna@c{self.tag}",
				"040777731",
			):
				self.assertIn(self.mine.name, names(self.find(text)), text)

	def test_salesperson_finds_only_their_customers(self):
		with self.set_user(self.a.user):
			self.assertEqual(names(self.find(f"hanse{self.tag}")), [self.mine.name])
		with self.set_user(self.b.user):
			self.assertEqual(names(self.find(f"hanse{self.tag}")), [self.theirs.name])
		with self.set_user(make_user(roles=[MANAGER])):
			self.assertEqual(set(names(self.find(f"hanse{self.tag}"))), {self.mine.name, self.theirs.name})

	def test_keys_follow_edits(self):
		self.mine.customer_name = f"Nordsee{self.tag} Handel"
		self.mine.save()
		with self.set_user(self.a.user):
			self.assertNotIn(self.mine.name, names(self.find(f"hanse{self.tag} trad")))
			self.assertIn(self.mine.name, names(self.find(f"nordsee{self.tag}")))
		self.mine.delete()
		self.assertFalse(frappe.db.exists("ECRM Customer Search Key", {"customer": self.mine.name}))

	def test_too_short_and_wildcards(self):
		with self.set_user(self.a.user):
			self.assertTrue(self.find("h").get("too_short"))
			self.assertEqual(names(self.find("%")), [])
			self.assertEqual(names(self.find(f"h_nse{self.tag}")), [])  # _ is not a wildcard

	def test_quick_and_detailed_queries(self):
		level = frappe.get_all("ECRM Customer Level", pluck="name", limit=1)[0]
		product = frappe.get_all("ECRM Product", pluck="name", limit=1)
		self.mine.customer_level = level
		if product:
			self.mine.set("products", [{"product": product[0]}])
		self.mine.save()
		manager = make_user(roles=[MANAGER])
		with self.set_user(manager):
			found = names(self.find(f"hanse{self.tag}", customer_level=level))
			self.assertEqual(found, [self.mine.name])
			if product:
				self.assertEqual(names(self.find(f"hanse{self.tag}", product=product[0])), [self.mine.name])
			self.assertEqual(names(self.find(f"hanse{self.tag}", employee=self.b.name)), [self.theirs.name])
			region = frappe.db.get_value("ECRM Region", "Hamburg", "parent_ecrm_region")
			self.assertEqual(len(names(self.find(f"hanse{self.tag}", region=region))), 2)  # descendants too
			elsewhere = frappe.get_all(
				"ECRM Region",
				filters={"name": ("not in", [region, "Hamburg"]), "is_group": 0},
				pluck="name",
				limit=1,
			)[0]
			self.assertEqual(names(self.find(f"hanse{self.tag}", region=elsewhere)), [])

	def test_recent_view_shows_customers_handled_in_seven_days(self):
		frappe.get_doc(
			{
				"doctype": "ECRM Contact Log",
				"customer": self.mine.name,
				"method": "By Phone",
				"subject": "called",
			}
		).insert()
		frappe.get_doc(
			{
				"doctype": "ECRM Contact Log",
				"customer": self.theirs.name,
				"method": "By Phone",
				"contact_date": add_days(now_datetime(), -9),
			}
		).insert()
		with self.set_user(make_user(roles=[MANAGER])):
			recent = followup_api.search(view="recent", page_length=200)
			found = names(recent)
			self.assertIn(self.mine.name, found)
			self.assertNotIn(self.theirs.name, found)
			row = next(c for c in recent["customers"] if c.name == self.mine.name)
			self.assertEqual(row.last_contact_subject, "called")
		with self.set_user(self.b.user):
			self.assertNotIn(self.mine.name, names(followup_api.search(view="recent")))

	def test_all_my_customers_pages(self):
		with self.set_user(self.a.user):
			first = followup_api.search(page_length=1)
			self.assertEqual(len(first["customers"]), 1)
			everything = names(followup_api.search(page_length=200))
			self.assertIn(self.mine.name, everything)
			self.assertNotIn(self.theirs.name, everything)

	def test_search_pages_without_repeating_a_customer(self):
		made = [
			make_customer(
				[self.a.name],
				customer_name=f"Pg{self.tag} Alpha",
				primary_email=f"pg{self.tag}@alpha.example.com",
			),
			make_customer([self.a.name], customer_name=f"Pg{self.tag} Beta"),
			make_customer([self.a.name], customer_name=f"Pg{self.tag} Gamma"),
		]
		for user in (self.a.user, make_user(roles=[MANAGER])):
			with self.set_user(user):
				first = self.find(f"pg{self.tag}", page_length=2)
				second = self.find(f"pg{self.tag}", page_length=2, start=2)
				self.assertEqual((len(first["customers"]), first["has_more"]), (2, True))
				self.assertEqual((len(second["customers"]), second["has_more"]), (1, False))
				self.assertEqual(sorted(names(first) + names(second)), sorted(c.name for c in made))

	def test_customers_loaded_by_sql_are_found_after_indexing(self):
		frappe.db.delete("ECRM Customer Search Key", {"customer": self.mine.name})  # as after a bulk SQL load
		with self.set_user(self.a.user):
			self.assertEqual(names(self.find(f"ht{self.tag}")), [])
		self.assertGreater(search.index_customers([self.mine.name]), 10)
		with self.set_user(self.a.user):
			self.assertEqual(names(self.find(f"ht{self.tag}")), [self.mine.name])
		with self.set_user(self.a.user), self.assertRaises(frappe.PermissionError):
			followup_api.enqueue_rebuild()  # only a System Manager
