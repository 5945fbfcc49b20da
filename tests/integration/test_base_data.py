"""Roles, role profiles and the seeded base data (A4, A5, B1, B3, B4, B5) on a real site."""

import frappe
from frappe.utils.nestedset import get_descendants_of

from ent_crm.core.roles import ROLE_PROFILES, ROLES
from ent_crm.setup.base_data import load_data, seed_all
from tests.support import EntCRMTestCase

CODE_LISTS = list(load_data("code_lists.json"))


class TestRolesAndProfiles(EntCRMTestCase):
	def test_every_role_exists_with_desk_access(self):
		for role in ROLES:
			self.assertEqual(frappe.db.get_value("Role", role, "desk_access"), 1, role)

	def test_role_profiles_bundle_the_roles(self):
		for profile, roles in ROLE_PROFILES.items():
			doc = frappe.get_doc("Role Profile", profile)
			self.assertEqual(sorted(r.role for r in doc.roles), sorted(roles))

	def test_a_missing_role_is_created_again(self):
		frappe.db.delete("Role", {"name": "ECRM Remote Access"})
		self.assertEqual(seed_all()["Role"], 1)
		self.assertTrue(frappe.db.exists("Role", "ECRM Remote Access"))


class TestRegions(EntCRMTestCase):
	def test_five_continents_at_the_top(self):
		roots = frappe.get_all(
			"ECRM Region", filters={"parent_ecrm_region": ("is", "not set")}, fields=["name", "region_type"]
		)
		self.assertEqual(
			sorted(r.name for r in roots if r.region_type == "Continent"),
			["Africa", "Americas", "Asia", "Europe", "Oceania"],
		)

	def test_every_frappe_country_is_a_region(self):
		countries = set(frappe.get_all("Country", pluck="name"))
		regions = set(frappe.get_all("ECRM Region", filters={"region_type": "Country"}, pluck="country"))
		self.assertEqual(countries - regions, set())

	def test_cities_hang_under_their_province_and_know_their_country(self):
		self.assertEqual(frappe.db.get_value("ECRM Region", "Guangzhou", "parent_ecrm_region"), "Guangdong")
		self.assertEqual(frappe.db.get_value("ECRM Region", "Guangzhou", "country"), "China")
		self.assertIn("Shenzhen", get_descendants_of("ECRM Region", "Asia"))
		self.assertGreaterEqual(
			frappe.db.count("ECRM Region", {"region_type": "Province", "country": "China"}), 31
		)
		self.assertGreaterEqual(frappe.db.count("ECRM Region", {"is_capital": 1}), 190)

	def test_nested_set_is_consistent(self):
		bad = frappe.db.sql(
			"""select child.name from `tabECRM Region` child
			join `tabECRM Region` parent on parent.name = child.parent_ecrm_region
			where not (child.lft > parent.lft and child.rgt < parent.rgt) or child.lft >= child.rgt"""
		)
		self.assertEqual(bad, ())

	def test_chinese_users_see_chinese_region_names(self):
		frappe.local.lang = "zh"
		self.assertEqual(frappe._("Guangdong"), "广东省")
		self.assertEqual(frappe._("Hamburg"), "汉堡")
		frappe.local.lang = "en"
		self.assertEqual(frappe._("Hamburg"), "Hamburg")

	def test_editing_the_chinese_name_updates_what_users_see(self):
		region = frappe.get_doc("ECRM Region", "Yiwu")
		region.local_name = "义乌市"
		region.save()
		self.assertEqual(frappe._("Yiwu", lang="zh"), "义乌市")

	def test_a_new_city_inherits_its_country(self):
		city = frappe.get_doc(
			{
				"doctype": "ECRM Region",
				"region_name": "_Test Jinjiang",
				"local_name": "晋江",
				"region_type": "City",
				"parent_ecrm_region": "Fujian",
			}
		).insert()
		self.assertEqual(city.country, "China")
		self.assertTrue(city.lft > frappe.db.get_value("ECRM Region", "Fujian", "lft"))


class TestSeeding(EntCRMTestCase):
	def counts(self):
		return {
			dt: frappe.db.count(dt) for dt in ["ECRM Region", "ECRM Department", "Translation", *CODE_LISTS]
		}

	def test_seeding_again_changes_nothing(self):
		before = self.counts()
		created = seed_all()
		self.assertEqual(sum(created.values()), 0, created)
		self.assertEqual(self.counts(), before)

	def test_seeding_never_undoes_an_administrators_edits(self):
		frappe.delete_doc("ECRM Customer Source", "Walk-in")
		frappe.db.set_value("ECRM Customer Level", "Regular", "local_name", "一般客户")
		frappe.db.set_value("ECRM Settings", None, "default_followup_days", 5)
		seed_all()
		self.assertFalse(frappe.db.exists("ECRM Customer Source", "Walk-in"))
		self.assertEqual(frappe.db.get_value("ECRM Customer Level", "Regular", "local_name"), "一般客户")
		self.assertEqual(frappe.db.get_single_value("ECRM Settings", "default_followup_days"), 5)

	def test_entries_new_in_a_later_version_are_seeded(self):
		# a record the app has never seeded before (no seed record) is created by the next migrate
		frappe.delete_doc("ECRM Product", "Ceramic Tiles")
		frappe.db.delete("ECRM Seed Record", {"seed_key": "ECRM Product:Ceramic Tiles"})
		self.assertEqual(seed_all()["ECRM Product"], 1)
		self.assertEqual(frappe.db.get_value("ECRM Product", "Ceramic Tiles", "local_name"), "瓷砖")

	def test_code_lists_are_seeded_in_order_with_chinese_names(self):
		for doctype, entries in load_data("code_lists.json").items():
			names = frappe.get_all(doctype, order_by="sort_order asc", pluck="name")
			self.assertEqual(names[: len(entries)], [e["name"] for e in entries], doctype)
		self.assertEqual(frappe._("Canton Fair", lang="zh"), "广交会")

	def test_preset_department(self):
		root = frappe.get_doc("ECRM Department", "Foreign Trade Department")
		self.assertEqual(root.local_name, "外贸部")
		self.assertTrue(root.is_group)
		self.assertEqual(frappe._("Foreign Trade Department", lang="zh"), "外贸部")


class TestSettings(EntCRMTestCase):
	def test_defaults_are_stored(self):
		self.assertEqual(frappe.db.get_single_value("ECRM Settings", "default_followup_days"), 3)
		self.assertEqual(frappe.db.get_single_value("ECRM Settings", "message_retention_days"), 7)
		self.assertEqual(frappe.db.get_single_value("ECRM Settings", "attachment_size_limit_mb"), 25)
		self.assertIn("qq.com", frappe.db.get_single_value("ECRM Settings", "free_mail_domains"))

	def test_every_option_is_explained(self):
		meta = frappe.get_meta("ECRM Settings")
		for df in meta.fields:
			if df.fieldtype not in ("Section Break", "Column Break"):
				self.assertTrue(df.description, df.fieldname)

	def test_bad_office_network_is_refused_with_a_clear_message(self):
		settings = frappe.get_single("ECRM Settings")
		settings.office_networks = "192.168.1.0/24\nnot-a-network"
		with self.assertRaisesRegex(frappe.ValidationError, "not-a-network"):
			settings.save()

	def test_free_mail_domains_are_normalised(self):
		settings = frappe.get_single("ECRM Settings")
		settings.free_mail_domains = " Gmail.com\n@QQ.com, gmail.com\n"
		settings.save()
		self.assertEqual(
			frappe.db.get_single_value("ECRM Settings", "free_mail_domains"), "gmail.com\nqq.com"
		)
