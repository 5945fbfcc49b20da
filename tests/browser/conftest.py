"""Browser tests need the test site (to make their data) and Debian's chromium with chromedriver.

The root conftest connects to the site for tests/integration only; this one does the same for
tests/browser. Without the site or the browser the tests are skipped loudly — unless
ENT_CRM_REQUIRE_SITE=1 (CI), which turns that into a failure.
"""

from pathlib import Path

import pytest

from tests import conftest as root
from tests.browser.harness import complete_frappe_setup, missing_tools

# Tests that leave the demo company on the site (as `ent-crm-demo` does) run after every other test of the
# session: a few integration tests assume no committed demo (seeded base data they delete, the demo's 200
# new customers).
LAST = ("test_demo_reply_browser.py",)


def pytest_collection_modifyitems(config, items):
	last = [item for item in items if Path(str(item.fspath)).name in LAST]
	if last:
		items[:] = [item for item in items if item not in last] + last
	wanted = [item for item in items if "browser" in Path(str(item.fspath)).parts]
	if not wanted:
		return
	import frappe

	problem = None if getattr(frappe.local, "db", None) else root._connect()
	missing = missing_tools()
	if not problem and missing:
		problem = (
			"missing "
			+ ", ".join(missing)
			+ " (apt-get install chromium chromium-driver; pip install selenium)"
		)
	if problem is None:
		return
	if root.REQUIRE_SITE:
		raise pytest.UsageError(f"ENT_CRM_REQUIRE_SITE=1 but the browser tests cannot run: {problem}")
	skip = pytest.mark.skip(reason=f"SKIPPED, browser test: {problem}")
	for item in wanted:
		item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def frappe_setup_complete():
	"""Every browser test logs in as people other than Administrator."""
	import frappe

	if getattr(frappe.local, "db", None):
		complete_frappe_setup()
	yield
