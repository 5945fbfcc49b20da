# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

from frappe.model.document import Document

from ent_crm.followup import contact_log
from ent_crm.mail import field_guard


class ECRMContactLog(Document):
	"""One contact with a customer (F1, E8); the rules live in ent_crm.followup.contact_log."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from ent_crm.ent_crm.doctype.ecrm_product_item.ecrm_product_item import ECRMProductItem

		category: DF.Link | None
		contact_date: DF.Datetime
		content: DF.TextEditor | None
		customer: DF.Link
		customer_name: DF.Data | None
		direction: DF.Literal["Outbound", "Inbound"]
		employee: DF.Link | None
		folder: DF.Link | None
		mail: DF.Link | None
		method: DF.Link | None
		next_followup_date: DF.Date | None
		products: DF.TableMultiSelect[ECRMProductItem]
		purpose: DF.Link | None
		remarks: DF.SmallText | None
		subject: DF.Data | None
	# end: auto-generated types

	def validate(self):
		field_guard.check_contact_log(self)
		contact_log.validate(self)

	def after_insert(self):
		contact_log.after_insert(self)

	def on_update(self):
		contact_log.on_update(self)
