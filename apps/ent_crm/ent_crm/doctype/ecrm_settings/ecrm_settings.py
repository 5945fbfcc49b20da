# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

import frappe
from frappe import _
from frappe.model.document import Document

from ent_crm.core.network import parse_networks


class ECRMSettings(Document):
	"""System options (B5). Read them with `get_settings()`."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		attachment_size_limit_mb: DF.Int
		default_followup_days: DF.Int
		free_mail_domains: DF.SmallText | None
		mailbox_stale_minutes: DF.Int
		max_concurrent_sessions: DF.Int
		message_max_length: DF.Int
		message_retention_days: DF.Int
		office_networks: DF.SmallText | None
		online_idle_minutes: DF.Int
		recycle_bin_days: DF.Int
		skip_weekends: DF.Check
		strict_region_mode: DF.Check
	# end: auto-generated types

	def validate(self):
		self.validate_office_networks()
		self.normalise_free_mail_domains()

	def validate_office_networks(self):
		_networks, invalid = parse_networks(self.office_networks)
		if invalid:
			frappe.throw(
				_("These office network entries are not addresses or networks: {0}").format(
					", ".join(invalid)
				),
				title=_("Invalid Office Networks"),
			)

	def normalise_free_mail_domains(self):
		domains = []
		for line in (self.free_mail_domains or "").replace(",", "\n").splitlines():
			domain = line.strip().lower().lstrip("@")
			if domain and domain not in domains:
				domains.append(domain)
		self.free_mail_domains = "\n".join(domains)


def get_settings():
	return frappe.get_cached_doc("ECRM Settings")
