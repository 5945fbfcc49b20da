"""The desk's API of a package is its api.py (issue 16): every @frappe.whitelist function of these packages
lives there, says which HTTP methods it takes and is typed; the modules behind it are plain functions."""

import ast
import re
import unittest
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "apps" / "ent_crm"
# Frappe's own whitelisted methods the app overrides (hooks.override_whitelisted_methods) keep Frappe's
# signature where hooks.py names them: they are not the package's API
OVERRIDES = set(re.findall(r'"ent_crm\.([\w.]+)"', (APP / "hooks.py").read_text(encoding="utf-8")))
PACKAGES = ("customers", "followup", "personal", "admin", "messages", "mail", "workbench")


def whitelist_call(function: ast.FunctionDef) -> ast.expr | None:
	for decorator in function.decorator_list:
		target = decorator.func if isinstance(decorator, ast.Call) else decorator
		if ast.unparse(target) in ("frappe.whitelist", "whitelist"):
			return decorator
	return None


def functions(path: Path):
	tree = ast.parse(path.read_text(encoding="utf-8"))
	return [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)]


def overridden_name(path: Path, fn) -> str:
	"""The dotted name (below ent_crm) hooks.py would use for `fn` of `path`."""
	module = ".".join(path.relative_to(APP).with_suffix("").parts)
	return f"{module}.{fn.name}"


class TestApiModules(unittest.TestCase):
	def test_whitelisted_functions_live_in_api_py(self):
		elsewhere = [
			f"{path.relative_to(APP)}: {fn.name}"
			for package in PACKAGES
			for path in sorted((APP / package).rglob("*.py"))
			if path.name != "api.py"
			for fn in functions(path)
			if whitelist_call(fn) and overridden_name(path, fn) not in OVERRIDES
		]
		self.assertEqual(elsewhere, [], "move these to the package's api.py")

	def test_api_functions_are_whitelisted_with_methods_and_typed(self):
		problems = []
		for package in PACKAGES:
			path = APP / package / "api.py"
			self.assertTrue(path.exists(), f"{package} has no api.py")
			public = [
				fn
				for fn in ast.parse(path.read_text(encoding="utf-8")).body
				if isinstance(fn, ast.FunctionDef) and not fn.name.startswith("_")
			]
			self.assertTrue(public, f"{package}/api.py has no function")
			for fn in public:
				call = whitelist_call(fn)
				where = f"{package}/api.py: {fn.name}"
				if call is None:
					problems.append(f"{where} is not whitelisted")
					continue
				if not isinstance(call, ast.Call) or "methods" not in {k.arg for k in call.keywords}:
					problems.append(f"{where} does not name its HTTP methods")
				if fn.returns is None or any(a.annotation is None for a in fn.args.args):
					problems.append(f"{where} is not fully typed")
		self.assertEqual(problems, [], "\n".join(problems))
