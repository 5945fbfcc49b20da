# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

import frappe
from frappe.model.document import Document

from ent_crm.core.input_types import CheckedInput
from ent_crm.core.rights import employee_of
from ent_crm.customers.address_index import AddressRecord


class ECRMSupplier(CheckedInput, AddressRecord, Document):
	"""A supplier, owned by a merchandiser; its addresses share the customers' address index."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from ent_crm.ent_crm.doctype.ecrm_backup_email.ecrm_backup_email import ECRMBackupEmail
		from ent_crm.ent_crm.doctype.ecrm_contact_person.ecrm_contact_person import ECRMContactPerson
		from ent_crm.ent_crm.doctype.ecrm_product_item.ecrm_product_item import ECRMProductItem

		address: DF.SmallText | None
		backup_emails: DF.Table[ECRMBackupEmail]
		backup_emails_text: DF.SmallText | None
		contacts: DF.Table[ECRMContactPerson]
		fax: DF.Data | None
		merchandiser: DF.Link | None
		merchandiser_user: DF.Link | None
		mnemonic: DF.Data | None
		phone: DF.Data | None
		phone_digits: DF.Data | None
		primary_email: DF.Data | None
		products: DF.TableMultiSelect[ECRMProductItem]
		region: DF.Link
		remarks: DF.Text | None
		supplier_name: DF.Data
		website: DF.Data | None
	# end: auto-generated types

	code_prefix = "S"

	def before_insert(self):
		if not self.merchandiser:
			me = employee_of()
			if me and frappe.db.get_value("ECRM Employee", me, "is_merchandiser"):
				self.merchandiser = me

	def validate(self):
		self.validate_address_record()
		self.merchandiser_user = (
			frappe.db.get_value("ECRM Employee", self.merchandiser, "user") if self.merchandiser else None
		)
