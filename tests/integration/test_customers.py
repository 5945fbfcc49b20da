"""Customers and suppliers (G1, G2): records, the address index, and the bad input around them."""

import threading

import frappe
from frappe.utils import random_string

from ent_crm.customers.address_index import MAX_BACKUP_ADDRESSES, lookup
from tests.support import EntCRMTestCase
from tests.support.factories import make_customer, make_salesperson


def addr(local="buyer"):
	return f"{local}@{random_string(8).lower()}.example.com"


class TestCustomerRecord(EntCRMTestCase):
	def test_codes_are_sequential_and_never_reused(self):
		first = make_customer()
		second = make_customer()
		self.assertRegex(first.name, r"^C\d{6}$")
		self.assertEqual(int(second.name[1:]), int(first.name[1:]) + 1)
		frappe.delete_doc("ECRM Customer", second.name)
		self.assertEqual(int(make_customer().name[1:]), int(second.name[1:]) + 1)

	def test_required_fields(self):
		with self.assertRaises(frappe.MandatoryError):
			frappe.get_doc({"doctype": "ECRM Customer", "customer_name": "_Test No Region"}).insert()
		meta = frappe.get_meta("ECRM Customer")
		self.assertTrue(meta.get_field("region").reqd and meta.get_field("customer_name").reqd)

	def test_addresses_are_normalised_and_backups_stored_one_per_row(self):
		domain = random_string(6).lower() + ".example.com"
		customer = make_customer(
			primary_email=f"  Buyer@{domain.upper()} ",
			backup_emails_text=f"a@{domain}; B@{domain};a@{domain}, buyer@{domain}\n c@{domain}",
		)
		self.assertEqual(customer.primary_email, f"buyer@{domain}")
		self.assertEqual(
			[r.email for r in customer.backup_emails], [f"a@{domain}", f"b@{domain}", f"c@{domain}"]
		)
		self.assertEqual(customer.backup_emails_text, f"a@{domain}; b@{domain}; c@{domain}")

	def test_lookup_finds_every_kind_of_address_case_insensitively(self):
		primary, backup, contact = addr("buyer"), addr("sales"), addr("hans")
		customer = make_customer(
			primary_email=primary,
			backup_emails_text=backup,
			contacts=[{"contact_name": "Hans Müller", "email": contact.upper()}],
		)
		self.assertEqual(lookup(primary.upper()).reference_name, customer.name)
		self.assertEqual(lookup(f" {backup} ").address_kind, "Backup Address")
		found = lookup(contact)
		self.assertEqual(
			(found.reference_name, found.address_kind, found.contact_name),
			(customer.name, "Contact Address", "Hans Müller"),
		)
		self.assertIsNone(lookup("nobody@nowhere.example.com"))
		self.assertIsNone(lookup(""))

	def test_lookup_is_one_primary_key_read(self):
		address = addr()
		make_customer(primary_email=address)
		with self.assertQueryCount(1):
			lookup(address)

	def test_an_address_belongs_to_one_record_only(self):
		address = addr()
		holder = make_customer(primary_email=address)
		for fields in (
			{"primary_email": address.upper()},
			{"backup_emails_text": f"x@example.org; {address}"},
			{"contacts": [{"contact_name": "Eve", "email": address}]},
		):
			with self.assertRaisesRegex(frappe.DuplicateEntryError, holder.name):
				make_customer(**fields)
		with self.assertRaises(frappe.DuplicateEntryError):
			frappe.get_doc(
				{
					"doctype": "ECRM Supplier",
					"supplier_name": "_Test Supplier",
					"region": "Ningbo",
					"primary_email": address,
				}
			).insert()

	def test_the_same_address_twice_in_one_record_is_fine(self):
		address = addr()
		customer = make_customer(
			primary_email=address,
			backup_emails_text=address,
			contacts=[{"contact_name": "Ann", "email": address}],
		)
		self.assertEqual(customer.backup_emails, [])
		self.assertEqual(lookup(address).address_kind, "Primary Address")

	def test_editing_and_deleting_release_addresses(self):
		old, new = addr("old"), addr("new")
		customer = make_customer(primary_email=old)
		customer.primary_email = new
		customer.save()
		self.assertIsNone(lookup(old))
		self.assertEqual(lookup(new).reference_name, customer.name)
		make_customer(primary_email=old)  # free again
		frappe.delete_doc("ECRM Customer", customer.name)
		self.assertIsNone(lookup(new))

	def test_malformed_addresses_are_refused_with_the_culprits_named(self):
		for bad in (
			"no-at-sign",
			"a@b",
			"two@@example.com",
			"sp ace@example.com",
			"a@-bad-.com",
			"x..y@example.com",
		):
			with self.assertRaisesRegex(frappe.ValidationError, "not valid"):
				make_customer(primary_email=bad)
		with self.assertRaisesRegex(frappe.ValidationError, "nope"):
			make_customer(backup_emails_text="ok@example.net; nope")

	def test_too_many_backup_addresses(self):
		domain = random_string(6).lower() + ".example.com"
		line = "; ".join(f"u{i}@{domain}" for i in range(500))
		with self.assertRaisesRegex(frappe.ValidationError, str(MAX_BACKUP_ADDRESSES)):
			make_customer(backup_emails_text=line)
		line = "; ".join(f"u{i}@{domain}" for i in range(MAX_BACKUP_ADDRESSES))
		self.assertEqual(len(make_customer(backup_emails_text=line).backup_emails), MAX_BACKUP_ADDRESSES)

	def test_a_salesperson_learns_only_that_an_address_is_taken(self):
		address = addr()
		hidden = make_customer(primary_email=address, customer_name="_Test Secret Buyer")
		sales = make_salesperson()
		with self.set_user(sales.user):
			with self.assertRaises(frappe.DuplicateEntryError) as caught:
				make_customer(primary_email=address)
		message = str(caught.exception)
		self.assertIn("cannot see", message)
		self.assertNotIn(hidden.name, message)
		self.assertNotIn("Secret", message)

	def test_phone_digits_and_mnemonic(self):
		customer = make_customer(phone="+49 (40) 555-0101", mnemonic=" acme ")
		self.assertEqual(customer.phone_digits, "49405550101")
		self.assertEqual(customer.mnemonic, "ACME")

	def test_chinese_text_is_kept(self):
		customer = make_customer(
			customer_name="广州市白云五金有限公司", region="Guangzhou", remarks="老客户，每年两次订单"
		)
		self.assertEqual(
			frappe.db.get_value("ECRM Customer", customer.name, "customer_name"), "广州市白云五金有限公司"
		)


