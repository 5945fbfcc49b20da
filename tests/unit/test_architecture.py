"""The app's packages depend on each other one way only, and no module imports another in a cycle.

Layers, lowest first (a package may import its own modules and those of lower layers, never higher):

    core ← admin ← personal ← messages ← customers ← followup ← mail ← workbench, statistics

`setup` (install, base data, demo), `devmail` (the demo's local mail host), `commands`, `hooks`, `patches`
and the Frappe module `ent_crm.ent_crm` (DocType controllers, pages, reports) sit on top and may import
any package. A lower package reaches a higher one only through an event (`core.events`, listeners in
hooks.py). Function-level imports count: an import hidden in a function is still a dependency.
"""

import ast
import unittest
from pathlib import Path

APPS = Path(__file__).resolve().parents[2] / "apps"
APP = APPS / "ent_crm"

LAYERS = [
	{"core"},
	{"admin"},
	{"personal"},
	{"messages"},
	{"customers"},
	{"followup"},
	{"mail"},
	{"workbench", "statistics"},
]
TOP = {"setup", "devmail", "commands", "hooks", "patches", "ent_crm", "tests", "__init__"}


def module_name(path: Path) -> str:
	parts = list(path.relative_to(APPS).with_suffix("").parts)
	if parts[-1] == "__init__":
		parts.pop()
	return ".".join(parts)


def app_modules() -> dict[str, Path]:
	return {module_name(p): p for p in APP.rglob("*.py") if "node_modules" not in p.parts}


def resolve(name: str, modules: dict) -> str | None:
	while name and name not in modules:
		name = name.rpartition(".")[0]
	return name or None


def imports_of(path: Path, modules: dict, source: str | None = None) -> set[str]:
	"""Every ent_crm module `path` imports, at any level of the file (functions included)."""
	found = set()
	source = path.read_text(encoding="utf-8") if source is None else source
	for node in ast.walk(ast.parse(source)):
		targets = []
		if isinstance(node, ast.Import):
			targets = [a.name for a in node.names]
		elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
			targets = [f"{node.module}.{a.name}" for a in node.names] + [node.module]
		for target in targets:
			if target == "ent_crm" or target.startswith("ent_crm."):
				module = resolve(target, modules)
				if module and module != module_name(path):
					found.add(module)
	return found


def package_of(module: str) -> str:
	parts = module.split(".")
	return parts[1] if len(parts) > 1 else "__init__"


def layer_of(package: str) -> int | None:
	for index, layer in enumerate(LAYERS):
		if package in layer:
			return index
	return None


def graph() -> dict[str, set[str]]:
	modules = app_modules()
	edges = {}
	for name, path in modules.items():
		# a package's own __init__ is imported by every module in it: not an edge worth following
		edges[name] = {m for m in imports_of(path, modules) if not name.startswith(m + ".")}
	return edges


class TestArchitecture(unittest.TestCase):
	def test_every_package_has_a_layer(self):
		packages = {package_of(m) for m in app_modules()}
		unplaced = {p for p in packages if layer_of(p) is None and p not in TOP}
		self.assertFalse(unplaced, f"place these packages in LAYERS or TOP: {sorted(unplaced)}")

	def test_dependencies_point_down(self):
		wrong = []
		for module, targets in graph().items():
			here = layer_of(package_of(module))
			if here is None:
				continue  # the top may import anything
			for target in targets:
				there = layer_of(package_of(target))
				if (
					there is None
					or there > here
					or (there == here and package_of(target) != package_of(module))
				):
					wrong.append(f"{module} -> {target}")
		self.assertFalse(wrong, "imports against the layers:\n" + "\n".join(sorted(wrong)))

	def test_no_import_cycle(self):
		edges = graph()
		cycles = []
		state = {}

		def visit(node, stack):
			state[node] = "open"
			stack.append(node)
			for nxt in sorted(edges.get(node, ())):
				if state.get(nxt) == "open":
					cycles.append(" -> ".join(stack[stack.index(nxt) :] + [nxt]))
				elif nxt not in state:
					visit(nxt, stack)
			stack.pop()
			state[node] = "done"

		for node in sorted(edges):
			if node not in state:
				visit(node, [])
		self.assertFalse(cycles, "import cycles:\n" + "\n".join(cycles))

	def test_the_checker_sees_function_level_imports(self):
		# the rule would be empty if imports inside functions were missed: address_index announces new
		# addresses through core.events, and that import must be seen
		modules = app_modules()
		self.assertIn("ent_crm.core.events", imports_of(APP / "customers" / "address_index.py", modules))
		source = "def f():\n\tfrom ent_crm.mail import triage\n"
		self.assertIn("ent_crm.mail.triage", imports_of(APP / "customers" / "probe.py", modules, source))
