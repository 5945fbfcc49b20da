"""The desk's API of the personal page (J3, C2): every whitelisted function of the package.

Each checks that the caller is a user of the CRM, then works on the caller's own settings and personal
mailboxes only (ent_crm.personal.settings).
"""

import frappe

from ent_crm.personal import settings
from ent_crm.personal.permissions import check_desk_user


@frappe.whitelist(methods=["GET", "POST"])
def get_my_settings() -> dict:
	"""Everything the personal page shows for the caller."""
	user = check_desk_user()
	return settings.get_my_settings(user)


@frappe.whitelist(methods=["POST"])
def save_my_settings(
	language: str | None = None,
	email_signature: str | None = None,
	default_sending_mailbox: str | None = None,
	reminder_email: int | None = None,
) -> dict:
	"""Save the caller's own options: language and signature on their User, the rest in their settings."""
	user = check_desk_user()
	return settings.save_my_settings(
		user,
		language=language,
		email_signature=email_signature,
		default_sending_mailbox=default_sending_mailbox,
		reminder_email=reminder_email,
	)


@frappe.whitelist(methods=["POST"])
def save_my_mailbox(
	account: str,
	password: str | None = None,
	email_server: str | None = None,
	incoming_port: str | None = None,
	use_ssl: int | None = None,
	use_starttls: int | None = None,
	smtp_server: str | None = None,
	smtp_port: str | None = None,
	use_tls: int | None = None,
	use_ssl_for_outgoing: int | None = None,
	login_id: str | None = None,
) -> dict:
	"""Change the parameters of the caller's own personal mailbox (C2); the servers are logged in to
	before anything is saved. Parameters left out stay as they are."""
	changes = dict(locals())  # the fields as given (None: unchanged)
	user = check_desk_user()
	return settings.save_my_mailbox(user, changes.pop("account"), changes)
