"""Changing owners in bulk and moving customers between salespeople (G3), the region rules source (G4)."""

import json

import frappe
from frappe.utils import today

from ent_crm.core.roles import MANAGER
from ent_crm.customers import ownership_actions
from ent_crm.customers.api import get_rules_source, move_customers, set_owners
from tests.support import EntCRMTestCase
from tests.support.factories import make_customer, make_employee, make_salesperson, make_user

LONG_AGO = "2024-01-15"  # owners assigned long ago: their date must survive changes


def owners_of(name: str) -> dict[str, str]:
	"""employee -> date assigned, as stored. (Not frappe.get_all: Frappe v15 drops any field whose name
	contains "_assign", such as assigned_on, from get_all/get_list on tables without an _assign column.)"""
	owner = frappe.qb.DocType("ECRM Customer Owner")
	rows = (
		frappe.qb.from_(owner)
		.select(owner.employee, owner.assigned_on)
		.where((owner.parenttype == "ECRM Customer") & (owner.parent == name))
		.run()
	)
	return {employee: str(date) for employee, date in rows}


def versions_of(name: str) -> int:
	return frappe.db.count("Version", {"ref_doctype": "ECRM Customer", "docname": name})


class OwnershipCase(EntCRMTestCase):
	def setUp(self):
		super().setUp()
		self.a = make_salesperson(employee_name="_Test Owner A")
		self.b = make_salesperson(employee_name="_Test Owner B")
		self.c = make_salesperson(employee_name="_Test Owner C")
		self.manager = make_user(profile=MANAGER)

	def customer(self, *owners):
		doc = make_customer(owners=[o.name for o in owners])
		# owners assigned long ago, to see that the date of an owner who stays is kept
		frappe.db.set_value(
			"ECRM Customer Owner",
			{"parenttype": "ECRM Customer", "parent": doc.name},
			"assigned_on",
			LONG_AGO,
		)
		return doc.name


class TestSetOwners(OwnershipCase):
	def test_add_keeps_current_owners_and_their_dates(self):
		first, second = self.customer(self.a), self.customer(self.a, self.b)
		with self.set_user(self.manager):
			result = set_owners([first, second], [self.b.name], "add")
		self.assertEqual(result, {"changed": 1, "unchanged": 1})
		self.assertEqual(owners_of(first), {self.a.name: LONG_AGO, self.b.name: today()})
		self.assertEqual(owners_of(second), {self.a.name: LONG_AGO, self.b.name: LONG_AGO})

	def test_replace_keeps_the_date_of_owners_who_stay(self):
		name = self.customer(self.a, self.b)
		with self.set_user(self.manager):
			result = set_owners(name, json.dumps([self.b.name, self.c.name]), "replace")
		self.assertEqual(result["changed"], 1)
		self.assertEqual(owners_of(name), {self.b.name: LONG_AGO, self.c.name: today()})
		doc = frappe.get_doc("ECRM Customer", name)
		self.assertEqual(doc.owner_names, "_Test Owner B, _Test Owner C")
		self.assertEqual([row.user for row in doc.owners], [self.b.user, self.c.user])

	def test_remove(self):
		name, untouched = self.customer(self.a, self.b), self.customer(self.c)
		with self.set_user(self.manager):
			result = set_owners(json.dumps([name, untouched]), [self.a.name], "remove")
		self.assertEqual(result, {"changed": 1, "unchanged": 1})
		self.assertEqual(owners_of(name), {self.b.name: LONG_AGO})
		self.assertEqual(frappe.db.get_value("ECRM Customer", name, "owner_names"), "_Test Owner B")

	def test_changes_go_through_save_and_are_versioned(self):
		name = self.customer(self.a)
		before = versions_of(name)
		# Frappe skips Version records while frappe.flags.in_test is set; a user's request does not
		frappe.flags.in_test = False
		try:
			with self.set_user(self.manager):
				set_owners([name], [self.b.name], "replace")
		finally:
			frappe.flags.in_test = True
		self.assertEqual(versions_of(name), before + 1)
		# the new owner now sees the customer (row-level permission), the old one no longer
		self.assertTrue(frappe.has_permission("ECRM Customer", "read", doc=name, user=self.b.user))
		self.assertFalse(frappe.has_permission("ECRM Customer", "read", doc=name, user=self.a.user))

	def test_salesperson_is_refused_even_for_own_customers(self):
		name = self.customer(self.a)
		with self.set_user(self.a.user), self.assertRaises(frappe.PermissionError):
			set_owners([name], [self.b.name], "add")
		self.assertEqual(owners_of(name), {self.a.name: LONG_AGO})

	def test_rights_are_checked_before_the_input(self):
		with self.set_user(self.a.user), self.assertRaises(frappe.PermissionError):
			set_owners("not json [", [], "nonsense")

	def test_bad_input_gets_clear_messages(self):
		name = self.customer(self.a)
		left = make_salesperson(employee_name="_Test Former")
		left.status = "Left Company"
		left.save()
		clerk = make_employee(employee_name="_Test Clerk", is_document_clerk=1)
		cases = [
			(([name], [self.b.name], "swap"), frappe.ValidationError, "Unknown mode"),
			(([name], [], "add"), frappe.ValidationError, "at least one salesperson"),
			(([], [self.b.name], "add"), frappe.ValidationError, "at least one customer"),
			(("[not json", [self.b.name], "add"), frappe.ValidationError, "could not be read"),
			(([name], [{"employee": self.b.name}], "add"), frappe.ValidationError, "could not be read"),
			((["C999999999"], [self.b.name], "add"), frappe.DoesNotExistError, "C999999999"),
			(([name], ["9999-nobody"], "add"), frappe.DoesNotExistError, "9999-nobody"),
			(([name], [left.name], "add"), frappe.ValidationError, "has left the company"),
			(([name], [clerk.name], "replace"), frappe.ValidationError, "not a salesperson"),
		]
		with self.set_user(self.manager):
			for args, error, message in cases:
				with self.subTest(args=args), self.assertRaisesRegex(error, message):
					set_owners(*args)
		self.assertEqual(owners_of(name), {self.a.name: LONG_AGO})

	def test_too_many_customers_at_once(self):
		names = [f"C{i:06d}" for i in range(ownership_actions.MAX_CUSTOMERS + 1)]
		with self.set_user(self.manager), self.assertRaisesRegex(frappe.ValidationError, "at most"):
			set_owners(names, [self.b.name], "add")

	def test_endpoints_are_post_only(self):
		for fn in (set_owners, move_customers):
			self.assertEqual(frappe.allowed_http_methods_for_whitelisted_func[fn], ["POST"])


