"""Base data seeded on install and on every migrate (B1, B3, B4, B5, A4).

Every record is seeded at most once: an `ECRM Seed Record` remembers its key, so what an administrator
edits, renames or deletes afterwards stays as they left it. New records added to the data files in a
later version of the app are seeded by the next migrate. Roles are the exception: the app needs them to
work, so a missing role is always created again (never modified).
"""

import json
from pathlib import Path

import frappe
from frappe.utils import now

from ent_crm.core.local_names import LANGUAGE, clear_translation_cache
from ent_crm.core.roles import MODULE_PROFILES, ROLE_PROFILES, ROLES, SYSTEM_MANAGER_WORKSPACES

DATA = Path(__file__).resolve().parent.parent / "data"


def load_data(name: str):
	return json.loads((DATA / name).read_text(encoding="utf-8"))


def seed_all() -> dict:
	"""Seed what is missing; returns how many records of each kind were created."""
	created = {
		"Role": seed_roles(),
		"Role Profile": seed_role_profiles(),
		"Module Profile": seed_module_profiles(),
		"Custom Role": seed_workspace_roles(),
		"ECRM Department": seed_departments(),
		"ECRM Region": seed_regions(),
		"ECRM Settings": seed_settings(),
		"System Settings": keep_scheduler_awake(),
	}
	created.update(seed_code_lists())
	return created


# --- bookkeeping -------------------------------------------------------------------------------------


class Seeder:
	"""Knows which keys of one doctype were seeded before, and records new ones in one go."""

	def __init__(self, doctype: str):
		self.doctype = doctype
		self.done = set(
			frappe.get_all("ECRM Seed Record", filters={"reference_doctype": doctype}, pluck="seed_key")
		)
		self.new: list[tuple[str, str]] = []

	def key(self, name: str) -> str:
		return f"{self.doctype}:{name}"

	def wanted(self, name: str) -> bool:
		return self.key(name) not in self.done

	def mark(self, name: str) -> None:
		self.done.add(self.key(name))
		self.new.append((self.key(name), name))

	def save(self) -> None:
		if not self.new:
			return
		stamp, user = now(), frappe.session.user
		frappe.db.bulk_insert(
			"ECRM Seed Record",
			fields=[
				"name",
				"seed_key",
				"reference_doctype",
				"reference_name",
				"creation",
				"modified",
				"owner",
				"modified_by",
			],
			values=[
				(frappe.generate_hash(length=12), key, self.doctype, name, stamp, stamp, user, user)
				for key, name in self.new
			],
			ignore_duplicates=True,
		)


def add_translations(pairs: list[tuple[str, str]]) -> None:
	"""zh Translations for seeded names, leaving any translation that already exists alone."""
	existing = set(frappe.get_all("Translation", filters={"language": LANGUAGE}, pluck="source_text"))
	stamp, user = now(), frappe.session.user
	rows, seen = [], set()
	for source, translated in pairs:
		if not translated or translated == source or source in existing or source in seen:
			continue
		seen.add(source)
		rows.append((frappe.generate_hash(length=10), LANGUAGE, source, translated, stamp, stamp, user, user))
	if rows:
		frappe.db.bulk_insert(
			"Translation",
			fields=[
				"name",
				"language",
				"source_text",
				"translated_text",
				"creation",
				"modified",
				"owner",
				"modified_by",
			],
			values=rows,
		)
		clear_translation_cache()


def bulk_insert_docs(doctype: str, rows: list[dict]) -> None:
	"""Insert plain rows (each with the same keys, `name` included) without running controllers."""
	if not rows:
		return
	stamp, user = now(), frappe.session.user
	columns = list(rows[0])
	frappe.db.bulk_insert(
		doctype,
		fields=["creation", "modified", "owner", "modified_by", *columns],
		values=[(stamp, stamp, user, user, *(row[c] for c in columns)) for row in rows],
	)


# --- roles -------------------------------------------------------------------------------------------


def seed_roles() -> int:
	created = 0
	for role in ROLES:
		if not frappe.db.exists("Role", role):
			frappe.get_doc({"doctype": "Role", "role_name": role, "desk_access": 1}).insert(
				ignore_permissions=True
			)
			created += 1
	return created


def seed_role_profiles() -> int:
	seeder = Seeder("Role Profile")
	for profile, roles in ROLE_PROFILES.items():
		if not seeder.wanted(profile):
			continue
		if not frappe.db.exists("Role Profile", profile):
			doc = frappe.new_doc("Role Profile")
			doc.role_profile = profile
			for role in roles:
				doc.append("roles", {"role": role})
			doc.insert(ignore_permissions=True)
		seeder.mark(profile)
	seeder.save()
	return len(seeder.new)


def seed_module_profiles() -> int:
	seeder = Seeder("Module Profile")
	for profile, modules in MODULE_PROFILES.items():
		if not seeder.wanted(profile):
			continue
		if not frappe.db.exists("Module Profile", profile):
			doc = frappe.new_doc("Module Profile")
			doc.module_profile_name = profile
			for module in modules:
				if frappe.db.exists("Module Def", module):
					doc.append("block_modules", {"module": module})
			doc.insert(ignore_permissions=True)
		seeder.mark(profile)
	seeder.save()
	return len(seeder.new)


def seed_workspace_roles() -> int:
	seeder = Seeder("Custom Role")
	for workspace in SYSTEM_MANAGER_WORKSPACES:
		if not seeder.wanted(workspace):
			continue
		if frappe.db.exists("Workspace", workspace) and not frappe.db.exists(
			"Custom Role", {"page": workspace}
		):
			doc = frappe.get_doc(
				{"doctype": "Custom Role", "page": workspace, "roles": [{"role": "System Manager"}]}
			)
			doc.flags.ignore_links = True  # Frappe matches workspaces by name in this field
			doc.insert(ignore_permissions=True)
		seeder.mark(workspace)
	seeder.save()
	return len(seeder.new)


