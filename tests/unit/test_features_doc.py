"""docs/features.md tells the truth about where each manual function lives (no site needed).

Every ID of the spec (`../shared/spec/manual-features.md`) has exactly one row; every dotted `ent_crm.` path
in backticks is a module of apps/ or a function, class or constant defined in one (read with ast, nothing is
imported); every `tests/...py` path exists and the names after `::` are defined in it; every `apps/` path
exists; every `/app/ecrm-…` route is a page or DocType of the app; every `ent-crm-…` command is a bench
command of the app.
"""

import ast
import json
import re
import unittest
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
APPS = REPO / "apps"
MODULE = APPS / "ent_crm" / "ent_crm"
DOC = REPO / "docs" / "features.md"

# Every function ID of ../shared/spec/manual-features.md (A1–A8, B1–B5, C1–C5, D1–D10, E1–E8, F1–F5, G1–G6,
# H1–H2, I1–I7, J1–J3, K): 60 in all.
IDS = (
	[f"A{i}" for i in range(1, 9)]
	+ [f"B{i}" for i in range(1, 6)]
	+ [f"C{i}" for i in range(1, 6)]
	+ [f"D{i}" for i in range(1, 11)]
	+ [f"E{i}" for i in range(1, 9)]
	+ [f"F{i}" for i in range(1, 6)]
	+ [f"G{i}" for i in range(1, 7)]
	+ [f"H{i}" for i in range(1, 3)]
	+ [f"I{i}" for i in range(1, 8)]
	+ [f"J{i}" for i in range(1, 4)]
	+ ["K"]
)

CODE_SPAN = re.compile(r"`([^`\n]+)`")
DOTTED = re.compile(r"\bent_crm(?:\.[A-Za-z_]\w*)+")
TEST_REF = re.compile(r"\btests/[\w/]+\.py(?:::\w+)*")
APP_PATH = re.compile(r"\bapps/[\w/.-]+\w")
ROUTE = re.compile(r"/app/(ecrm-[a-z0-9-]+)")
COMMAND = re.compile(r"\bent-crm-[a-z-]+\b")


@cache
def tree_of(path: Path) -> ast.Module:
	return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def module_file(parts: list[str]) -> Path | None:
	base = APPS.joinpath(*parts)
	if base.with_suffix(".py").is_file():
		return base.with_suffix(".py")
	if (base / "__init__.py").is_file():
		return base / "__init__.py"
	return None


def defined_names(body) -> dict[str, ast.AST]:
	"""Functions, classes and assigned names at the top of `body` (a module's or a class's)."""
	names: dict[str, ast.AST] = {}
	for node in body:
		if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
			names[node.name] = node
		elif isinstance(node, ast.Assign):
			for target in node.targets:
				if isinstance(target, ast.Name):
					names[target.id] = node
		elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
			names[node.target.id] = node
		elif isinstance(node, ast.ImportFrom):
			for alias in node.names:
				names[alias.asname or alias.name] = node
	return names


def imported_from(node: ast.ImportFrom, name: str, path: Path) -> str:
	"""The dotted path a `from … import` re-export stands for (relative imports made absolute)."""
	original = next(a.name for a in node.names if (a.asname or a.name) == name)
	package = list(path.relative_to(APPS).with_suffix("").parts)[:-1]  # the package holding the file
	base = package[: len(package) - node.level + 1] if node.level else []
	return ".".join([*base, *([node.module] if node.module else []), original])


def resolve(dotted: str) -> str | None:
	"""None when `dotted` is a module or a name defined in one, else why not."""
	parts = dotted.split(".")
	for cut in range(len(parts), 0, -1):
		path = module_file(parts[:cut])
		if path:
			break
	else:
		return f"{dotted}: no module apps/{'/'.join(parts)}.py"
	rest = parts[cut:]
	if not rest:
		return None
	if len(rest) > 2:
		return f"{dotted}: {'.'.join(rest)} is too deep inside {path.relative_to(REPO)}"
	names = defined_names(tree_of(path).body)
	node = names.get(rest[0])
	if node is None:
		return f"{dotted}: {rest[0]} is not defined in {path.relative_to(REPO)}"
	if isinstance(node, ast.ImportFrom):  # a re-export (e.g. a package's __init__): check where it comes from
		origin = imported_from(node, rest[0], path)
		if not origin.startswith("ent_crm."):
			return f"{dotted}: {rest[0]} is imported from outside the app ({origin})"
		return resolve(".".join([origin, *rest[1:]]))
	if len(rest) == 2:
		if not isinstance(node, ast.ClassDef) or rest[1] not in defined_names(node.body):
			return f"{dotted}: {rest[0]}.{rest[1]} is not defined in {path.relative_to(REPO)}"
	return None


def check_test_ref(ref: str) -> str | None:
	file, *names = ref.split("::")
	path = REPO / file
	if not path.is_file():
		return f"{ref}: no file {file}"
	body = tree_of(path).body
	for name in names:
		found = defined_names(body).get(name)
		if found is None:
			return f"{ref}: {name} is not defined in {file}"
		body = found.body if isinstance(found, ast.ClassDef) else []
	return None


