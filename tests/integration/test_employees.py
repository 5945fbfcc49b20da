"""Employees (B2): four-digit numbers, one per account, in service or left."""

import frappe

from tests.support import EntCRMTestCase
from tests.support.factories import make_employee, make_user


class TestEmployees(EntCRMTestCase):
	def test_numbers_are_given_in_sequence(self):
		first = make_employee(employee_name="甲")
		second = make_employee(employee_name="乙")
		self.assertRegex(first.name, r"^\d{4}$")
		self.assertEqual(int(second.name), int(first.name) + 1)
		self.assertEqual(first.name, first.employee_code)

	def test_a_chosen_number_is_kept(self):
		self.assertEqual(make_employee(employee_code="0420").name, "0420")

	def test_bad_numbers_are_refused_with_a_message(self):
		for code in ("123", "12a4", "12345"):
			with self.assertRaisesRegex(frappe.ValidationError, "four digits"):
				make_employee(employee_code=code)

	def test_a_number_cannot_be_used_twice(self):
		make_employee(employee_code="0777")
		with self.assertRaisesRegex(frappe.DuplicateEntryError, "0777"):
			make_employee(employee_code="0777")

	def test_one_employee_per_account(self):
		user = make_user()
		make_employee(user=user)
		with self.assertRaises(frappe.DuplicateEntryError):
			make_employee(user=user)

	def test_administrator_cannot_be_an_employee(self):
		with self.assertRaisesRegex(frappe.ValidationError, "Administrator"):
			make_employee(user="Administrator")

	def test_leaving_disables_the_account_and_returning_enables_it(self):
		employee = make_employee(is_salesperson=1)
		employee.status = "Left Company"
		employee.save()
		self.assertEqual(frappe.db.get_value("User", employee.user, "enabled"), 0)
		self.assertIsNotNone(employee.date_left)
		employee.status = "In Service"
		employee.save()
		self.assertEqual(frappe.db.get_value("User", employee.user, "enabled"), 1)
		self.assertIsNone(employee.date_left)

	def test_link_fields_show_the_display_name(self):
		meta = frappe.get_meta("ECRM Employee")
		self.assertEqual(meta.title_field, "employee_name")
		self.assertTrue(meta.show_title_field_in_link)
