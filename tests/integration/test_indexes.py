"""The app's composite indexes are declared once (ent_crm.setup.indexes) and exist after install/migrate;
every index the code forces by name is one of them, and nothing else adds an index."""

import ast
from pathlib import Path

import frappe

from ent_crm.setup.indexes import INDEXES, OBSOLETE, apply_indexes
from ent_crm.workbench.indexes import INDEX_FOR
from tests.support import EntCRMTestCase

APP = Path(__file__).resolve().parents[2] / "apps" / "ent_crm"


def index_columns(doctype: str, name: str) -> list[str]:
	rows = frappe.db.sql(f"show index from `tab{doctype}` where Key_name = %s", name, as_dict=True)
	return [r.Column_name for r in sorted(rows, key=lambda r: r.Seq_in_index)]


def forced_by_statistics() -> set[tuple[str, str]]:
	"""(table, index) of every `mail_index(...)` call in the app (the statistics reports' force index)."""
	found = set()
	for path in APP.rglob("*.py"):
		for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
			if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == (
				"mail_index"
			):
				table = node.args[1].value if len(node.args) > 1 else "tabECRM Mail"
				for const in ast.walk(node.args[0]):
					if isinstance(const, ast.Constant) and isinstance(const.value, str):
						found.add((table, const.value))
	return found


class TestIndexes(EntCRMTestCase):
	def test_every_declared_index_exists_with_its_columns(self):
		for doctype, indexes in INDEXES.items():
			for name, fields in indexes.items():
				with self.subTest(doctype=doctype, index=name):
					self.assertEqual(index_columns(doctype, name), fields)
		for doctype, names in OBSOLETE.items():
			for name in names:
				self.assertFalse(frappe.db.has_index(f"tab{doctype}", name), name)

	def test_applying_again_changes_nothing(self):
		before = {d: frappe.db.sql(f"show index from `tab{d}`") for d in INDEXES}
		apply_indexes()
		self.assertEqual({d: frappe.db.sql(f"show index from `tab{d}`") for d in INDEXES}, before)

	def test_forced_indexes_are_declared(self):
		for name in set(INDEX_FOR.values()):
			self.assertIn(name, INDEXES["ECRM Mail"])
		forced = forced_by_statistics()
		self.assertIn(("tabECRM Contact Log", "contact_date_stats"), forced)
		for table, name in forced:
			with self.subTest(index=name):
				self.assertIn(name, INDEXES[table.removeprefix("tab")])

	def test_no_index_is_added_anywhere_else(self):
		adders = []
		for path in APP.rglob("*.py"):
			if path.name == "indexes.py" and path.parent.name == "setup":
				continue
			text = path.read_text(encoding="utf-8")
			if "add_index(" in text or "add index" in text.lower():
				adders.append(str(path.relative_to(APP)))
		self.assertEqual(adders, [])
