"""Lets `bench --site SITE run-tests --app ent_crm` run the suite that lives in the repository's tests/.

Frappe's runner only imports test_*.py files inside the app package; this module hands it the
repository's tests through unittest's load_tests protocol. pytest users run `python -m pytest tests`.
"""

import unittest
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def load_tests(loader: unittest.TestLoader, standard_tests, pattern):
	suite = unittest.TestSuite()
	if (REPO / "tests" / "__init__.py").exists():
		for part in ("unit", "integration"):
			suite.addTests(
				loader.discover(str(REPO / "tests" / part), pattern="test_*.py", top_level_dir=str(REPO))
			)
	return suite