class TestMoveCustomers(OwnershipCase):
	def test_moves_only_the_first_salespersons_customers(self):
		only_a = self.customer(self.a)
		a_and_b = self.customer(self.a, self.b)
		a_and_c = self.customer(self.a, self.c)
		not_a = self.customer(self.c)
		modified = frappe.db.get_value("ECRM Customer", not_a, "modified")
		with self.set_user(self.manager):
			result = move_customers([only_a, a_and_b, a_and_c, not_a], self.a.name, self.b.name)
		self.assertEqual(result, {"moved": 3, "skipped": 1})
		self.assertEqual(owners_of(only_a), {self.b.name: today()})
		self.assertEqual(owners_of(a_and_b), {self.b.name: LONG_AGO})  # B already owned it: A is dropped
		self.assertEqual(owners_of(a_and_c), {self.b.name: today(), self.c.name: LONG_AGO})
		self.assertEqual(owners_of(not_a), {self.c.name: LONG_AGO})
		self.assertEqual(frappe.db.get_value("ECRM Customer", not_a, "modified"), modified)
		doc = frappe.get_doc("ECRM Customer", only_a)
		self.assertEqual((doc.owner_names, doc.owners[0].user), ("_Test Owner B", self.b.user))

	def test_unselected_customers_of_the_salesperson_stay(self):
		moved, stays = self.customer(self.a), self.customer(self.a)
		with self.set_user(self.manager):
			move_customers(json.dumps([moved]), self.a.name, self.c.name)
		self.assertEqual(owners_of(stays), {self.a.name: LONG_AGO})
		self.assertEqual(owners_of(moved), {self.c.name: today()})

	def test_customers_of_a_salesperson_who_left_can_be_handed_over(self):
		name = self.customer(self.a)
		self.a.reload()
		self.a.status = "Left Company"
		self.a.save()
		with self.set_user(self.manager):
			self.assertEqual(move_customers([name], self.a.name, self.b.name)["moved"], 1)
		self.assertEqual(owners_of(name), {self.b.name: today()})

	def test_salesperson_is_refused(self):
		name = self.customer(self.a)
		with self.set_user(self.a.user), self.assertRaises(frappe.PermissionError):
			move_customers([name], self.a.name, self.b.name)
		self.assertEqual(owners_of(name), {self.a.name: LONG_AGO})

	def test_bad_input_gets_clear_messages(self):
		name = self.customer(self.a)
		self.b.reload()
		self.b.status = "Left Company"
		self.b.save()
		cases = [
			(([name], self.a.name, self.a.name), frappe.ValidationError, "two different"),
			(([name], "", self.c.name), frappe.ValidationError, "Choose the salesperson"),
			(([name], self.a.name, self.b.name), frappe.ValidationError, "has left the company"),
			(([name], "9999-nobody", self.c.name), frappe.DoesNotExistError, "9999-nobody"),
			(([], self.a.name, self.c.name), frappe.ValidationError, "at least one customer"),
		]
		with self.set_user(self.manager):
			for args, error, message in cases:
				with self.subTest(args=args), self.assertRaisesRegex(error, message):
					move_customers(*args)
		self.assertEqual(owners_of(name), {self.a.name: LONG_AGO})


class TestRulesSource(OwnershipCase):
	def test_source_is_the_nearest_region_with_own_rules(self):
		region = frappe.get_doc("ECRM Region", "Hamburg")
		parent = region.parent_ecrm_region
		frappe.db.set_value("ECRM Region", parent, "has_own_rules", 1)
		frappe.db.set_value("ECRM Region", "Hamburg", "has_own_rules", 0)
		with self.set_user(self.a.user):  # salespeople read regions
			self.assertEqual(get_rules_source("Hamburg"), parent)
			self.assertEqual(get_rules_source(parent), parent)

	def test_no_source(self):
		frappe.db.set_value("ECRM Region", {"name": ("is", "set")}, "has_own_rules", 0)
		with self.set_user(self.manager):
			self.assertIsNone(get_rules_source("Hamburg"))

	def test_needs_read_permission_and_an_existing_region(self):
		with self.set_user(make_user()), self.assertRaises(frappe.PermissionError):
			get_rules_source("Hamburg")
		with self.set_user(self.manager), self.assertRaises(frappe.DoesNotExistError):
			get_rules_source("_Test Atlantis")