class TestAddressRaceBetweenConnections(EntCRMTestCase):
	"""Two connections claim the same new address at once: exactly one record gets it."""

	def test_concurrent_claims(self):
		address = addr("race")
		site, sites_path = frappe.local.site, frappe.local.sites_path
		started, release, outcome = threading.Event(), threading.Event(), {}

		def other_connection():
			frappe.init(site=site, sites_path=sites_path)
			frappe.connect()
			try:
				frappe.set_user("Administrator")
				doc = make_customer(primary_email=address, customer_name="_Test Race Winner")
				outcome["winner"] = doc.name
				started.set()
				release.wait(30)  # keep the transaction open while the main connection tries
				frappe.db.commit()  # nosemgrep: the point of the test is a committed rival
			except Exception as e:
				outcome["error"] = e
				started.set()
			finally:
				frappe.destroy()

		thread = threading.Thread(target=other_connection)
		thread.start()
		try:
			self.assertTrue(started.wait(30))
			self.assertNotIn("error", outcome)
			threading.Timer(1.0, release.set).start()  # commit while we are blocked on the row lock
			with self.assertRaises(frappe.DuplicateEntryError):
				make_customer(primary_email=address)
		finally:
			release.set()
			thread.join(30)
			frappe.db.rollback()
			winner = outcome.get("winner")
			if winner:
				frappe.delete_doc("ECRM Customer", winner, force=True)
				frappe.db.commit()  # nosemgrep: remove the rival's committed record
		self.assertEqual(lookup(address), None)


class TestSupplier(EntCRMTestCase):
	def test_merchandiser_owns_and_routes(self):
		merch = make_salesperson(is_merchandiser=1)
		address = addr("factory")
		with self.set_user(merch.user):
			supplier = frappe.get_doc(
				{
					"doctype": "ECRM Supplier",
					"supplier_name": "_Test Factory",
					"region": "Ningbo",
					"primary_email": address,
				}
			).insert()
		self.assertEqual(supplier.merchandiser, merch.name)
		self.assertEqual(supplier.merchandiser_user, merch.user)
		self.assertEqual(lookup(address).reference_doctype, "ECRM Supplier")
		other = make_salesperson()
		with self.set_user(other.user):
			self.assertNotIn(supplier.name, frappe.get_list("ECRM Supplier", pluck="name"))
