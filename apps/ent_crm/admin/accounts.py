"""User accounts and the CRM's role profiles (A2, A4)."""

from ent_crm.core.roles import MODULE_PROFILES


def apply_module_profile(user, method=None):
	"""User.before_validate: choosing the role profile ECRM Salesperson also hides the modules a salesperson does
	not use, so an administrator sets up a new account with one field. An explicit module profile wins."""
	if user.role_profile_name in MODULE_PROFILES and not user.module_profile:
		user.module_profile = user.role_profile_name
