"""Install, migrate and uninstall hooks (see hooks.py)."""

from ent_crm.setup.base_data import remove_seeded_translations, seed_all
from ent_crm.setup.custom_fields import remove_custom_fields, sync_custom_fields


def after_install():
	sync_custom_fields()
	seed_all()


def after_migrate():
	sync_custom_fields()
	seed_all()


def before_uninstall():
	remove_seeded_translations()
	remove_custom_fields()
