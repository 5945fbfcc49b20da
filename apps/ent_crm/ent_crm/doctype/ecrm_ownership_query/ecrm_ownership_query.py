# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

import frappe
from frappe.model.document import Document

from ent_crm.customers import ownership_query


class ECRMOwnershipQuery(Document):
	"""A saved query of the report Customer Ownership (G5). Rules live in ent_crm.customers.ownership_query."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from ent_crm.ent_crm.doctype.ecrm_ownership_query_condition.ecrm_ownership_query_condition import (
			ECRMOwnershipQueryCondition,
		)

		conditions: DF.Table[ECRMOwnershipQueryCondition]
		is_default: DF.Check
		query_name: DF.Data
		user: DF.Link | None
	# end: auto-generated types

	def validate(self):
		ownership_query.validate_saved_query(self)

	def on_update(self):
		ownership_query.clear_other_defaults(self)


# A user only ever sees and changes their own saved queries (Administrator included in lists; Frappe
# lets Administrator open any document).


def get_permission_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	user = user or frappe.session.user
	return f"`tabECRM Ownership Query`.`user` = {frappe.db.escape(user)}"


def has_permission(doc, ptype: str | None = None, user: str | None = None, debug=False):
	"""Deny when the query, as stored or as about to be saved, belongs to someone else."""
	user = user or frappe.session.user
	users = {doc.get("user")}
	if doc.get("name"):
		users.add(frappe.db.get_value("ECRM Ownership Query", doc.get("name"), "user"))
	users.discard(None)
	return False if users - {user} else None
