"""pytest set-up for the whole suite.

tests/unit needs no Frappe site. tests/integration runs against a real site on MariaDB and Redis:
FRAPPE_BENCH (default /home/frappe/frappe-bench) and ENT_CRM_TEST_SITE (default ent-crm-test.localhost)
name it. Without a bench the integration tests are skipped with a loud notice, unless
ENT_CRM_REQUIRE_SITE=1 (set by .ci/run when the bench exists), which turns that into a failure.
"""

import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "apps"))

BENCH = Path(os.environ.get("FRAPPE_BENCH", "/home/frappe/frappe-bench"))
SITE = os.environ.get("ENT_CRM_TEST_SITE", "ent-crm-test.localhost")
REQUIRE_SITE = os.environ.get("ENT_CRM_REQUIRE_SITE") == "1"

_site_problem = None


def _connect() -> str | None:
	"""Connect to the test site as `bench run-tests` would; return why not, or None."""
	try:
		import frappe
	except ImportError:
		return "frappe is not importable (run pytest with the bench's env/bin/python)"
	sites = BENCH / "sites"
	if not (sites / SITE / "site_config.json").exists():
		return f"test site {SITE} does not exist under {sites} (create it: see README, Tests)"
	os.chdir(sites)  # frappe's log and file paths are relative to sites/
	frappe.init(site=SITE, sites_path=str(sites))
	frappe.connect()
	if "ent_crm" not in frappe.get_installed_apps():
		frappe.destroy()
		return f"ent_crm is not installed on {SITE}"
	frappe.flags.in_test = True
	frappe.clear_cache()
	frappe.set_user("Administrator")
	return None


def pytest_configure(config):
	config.addinivalue_line("markers", "site: needs a Frappe site")


def pytest_collection_modifyitems(config, items):
	global _site_problem
	wanted = [item for item in items if "integration" in Path(str(item.fspath)).parts]
	if not wanted:
		return
	_site_problem = _connect()
	if _site_problem is None:
		return
	if REQUIRE_SITE:
		raise pytest.UsageError(f"ENT_CRM_REQUIRE_SITE=1 but {_site_problem}")
	skip = pytest.mark.skip(reason=f"SKIPPED, needs a Frappe site: {_site_problem}")
	for item in wanted:
		item.add_marker(skip)


def pytest_terminal_summary(terminalreporter):
	if _site_problem:
		terminalreporter.write_sep("!", "INTEGRATION TESTS SKIPPED", red=True, bold=True)
		terminalreporter.write_line(f"Reason: {_site_problem}", red=True, bold=True)


def pytest_unconfigure(config):
	try:
		import frappe
	except ImportError:
		return
	if getattr(frappe.local, "db", None):
		frappe.db.rollback()
		frappe.destroy()
