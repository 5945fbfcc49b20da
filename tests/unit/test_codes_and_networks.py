"""Pure rules: employee numbers and office networks (no site needed)."""

import unittest

from ent_crm.core.codes import is_valid_employee_code, next_employee_code
from ent_crm.core.network import address_allowed, parse_networks


class TestEmployeeCodes(unittest.TestCase):
	def test_first_code_is_0001(self):
		self.assertEqual(next_employee_code([]), "0001")

	def test_next_code_follows_the_highest_valid_one(self):
		self.assertEqual(next_employee_code(["0001", "0007", "0003", "abc", "12345", None]), "0008")

	def test_code_must_be_four_digits(self):
		for good in ("0001", "9999", "0420"):
			self.assertTrue(is_valid_employee_code(good), good)
		for bad in ("", None, "123", "12345", "12a4", " 123", "１２３４"):
			self.assertFalse(is_valid_employee_code(bad), bad)

	def test_no_code_after_9999(self):
		with self.assertRaises(ValueError):
			next_employee_code(["9999"])


class TestOfficeNetworks(unittest.TestCase):
	def test_parse_accepts_networks_addresses_commas_and_comments(self):
		networks, invalid = parse_networks(
			"192.168.1.0/24, 203.0.113.7\n# branch office\n2001:db8::/32\nnot-an-ip\n"
		)
		self.assertEqual([str(n) for n in networks], ["192.168.1.0/24", "203.0.113.7/32", "2001:db8::/32"])
		self.assertEqual(invalid, ["not-an-ip"])

	def test_no_networks_means_no_restriction(self):
		self.assertTrue(address_allowed("8.8.8.8", []))

	def test_address_inside_and_outside(self):
		networks, _ = parse_networks("192.168.1.0/24\n203.0.113.7")
		self.assertTrue(address_allowed("192.168.1.200", networks))
		self.assertTrue(address_allowed("203.0.113.7", networks))
		self.assertFalse(address_allowed("192.168.2.1", networks))
		self.assertFalse(address_allowed("203.0.113.8", networks))

	def test_missing_or_garbage_address_is_refused_when_restricted(self):
		networks, _ = parse_networks("10.0.0.0/8")
		for address in (None, "", "localhost", "10.0.0"):
			self.assertFalse(address_allowed(address, networks), address)

	def test_ipv6_client_against_ipv4_network(self):
		networks, _ = parse_networks("10.0.0.0/8")
		self.assertFalse(address_allowed("::1", networks))
