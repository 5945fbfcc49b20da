"""The mail visibility rule is one table of named parts (ent_crm.core.visibility.MAIL_PARTS): the
permission hook ORs the parts into one condition, the workbench reads them one by one, disjoint, and adds
up their counts. Mail reachable through each part, for each kind of user: the workbench's parts and the
hook must show the same mail, and every part must be used by both — a part added to only one fails here."""

import frappe
from frappe.utils import random_string

from ent_crm.core import visibility
from ent_crm.core.roles import MAIL_ADMIN, MANAGER, PERSONAL_MAIL_READER
from ent_crm.mail.inbound import receive_raw
from ent_crm.workbench import target as workbench_target
from tests.integration.test_mail_routing import make_mailbox, raw_mail
from tests.support import EntCRMTestCase
from tests.support.factories import make_customer, make_salesperson, make_user


class TestMailParts(EntCRMTestCase):
	def setUp(self):
		super().setUp()
		self.box = make_mailbox()
		self.x, self.y = make_salesperson(), make_salesperson()
		self.reader = make_user(roles=[PERSONAL_MAIL_READER, "ECRM Salesperson"])
		self.admin = make_user(roles=[MAIL_ADMIN])
		self.manager = make_user(roles=[MANAGER])
		self.customer = make_customer([self.x.name])
		self.supplier = frappe.get_doc(
			{
				"doctype": "ECRM Supplier",
				"supplier_name": "_Test Parts Supplier " + random_string(6),
				"region": "Hamburg",
				"merchandiser": self.x.name,
			}
		).insert(ignore_permissions=True)
		x, y = self.x.user, self.y.user
		# part -> a mail only that part shows to x (the reader's and admin's own parts below)
		self.mails = {
			"assigned": self.mail(assigned_user=x),
			"approver": self.mail(assigned_user=y, approver=x),
			"customers": self.mail(
				assigned_user=y, reference_doctype="ECRM Customer", reference_name=self.customer.name
			),
			"suppliers": self.mail(
				assigned_user=y, reference_doctype="ECRM Supplier", reference_name=self.supplier.name
			),
			"copies": self.mail(assigned_user=y),
			"personal of x": self.mail(assigned_user=x, is_personal=1),
			"personal of y": self.mail(assigned_user=y, is_personal=1),
			"personal approved by the admin": self.mail(assigned_user=y, approver=self.admin, is_personal=1),
			"nobody's": self.mail(assigned_user=y),
			# overlapping parts: assigned and of x's customer and copied to x (counted once)
			"several parts": self.mail(
				assigned_user=x, reference_doctype="ECRM Customer", reference_name=self.customer.name
			),
		}
		for key in ("copies", "several parts"):
			frappe.get_doc(
				{"doctype": "ECRM Mail Copy", "mail": self.mails[key], "user": x, "imap_uid": 0}
			).insert(ignore_permissions=True)

	def mail(self, **values):
		sender = f"someone@{random_string(6).lower()}.example.org"
		name = receive_raw(raw_mail(sender, subject="Parts " + random_string(4)), self.box)
		frappe.db.set_value(
			"ECRM Mail", name, {"reference_doctype": None, "reference_name": None, "is_personal": 0, **values}
		)
		return name

	def ours(self, alias):
		return f"{alias}.name in ({', '.join(frappe.db.escape(m) for m in self.mails.values())})"

	def through_hook(self, user):
		condition = visibility.mail_query_conditions(user) or "1=1"
		return set(
			frappe.db.sql_list(
				f"select name from `tabECRM Mail` where {condition} and {self.ours('`tabECRM Mail`')}"
			)
		)

	def through_workbench(self, user):
		"""mail name -> the workbench parts that show it to `user` (on their own workbench)."""
		with self.set_user(user):
			target = workbench_target.resolve_target()
			parts = workbench_target.mail_parts(target)
		shown = {}
		for name, part in parts:
			for mail in frappe.db.sql_list(
				f"select m.name from `tabECRM Mail` m where ({part}) and {self.ours('m')}"
			):
				shown.setdefault(mail, []).append(name)
		return shown

	def test_the_workbench_and_the_hook_show_the_same_mail_once(self):
		parts_used = set()
		for user in (self.x.user, self.y.user, self.reader, self.admin, self.manager):
			with self.subTest(user=user):
				shown = self.through_workbench(user)
				self.assertEqual(set(shown), self.through_hook(user))
				self.assertEqual({m: len(p) for m, p in shown.items() if len(p) > 1}, {})  # disjoint
				parts_used |= {p for names in shown.values() for p in names}
		self.assertEqual(parts_used, {part.name for part in visibility.MAIL_PARTS})

	def test_each_part_shows_its_mail_to_a_salesperson(self):
		shown = self.through_workbench(self.x.user)
		for part in ("assigned", "approver", "customers", "suppliers", "copies"):
			with self.subTest(part=part):
				self.assertEqual(shown.get(self.mails[part]), [part])
		self.assertEqual(shown.get(self.mails["personal of x"]), ["assigned"])
		for hidden in ("personal of y", "nobody's", "personal approved by the admin"):
			self.assertNotIn(self.mails[hidden], shown)
		self.assertEqual(len(shown[self.mails["several parts"]]), 1)

	def test_the_hook_is_the_union_of_the_parts(self):
		# the hook's condition is generated from the table: each part applying to the user is in it
		for user in (self.x.user, self.reader, self.admin):
			with self.subTest(user=user):
				condition = visibility.mail_query_conditions(user)
				for _name, part in visibility.mail_parts(user):
					self.assertIn(f"({part})", condition)
		self.assertEqual(visibility.mail_query_conditions("Administrator"), "")