def code_spans(text: str) -> list[str]:
	return CODE_SPAN.findall(text)


def rows(text: str) -> dict[str, list[str]]:
	"""The table rows of the doc, by their first cell, each row as often as it occurs."""
	found: dict[str, list[str]] = {}
	for line in text.splitlines():
		if not line.startswith("|"):
			continue
		cells = [c.strip() for c in line.strip().strip("|").split("|")]
		if cells and re.fullmatch(r"[A-K]\d{0,2}", cells[0]):
			found.setdefault(cells[0], []).append(line)
	return found


class TestFeaturesDoc(unittest.TestCase):
	@classmethod
	def setUpClass(cls):
		cls.text = DOC.read_text(encoding="utf-8")
		cls.spans = code_spans(cls.text)

	def test_every_id_has_exactly_one_row(self):
		found = rows(self.text)
		missing = [i for i in IDS if i not in found]
		self.assertEqual(missing, [], "IDs of the spec without a row in docs/features.md")
		twice = [i for i, lines in found.items() if len(lines) > 1]
		self.assertEqual(twice, [], "IDs with more than one row")
		unknown = sorted(set(found) - set(IDS))
		self.assertEqual(unknown, [], "rows for IDs the spec does not have")

	def test_every_row_names_its_code_and_its_tests(self):
		for id_, (line,) in rows(self.text).items():
			spans = " ".join(code_spans(line))
			self.assertTrue(DOTTED.search(spans) or APP_PATH.search(spans), f"{id_}: no module named")
			self.assertTrue(TEST_REF.search(spans), f"{id_}: no test named")

	def test_dotted_paths_resolve(self):
		paths = sorted({m for span in self.spans for m in DOTTED.findall(span)})
		self.assertGreater(len(paths), 100)
		problems = [p for p in map(resolve, paths) if p]
		self.assertEqual(problems, [])

	def test_test_paths_and_names_exist(self):
		refs = sorted({m for span in self.spans for m in TEST_REF.findall(span)})
		self.assertGreater(len(refs), 60)
		problems = [p for p in map(check_test_ref, refs) if p]
		self.assertEqual(problems, [])

	def test_app_paths_exist(self):
		paths = sorted({m for span in self.spans for m in APP_PATH.findall(span)})
		missing = [p for p in paths if not (REPO / p).exists()]
		self.assertEqual(missing, [])

	def test_routes_are_pages_or_doctypes_of_the_app(self):
		slugs = sorted(set(ROUTE.findall(self.text)))
		self.assertIn("ecrm-workbench", slugs)
		missing = [
			s
			for s in slugs
			if not any((MODULE / kind / s.replace("-", "_")).is_dir() for kind in ("page", "doctype"))
		]
		self.assertEqual(missing, [])

	def test_reports_exist(self):
		names = {n for n in re.findall(r"/app/query-report/([^`]+)`", self.text) if not n.startswith("<")}
		self.assertIn("Salesperson Mail", names)
		reports = {
			json.loads(p.read_text(encoding="utf-8")).get("name")
			for p in (MODULE / "report").glob("*/*.json")
			if p.stem == p.parent.name
		}
		self.assertEqual(sorted(names - reports), [])

	def test_bench_commands_exist(self):
		commands = (APPS / "ent_crm" / "commands.py").read_text(encoding="utf-8")
		for command in sorted(set(COMMAND.findall(self.text))):
			self.assertIn(f'@click.command("{command}")', commands, command)


class TestTheChecks(unittest.TestCase):
	"""The checks above would catch a stale path."""

	def test_resolve(self):
		self.assertIsNone(resolve("ent_crm.mail"))
		self.assertIsNone(resolve("ent_crm.mail.triage.distribute"))
		self.assertIsNone(resolve("ent_crm.mail.email_account.ECRMEmailAccount"))
		self.assertIsNotNone(resolve("ent_crm.mail.triage.no_such_function"))
		self.assertIsNotNone(resolve("ent_crm.no_such_package.module"))

	def test_re_exports_are_followed_to_their_definition(self):
		api = APPS / "ent_crm" / "mail" / "api.py"
		for source, name, origin in [
			("from .triage import distribute", "distribute", "ent_crm.mail.triage.distribute"),
			("from ..core.rights import mail_rights", "mail_rights", "ent_crm.core.rights.mail_rights"),
			("from ent_crm.mail import routing as r", "r", "ent_crm.mail.routing"),
		]:
			self.assertEqual(imported_from(ast.parse(source).body[0], name, api), origin)
			self.assertIsNone(resolve(origin))

	def test_check_test_ref(self):
		self.assertIsNone(check_test_ref("tests/unit/test_features_doc.py::TestTheChecks::test_resolve"))
		self.assertIsNotNone(check_test_ref("tests/unit/test_features_doc.py::TestTheChecks::test_nothing"))
		self.assertIsNotNone(check_test_ref("tests/unit/no_such_file.py"))