# --- trees -------------------------------------------------------------------------------------------


def seed_tree(doctype: str, parent_field: str, nodes: list[dict]) -> int:
	"""Insert the missing nodes (parents before children) in bulk, then number the tree once."""
	from frappe.utils.nestedset import rebuild_tree

	seeder = Seeder(doctype)
	existing = set(frappe.get_all(doctype, pluck="name"))
	rows, translations = [], []
	for node in nodes:
		name = node["name"]
		if not seeder.wanted(name):
			continue
		parent = node.get("parent")
		if name not in existing and (not parent or parent in existing):
			row = {
				"name": name,
				**node["fields"],
				parent_field: parent,
				"old_parent": parent,
				"lft": 0,
				"rgt": 0,
			}
			rows.append(row)
			existing.add(name)
			translations.append((name, node["fields"].get("local_name")))
		seeder.mark(name)
	bulk_insert_docs(doctype, rows)
	seeder.save()
	if rows:
		rebuild_tree(doctype, parent_field)
		add_translations(translations)
		frappe.clear_cache(doctype=doctype)
	return len(rows)


def seed_departments() -> int:
	nodes = []

	def walk(items, parent=None):
		for item in items:
			children = item.get("children") or []
			nodes.append(
				{
					"name": item["name"],
					"parent": parent,
					"fields": {
						"department_name": item["name"],
						"local_name": item.get("zh"),
						"is_group": 1 if (children or item.get("is_group")) else 0,
					},
				}
			)
			walk(children, item["name"])

	walk(load_data("departments.json")["departments"])
	return seed_tree("ECRM Department", "parent_ecrm_department", nodes)


def region_nodes() -> list[dict]:
	"""The region tree of data/regions.json as a flat list, parents first."""
	nodes = []

	def add(name, zh, region_type, parent, country=None, is_group=1, is_capital=0):
		nodes.append(
			{
				"name": name,
				"parent": parent,
				"fields": {
					"region_name": name,
					"local_name": zh,
					"region_type": region_type,
					"country": country,
					"is_group": is_group,
					"is_capital": is_capital,
				},
			}
		)

	def add_cities(cities, parent, country):
		for city in cities:
			add(city["name"], city["zh"], "City", parent, country, 0, 1 if city.get("capital") else 0)

	for continent in load_data("regions.json")["continents"]:
		add(continent["name"], continent["zh"], "Continent", None)
		for country in continent["countries"]:
			add(country["country"], country["zh"], "Country", continent["name"], country["country"])
			add_cities(country.get("cities") or [], country["country"], country["country"])
			for province in country.get("provinces") or []:
				add(province["name"], province["zh"], "Province", country["country"], country["country"])
				add_cities(province.get("cities") or [], province["name"], country["country"])
	return nodes


def seed_regions() -> int:
	return seed_tree("ECRM Region", "parent_ecrm_region", region_nodes())


# --- code lists and settings -------------------------------------------------------------------------


def seed_code_lists() -> dict:
	created = {}
	for doctype, entries in load_data("code_lists.json").items():
		seeder = Seeder(doctype)
		existing = set(frappe.get_all(doctype, pluck="name"))
		rows, translations = [], []
		for entry in entries:
			if not seeder.wanted(entry["name"]):
				continue
			if entry["name"] not in existing:
				rows.append(
					{
						"name": entry["name"],
						"code_name": entry["name"],
						"local_name": entry["zh"],
						"sort_order": entry["sort_order"],
						"disabled": 0,
					}
				)
				translations.append((entry["name"], entry["zh"]))
			seeder.mark(entry["name"])
		bulk_insert_docs(doctype, rows)
		seeder.save()
		add_translations(translations)
		created[doctype] = len(rows)
	return created


def seed_settings() -> int:
	"""Write the settings' defaults once, so that every option shows its current value from the start."""
	seeder = Seeder("ECRM Settings")
	if not seeder.wanted("defaults"):
		return 0
	settings = frappe.get_single("ECRM Settings")
	for df in settings.meta.fields:
		if df.default is not None and settings.get(df.fieldname) in (None, ""):
			settings.set(df.fieldname, df.default)
	settings.flags.ignore_permissions = True
	settings.save()
	seeder.mark("defaults")
	seeder.save()
	return 1


def keep_scheduler_awake() -> int:
	"""Once: a quiet site still pulls its mail every few minutes (see ent_crm.mail.receiving)."""
	from ent_crm.mail.receiving import DORMANT_DAYS

	seeder = Seeder("System Settings")
	if not seeder.wanted("dormant_days"):
		return 0
	if (frappe.db.get_single_value("System Settings", "dormant_days") or 4) < DORMANT_DAYS:
		frappe.db.set_single_value("System Settings", "dormant_days", DORMANT_DAYS)
	seeder.mark("dormant_days")
	seeder.save()
	return 1


def remove_seeded_translations() -> None:
	"""On uninstall: drop the zh Translations of the base data this app created."""
	sources = set()
	for doctype in ("ECRM Region", "ECRM Department", *load_data("code_lists.json").keys()):
		if frappe.db.table_exists(doctype):
			sources.update(frappe.get_all(doctype, filters={"local_name": ("is", "set")}, pluck="name"))
	if sources:
		frappe.db.delete("Translation", {"language": LANGUAGE, "source_text": ("in", list(sources))})
		clear_translation_cache()
