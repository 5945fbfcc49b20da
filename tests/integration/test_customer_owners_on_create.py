"""A salesperson creates customers they own themselves (G3): naming a colleague as owner at creation would
hand the record away unseen, past the rule that only managers change owners. Managers and mail admins, who
file new customers from the mail they distribute (D4), choose the owners."""

import frappe

from ent_crm.core.roles import MAIL_ADMIN, SALESPERSON
from tests.support import EntCRMTestCase
from tests.support.factories import make_customer, make_salesperson, make_user


class TestOwnersOnCreate(EntCRMTestCase):
	def setUp(self):
		super().setUp()
		self.me = make_salesperson()
		self.colleague = make_salesperson()

	def owners(self, customer) -> set[str]:
		return {row.employee for row in frappe.get_doc("ECRM Customer", customer).owners}

	def test_a_salesperson_cannot_create_a_customer_for_a_colleague(self):
		with self.set_user(self.me.user):
			with self.assertRaisesRegex(frappe.PermissionError, "own yourself"):
				make_customer(owners=[self.colleague.name])
			with self.assertRaisesRegex(frappe.PermissionError, "own yourself"):
				make_customer(owners=[self.me.name, self.colleague.name])
			mine = make_customer().name  # no owner named: the creator owns it
			also_mine = make_customer(owners=[self.me.name]).name
		self.assertEqual(self.owners(mine), {self.me.name})
		self.assertEqual(self.owners(also_mine), {self.me.name})

	def test_managers_and_mail_admins_choose_the_owners(self):
		admin = make_user(roles=[MAIL_ADMIN, SALESPERSON])  # a mail admin who may create customers
		with self.set_user(admin):
			filed = make_customer(owners=[self.colleague.name]).name
		self.assertEqual(self.owners(filed), {self.colleague.name})
		assigned = make_customer(owners=[self.colleague.name, self.me.name]).name  # as Administrator
		self.assertEqual(self.owners(assigned), {self.colleague.name, self.me.name})
