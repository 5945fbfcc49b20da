"""The app's layout, metadata and seed data hold together (no site needed)."""

import ast
import json
import re
import unittest
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
APP = REPO / "apps" / "ent_crm"
MODULE = APP / "ent_crm"
DATA = APP / "data"


def doctype_jsons():
	for path in sorted((MODULE / "doctype").glob("*/*.json")):
		doc = json.loads(path.read_text(encoding="utf-8"))
		if doc.get("doctype") == "DocType":
			yield path, doc


class TestLayout(unittest.TestCase):
	def test_bench_finds_the_app_through_the_link(self):
		# bench looks for <repo>/ent_crm/{hooks.py,modules.txt,patches.txt}
		link = REPO / "ent_crm"
		self.assertTrue(link.is_symlink())
		for name in ("hooks.py", "modules.txt", "patches.txt", "__init__.py"):
			self.assertTrue((link / name).is_file(), name)

	def test_version_is_set(self):
		self.assertRegex((APP / "__init__.py").read_text(), r'__version__ = "\d+\.\d+\.\d+"')

	def test_module_folder_matches_modules_txt(self):
		modules = [m.strip() for m in (APP / "modules.txt").read_text().splitlines() if m.strip()]
		self.assertEqual(modules, ["Ent CRM"])
		self.assertTrue((APP / "ent_crm" / "__init__.py").is_file())

	def test_every_doctype_is_prefixed_and_complete(self):
		names = []
		for path, doc in doctype_jsons():
			names.append(doc["name"])
			self.assertTrue(doc["name"].startswith("ECRM "), doc["name"])
			self.assertEqual(doc["module"], "Ent CRM", path)
			folder = path.parent
			scrubbed = doc["name"].lower().replace(" ", "_").replace("-", "_")
			self.assertEqual(folder.name, scrubbed)
			self.assertTrue((folder / "__init__.py").is_file(), folder)
			controller = (folder / f"{scrubbed}.py").read_text()
			classname = doc["name"].replace(" ", "").replace("-", "")
			self.assertIn(f"class {classname}(", controller, path)
			if not doc.get("istable"):
				self.assertTrue(doc.get("permissions"), f"{doc['name']} has no permissions")
		self.assertGreaterEqual(len(names), 12)

	def test_fields_referenced_in_field_order_exist(self):
		for path, doc in doctype_jsons():
			fieldnames = [f["fieldname"] for f in doc["fields"]]
			self.assertEqual(len(fieldnames), len(set(fieldnames)), path)
			self.assertEqual(doc.get("field_order"), fieldnames, path)
			for key in ("title_field", "sort_field"):
				if doc.get(key) and doc[key] not in ("modified", "name", "creation"):
					self.assertIn(doc[key], fieldnames, f"{path}: {key}")

	def test_scheduler_and_hook_paths_are_importable_names(self):
		hooks = (APP / "hooks.py").read_text()
		for dotted in re.findall(r'"(ent_crm\.[\w.]+)"', hooks):
			if dotted.endswith((".bundle.js", ".bundle.css")):
				continue  # an asset bundle's name (checked below), not a Python path
			module, _, attr = dotted.rpartition(".")
			path = REPO / "apps" / Path(*module.split("."))
			source = path.with_suffix(".py")
			self.assertTrue(source.is_file(), dotted)
			self.assertRegex(source.read_text(), rf"(def|class) {attr}\(", dotted)

	def test_desk_includes_are_bundles_of_the_app(self):
		# app_include_js/css name Frappe asset bundles (built by `bench build`), each a public/**/NAME entry
		tree = ast.parse((APP / "hooks.py").read_text())
		includes = {
			node.targets[0].id: ast.literal_eval(node.value)
			for node in tree.body
			if isinstance(node, ast.Assign)
			and isinstance(node.targets[0], ast.Name)
			and node.targets[0].id in ("app_include_js", "app_include_css")
		}
		self.assertEqual(includes.get("app_include_js"), ["ent_crm.bundle.js"])
		self.assertEqual(includes.get("app_include_css"), ["ent_crm.bundle.css"])
		for names in includes.values():
			for name in names:
				self.assertEqual(len(list((APP / "public").rglob(name))), 1, name)


class TestSeedData(unittest.TestCase):
	@classmethod
	def setUpClass(cls):
		cls.regions = json.loads((DATA / "regions.json").read_text(encoding="utf-8"))
		cls.codes = json.loads((DATA / "code_lists.json").read_text(encoding="utf-8"))

	def walk(self):
		for continent in self.regions["continents"]:
			yield "Continent", continent["name"], continent["zh"]
			for country in continent["countries"]:
				yield "Country", country["country"], country["zh"]
				for city in country.get("cities", []):
					yield "City", city["name"], city["zh"]
				for province in country.get("provinces", []):
					yield "Province", province["name"], province["zh"]
					for city in province.get("cities", []):
						yield "City", city["name"], city["zh"]

	def test_five_continents(self):
		self.assertEqual(
			[(c["name"], c["zh"]) for c in self.regions["continents"]],
			[
				("Asia", "亚洲"),
				("Europe", "欧洲"),
				("Africa", "非洲"),
				("Americas", "美洲"),
				("Oceania", "大洋洲"),
			],
		)

	def test_region_names_are_unique_keys_with_chinese_names(self):
		seen = set()
		for kind, name, zh in self.walk():
			self.assertTrue(name.strip() and zh.strip(), (kind, name))
			self.assertNotIn(name.lower(), seen, f"duplicate region key {name}")
			seen.add(name.lower())
			self.assertLessEqual(len(name), 140)

	def test_frappe_countries_are_all_there(self):
		try:
			import frappe
		except ImportError:
			self.skipTest("frappe not importable: its country list is not here")
		country_info = Path(frappe.__file__).parent / "geo" / "country_info.json"
		frappe_countries = set(json.loads(country_info.read_text(encoding="utf-8")))
		ours = {name for kind, name, _zh in self.walk() if kind == "Country"}
		self.assertEqual(ours, frappe_countries)

	def test_china_has_its_provinces_and_trade_cities(self):
		china = next(
			c for cont in self.regions["continents"] for c in cont["countries"] if c["country"] == "China"
		)
		provinces = {p["name"]: p for p in china["provinces"]}
		self.assertGreaterEqual(len(provinces), 31)
		cities = {c["name"] for p in provinces.values() for c in p["cities"]}
		for city in ("Guangzhou", "Shenzhen", "Ningbo", "Yiwu", "Xiamen", "Qingdao", "Suzhou"):
			self.assertIn(city, cities)

	def test_most_countries_have_a_capital(self):
		countries = [c for cont in self.regions["continents"] for c in cont["countries"]]
		with_capital = [c for c in countries if any(city.get("capital") for city in c.get("cities", []))]
		self.assertGreaterEqual(len(with_capital), 190)

	def test_code_lists_cover_every_list_with_unique_translated_names(self):
		self.assertEqual(
			set(self.codes),
			{
				"ECRM Customer Type",
				"ECRM Customer Level",
				"ECRM Customer Source",
				"ECRM Industry",
				"ECRM Product",
				"ECRM Contact Purpose",
				"ECRM Mail Category",
				"ECRM Follow-up Method",
			},
		)
		names = [e["name"] for entries in self.codes.values() for e in entries]
		self.assertEqual(len(names), len(set(names)))
		region_names = {name for _k, name, _z in self.walk()}
		self.assertFalse(region_names & set(names), "a code shares its key with a region")
		for entries in self.codes.values():
			self.assertGreaterEqual(len(entries), 4)
			for e in entries:
				self.assertTrue(e["zh"].strip())
