"""Possible duplicates of a new customer or supplier (G1): by company domain, similar name, phone."""

import json
import random

import frappe
from frappe.utils import random_string

from ent_crm.customers.api import find_possible_duplicates
from ent_crm.customers.duplicates import normalise_name
from tests.support import EntCRMTestCase
from tests.support.factories import make_customer, make_salesperson, make_user


def domain() -> str:
	return random_string(8).lower() + ".example.com"


def random_digits(n: int = 8) -> str:
	return "".join(random.choice("0123456789") for _ in range(n))


def unique_word() -> str:
	"""A made-up company word that no other record starts with."""
	return "Zq" + random_string(6).lower()


def found(result: dict) -> dict[str, str]:
	return {m["name"]: m["reason"] for m in result["matches"]}


class TestNormalisedNames(EntCRMTestCase):
	def test_company_forms_and_punctuation_are_dropped(self):
		for name, expected in [
			("ACME Trading Co., Ltd.", "acme trading"),
			("The Acme Trading Company", "acme trading"),
			("Acme S.R.L.", "acme"),
			("Acme s.a.", "acme"),
			("Acme-Tools, Inc.", "acme tools"),
			("Müller GmbH", "müller"),
			("广州白云五金有限公司", "广州白云五金"),
			("上海（集团）有限公司", "上海"),
			("深圳华为技术股份有限公司", "深圳华为技术"),
		]:
			self.assertEqual(normalise_name(name), expected, name)


class TestFindDuplicates(EntCRMTestCase):
	def test_same_company_domain(self):
		dom = domain()
		customer = make_customer(primary_email=f"buyer@{dom}")
		backup_holder = make_customer(backup_emails_text=f"sales@{dom}")
		result = find_possible_duplicates(primary_email=f"CEO@{dom.upper()}")
		self.assertEqual(
			found(result), {customer.name: "same e-mail domain", backup_holder.name: "same e-mail domain"}
		)
		self.assertEqual(
			found(find_possible_duplicates(primary_email=f"buyer@{dom}"))[customer.name],
			"same e-mail address",
		)
		self.assertEqual(result["hidden"], 0)
		match = next(m for m in result["matches"] if m["name"] == customer.name)
		self.assertEqual((match["doctype"], match["title"]), ("ECRM Customer", customer.customer_name))

	def test_public_mail_domains_are_not_a_match(self):
		free = frappe.db.get_single_value("ECRM Settings", "free_mail_domains") or ""
		self.assertIn("gmail.com", free)
		self.assertIn("qq.com", free)
		gmail = make_customer(primary_email=f"{random_string(10).lower()}@gmail.com")
		qq = make_customer(primary_email=f"{random_digits(9)}@qq.com")
		for address in (f"{random_string(10).lower()}@gmail.com", f"{random_digits(9)}@qq.com"):
			names = found(find_possible_duplicates(primary_email=address))
			self.assertNotIn(gmail.name, names)
			self.assertNotIn(qq.name, names)
		# ... but the very address still is
		self.assertIn(gmail.name, found(find_possible_duplicates(primary_email=gmail.primary_email)))

	def test_similar_names(self):
		word = unique_word()
		customer = make_customer(customer_name=f"{word.upper()} Trading Co., Ltd.")
		self.assertEqual(
			found(find_possible_duplicates(customer_name=f"{word} trading limited")),
			{customer.name: "same name"},
		)
		for typed in (
			f"The {word} Trading",
			f"{word} Tradng Co",
			f"{word}-Trading GmbH",
			f"{word} Trading International",
		):
			self.assertIn(customer.name, found(find_possible_duplicates(customer_name=typed)), typed)
		for typed in (f"{word}x Chemicals", unique_word() + " Trading", "", "Co.", word[:1]):
			self.assertNotIn(customer.name, found(find_possible_duplicates(customer_name=typed)), typed)

	def test_similar_chinese_names(self):
		customer = make_customer(customer_name="广州市苍穹测试五金有限公司", region="Guangzhou")
		self.assertIn(customer.name, found(find_possible_duplicates(customer_name="广州苍穹测试五金公司")))
		self.assertIn(customer.name, found(find_possible_duplicates(customer_name="广州市苍穹测试五金")))
		self.assertNotIn(
			customer.name, found(find_possible_duplicates(customer_name="广州市白云区另一家贸易公司"))
		)

	def test_same_phone(self):
		number = random_digits(8)
		customer = make_customer(phone=f"+49 (40) {number}")
		self.assertEqual(
			found(find_possible_duplicates(phone=f"0049-40-{number}")), {customer.name: "same phone number"}
		)
		self.assertEqual(found(find_possible_duplicates(phone="12")), {})  # too short to compare

	def test_reasons_are_combined_and_the_record_itself_left_out(self):
		dom, word, number = domain(), unique_word(), random_digits(9)
		customer = make_customer(customer_name=f"{word} Ltd", primary_email=f"a@{dom}", phone=number)
		result = find_possible_duplicates(customer_name=word, primary_email=f"b@{dom}", phone=number)
		self.assertEqual(found(result), {customer.name: "same phone number, same e-mail domain, same name"})
		self.assertEqual(
			found(find_possible_duplicates(customer_name=word, phone=number, exclude=customer.name)), {}
		)

	def test_suppliers_are_found_too(self):
		dom = domain()
		supplier = frappe.get_doc(
			{
				"doctype": "ECRM Supplier",
				"supplier_name": unique_word() + " Factory",
				"region": "Ningbo",
				"primary_email": f"x@{dom}",
			}
		).insert()
		match = find_possible_duplicates(primary_email=f"y@{dom}")["matches"]
		self.assertEqual([(m["doctype"], m["name"]) for m in match], [("ECRM Supplier", supplier.name)])

	def test_nothing_typed_finds_nothing(self):
		self.assertEqual(find_possible_duplicates(), {"matches": [], "hidden": 0, "truncated": False})


class TestDuplicatesRespectPermissions(EntCRMTestCase):
	def test_salesperson_never_sees_a_record_they_cannot_read(self):
		mine_sp, other_sp = make_salesperson(), make_salesperson()
		dom, word = domain(), unique_word()
		secret = make_customer(
			owners=[other_sp.name], customer_name=f"{word} Secret Buyer", primary_email=f"boss@{dom}"
		)
		mine = make_customer(
			owners=[mine_sp.name], customer_name=f"{word} Own Buyer", primary_email=f"own@{dom}"
		)
		with self.set_user(mine_sp.user):
			result = find_possible_duplicates(
				customer_name=f"{word} Secret Buyer", primary_email=f"new@{dom}"
			)
		self.assertEqual([m["name"] for m in result["matches"]], [mine.name])
		self.assertEqual(result["hidden"], 1)
		text = json.dumps(result)
		self.assertNotIn(secret.name, text)
		self.assertNotIn("Secret", text)

	def test_manager_sees_every_match(self):
		dom = domain()
		first, second = make_customer(primary_email=f"a@{dom}"), make_customer(primary_email=f"b@{dom}")
		manager = make_user(profile="ECRM Manager")
		with self.set_user(manager):
			result = find_possible_duplicates(primary_email=f"c@{dom}")
		self.assertEqual(set(found(result)), {first.name, second.name})
		self.assertEqual(result["hidden"], 0)

	def test_users_without_crm_roles_are_refused(self):
		with self.set_user(make_user()), self.assertRaises(frappe.PermissionError):
			find_possible_duplicates(customer_name="Anything")
