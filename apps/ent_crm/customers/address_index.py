"""The address index: every customer or supplier address belongs to exactly one record.

`ECRM Email Address` is named by the normalised address, so the database's primary key enforces the rule
even between two connections saving at the same moment, and `lookup()` — which mail routing calls for
every mail — is one primary-key read.
"""

import frappe
from frappe import _

from ent_crm.core import events
from ent_crm.core.addresses import domain_of, is_valid, normalise, phone_digits, split_line

INDEX = "ECRM Email Address"
KIND_ORDER = {"Primary Address": 0, "Backup Address": 1, "Contact Address": 2}
MAX_BACKUP_ADDRESSES = 100
RECORD_DOCTYPES = ("ECRM Customer", "ECRM Supplier")


def lookup(address: str) -> frappe._dict | None:
	"""The record an address belongs to: {reference_doctype, reference_name, address_kind, contact_name}."""
	value = normalise(address)
	if not value:
		return None
	row = frappe.db.get_value(
		INDEX, value, ["reference_doctype", "reference_name", "address_kind", "contact_name"], as_dict=True
	)
	return row or None


def addresses_of(doc) -> dict[str, tuple[str, str | None]]:
	"""address -> (kind, contact name) for everything `doc` claims, primary first."""
	claimed: dict[str, tuple[str, str | None]] = {}

	def claim(address, kind, contact=None):
		value = normalise(address)
		if value and (value not in claimed or KIND_ORDER[kind] < KIND_ORDER[claimed[value][0]]):
			claimed[value] = (kind, contact)

	claim(doc.primary_email, "Primary Address")
	for row in doc.get("backup_emails") or []:
		claim(row.email, "Backup Address")
	for row in doc.get("contacts") or []:
		claim(row.email, "Contact Address", row.contact_name)
	return claimed


def normalise_record(doc) -> None:
	"""validate(): tidy the addresses of a customer or supplier and refuse what cannot be stored."""
	doc.primary_email = normalise(doc.primary_email) or None
	backups = [a for a in split_line(doc.backup_emails_text) if a != doc.primary_email]
	if len(backups) > MAX_BACKUP_ADDRESSES:
		frappe.throw(
			_("A record can hold at most {0} backup addresses; this one has {1}.").format(
				MAX_BACKUP_ADDRESSES, len(backups)
			),
			title=_("Too Many Backup Addresses"),
		)
	doc.set("backup_emails", [{"email": a} for a in backups])
	doc.backup_emails_text = "; ".join(backups)
	for row in doc.get("contacts") or []:
		row.email = normalise(row.email) or None

	invalid = [
		a
		for a in [doc.primary_email, *backups, *(r.email for r in doc.get("contacts") or [])]
		if a and not is_valid(a)
	]
	if invalid:
		frappe.throw(
			_("These are not valid e-mail addresses: {0}").format(", ".join(invalid)),
			title=_("Invalid E-mail Address"),
		)
	check_conflicts(doc)


def check_conflicts(doc) -> None:
	"""Refuse an address that another record holds, naming that record only to those who may see it."""
	claimed = list(addresses_of(doc))
	if not claimed:
		return
	holders = frappe.get_all(
		INDEX,
		filters={"name": ("in", claimed)},
		fields=["name", "reference_doctype", "reference_name"],
	)
	for holder in holders:
		if (holder.reference_doctype, holder.reference_name) == (doc.doctype, doc.name):
			continue
		raise_taken(holder.name, holder.reference_doctype, holder.reference_name)


def raise_taken(address: str, doctype: str | None, name: str | None) -> None:
	if name and frappe.has_permission(doctype, "read", doc=name):
		title = frappe.db.get_value(doctype, name, frappe.get_meta(doctype).title_field) or name
		message = _("The address {0} already belongs to {1} {2} ({3}).").format(
			address, _(doctype), name, title
		)
	else:
		message = _(
			"The address {0} already belongs to another record that you cannot see. Ask a manager to check it."
		).format(address)
	frappe.throw(message, frappe.DuplicateEntryError, title=_("Address Already Used"))


def sync(doc) -> None:
	"""on_update(): make the index hold exactly the addresses of `doc`."""
	wanted = addresses_of(doc)
	current = {
		row.name: row
		for row in frappe.get_all(
			INDEX,
			filters={"reference_doctype": doc.doctype, "reference_name": doc.name},
			fields=["name", "address_kind", "contact_name"],
		)
	}
	added = {address: claim for address, claim in wanted.items() if address not in current}
	stale = [address for address in current if address not in wanted]
	if stale:
		frappe.db.delete(INDEX, {"name": ("in", stale)})
	for address, (kind, contact) in wanted.items():
		row = current.get(address)
		if row and (row.address_kind, row.contact_name) == (kind, contact):
			continue
		if row:
			frappe.db.set_value(
				INDEX,
				address,
				{"address_kind": kind, "contact_name": contact, "domain": domain_of(address)},
				update_modified=False,
			)
			continue
		entry = frappe.get_doc(
			{
				"doctype": INDEX,
				"email": address,
				"reference_doctype": doc.doctype,
				"reference_name": doc.name,
				"address_kind": kind,
				"contact_name": contact,
				"domain": domain_of(address),
			}
		)
		entry.name = address
		try:
			entry.db_insert()
		except frappe.DuplicateEntryError:
			# another connection claimed it after our validate(): it holds the address now
			holder = frappe.db.get_value(INDEX, address, ["reference_doctype", "reference_name"]) or (
				None,
				None,
			)
			raise_taken(address, *holder)
	if added:
		events.emit("ecrm_addresses_added", doc.doctype, doc.name, added)  # mail waiting from them is adopted


def remove(doc) -> None:
	"""on_trash(): release the record's addresses."""
	frappe.db.delete(INDEX, {"reference_doctype": doc.doctype, "reference_name": doc.name})


def rename(doctype: str, old: str, new: str) -> None:
	frappe.db.set_value(INDEX, {"reference_doctype": doctype, "reference_name": old}, "reference_name", new)


class AddressRecord:
	"""Controller behaviour shared by customers and suppliers: a code from a series that is never handed
	out twice, tidy addresses, phone and mnemonic, and an address index kept in step."""

	code_prefix = ""

	def autoname(self):
		from frappe.model.naming import make_autoname

		# Frappe's series counter: atomic under concurrent inserts. Named here rather than through the
		# DocType's autoname so that deleting the newest record never hands its code out again.
		self.name = make_autoname(f"{self.code_prefix}.######", doc=self)

	def validate_address_record(self):
		normalise_record(self)
		self.phone_digits = phone_digits(self.phone) or None
		self.mnemonic = (self.mnemonic or "").strip().upper() or None

	def on_update(self):
		sync(self)

	def on_trash(self):
		remove(self)

	def after_rename(self, old, new, merge=False):
		rename(self.doctype, old, new)
