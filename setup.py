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
		"selenium>=4.10",  # tests/browser drive Debian's chromium through chromedriver
		"aiosmtpd>=1.4",  # the demo mail host and the tests' SMTP server on loopback (ent_crm.devmail)
	],
)
