"""ent_crm: an email-centred CRM for foreign-trade companies, as a Frappe v15 app.

The Python package lives in apps/ent_crm (the design card's layout); the symbolic link
ent_crm -> apps/ent_crm at the repository root lets bench find hooks.py where it looks for it.
"""

import re
from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).parent
version = re.search(r'^__version__ = "([^"]+)"', (HERE / "apps/ent_crm/__init__.py").read_text(), re.M).group(
	1
)

setup(
	name="ent_crm",
	version=version,
	description="Email-centred CRM for foreign-trade companies (Frappe v15 app)",
	author="ent_crm developers",
	author_email="dev@ent-crm.example",
	license="MIT",
	python_requires=">=3.10",
	package_dir={"": "apps"},
	packages=find_packages(where="apps"),
	include_package_data=True,
	zip_safe=False,
	install_requires=[
		# a real dependency: the demo's local mail host (`bench --site S ent-crm-mailhost`, ent_crm.devmail)
		# receives the demo's outgoing mail with it; the tests' loopback SMTP server is the same class
		"aiosmtpd>=1.4",
	],
	extras_require={
		# the test suite (tests/): pytest, and selenium driving Debian's chromium for tests/browser;
		# .ci/run installs them into the bench's env
		"test": ["pytest>=7", "selenium>=4.10"],
	},
)
