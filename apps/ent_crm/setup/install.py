"""Install, migrate and uninstall hooks (see hooks.py)."""

import frappe

from ent_crm.setup.base_data import remove_seeded_translations, seed_all


def after_install():
	seed_all()


def after_migrate():
	seed_all()


def before_uninstall():
	remove_seeded_translations()
