# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

from frappe.model.document import Document

from ent_crm.admin.devices import on_status_change


class ECRMDevice(Document):
	"""A browser a user bound to approved devices may log in from once approved (A7)."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		approved_by: DF.Link | None
		approved_on: DF.Datetime | None
		device_hash: DF.Data | None
		device_label: DF.Data | None
		first_ip: DF.Data | None
		last_ip: DF.Data | None
		last_login: DF.Datetime | None
		requested_on: DF.Datetime | None
		status: DF.Literal["Pending Approval", "Approved", "Rejected"]
		user: DF.Link
		user_agent: DF.SmallText | None
	# end: auto-generated types

	def validate(self):
		on_status_change(self)
