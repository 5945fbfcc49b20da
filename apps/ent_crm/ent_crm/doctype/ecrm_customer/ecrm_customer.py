# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

from frappe.model.document import Document

from ent_crm.core.input_types import CheckedInput
from ent_crm.customers import ownership
from ent_crm.customers.address_index import AddressRecord


class ECRMCustomer(CheckedInput, AddressRecord, Document):
	"""A customer (G1). Address rules live in ent_crm.customers.address_index, ownership in ent_crm.customers.ownership."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from ent_crm.ent_crm.doctype.ecrm_backup_email.ecrm_backup_email import ECRMBackupEmail
		from ent_crm.ent_crm.doctype.ecrm_contact_person.ecrm_contact_person import ECRMContactPerson
		from ent_crm.ent_crm.doctype.ecrm_customer_owner.ecrm_customer_owner import ECRMCustomerOwner
		from ent_crm.ent_crm.doctype.ecrm_product_item.ecrm_product_item import ECRMProductItem

		address: DF.SmallText | None
		backup_emails: DF.Table[ECRMBackupEmail]
		backup_emails_text: DF.SmallText | None
		contacts: DF.Table[ECRMContactPerson]
		customer_level: DF.Link | None
		customer_name: DF.Data
		customer_source: DF.Link | None
		customer_type: DF.Link | None
		fax: DF.Data | None
		industry: DF.Link | None
		is_hidden: DF.Check
		mnemonic: DF.Data | None
		owner_names: DF.Data | None
		owners: DF.Table[ECRMCustomerOwner]
		phone: DF.Data | None
		phone_digits: DF.Data | None
		primary_email: DF.Data | None
		products: DF.TableMultiSelect[ECRMProductItem]
		region: DF.Link
		remarks: DF.Text | None
		website: DF.Data | None
	# end: auto-generated types

	code_prefix = "C"

	def before_insert(self):
		ownership.apply_region_rules_on_create(self)

	def validate(self):
		ownership.check_owner_change(self)
		self.validate_address_record()
		ownership.set_owner_fields(self)
