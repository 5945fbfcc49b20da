"""Who sees which customer (G3, A5(4)): lists, forms, link search, report view, and the REST API."""

import frappe
from frappe.desk.reportview import get as reportview_get
from frappe.desk.search import search_link
from frappe.utils import random_string

from ent_crm.core.roles import ALL_CUSTOMERS, MAIL_ADMIN, MANAGER, SALESPERSON
from tests.support import EntCRMTestCase
from tests.support.factories import make_customer, make_employee, make_salesperson, make_user
from tests.support.server import LiveServer


class TestCustomerVisibility(EntCRMTestCase):
	def setUp(self):
		super().setUp()
		self.a = make_salesperson(employee_name="甲")
		self.b = make_salesperson(employee_name="乙")
		tag = random_string(5)
		self.ca = make_customer([self.a.name], customer_name=f"_Vis {tag} Alpha")
		self.cb = make_customer([self.b.name], customer_name=f"_Vis {tag} Bravo")
		self.cab = make_customer([self.a.name, self.b.name], customer_name=f"_Vis {tag} Both")
		self.mine = {self.ca.name, self.cab.name}
		self.all = {self.ca.name, self.cb.name, self.cab.name}
		self.tag = tag

	def visible(self, user):
		with self.set_user(user):
			return set(
				frappe.get_list(
					"ECRM Customer", filters={"customer_name": ("like", f"_Vis {self.tag}%")}, pluck="name"
				)
			)

	def test_list_per_role(self):
		self.assertEqual(self.visible(self.a.user), self.mine)
		self.assertEqual(self.visible(self.b.user), {self.cb.name, self.cab.name})
		for roles in ([MANAGER], [ALL_CUSTOMERS], ["System Manager"]):
			self.assertEqual(self.visible(make_user(roles=roles)), self.all, roles)

	def test_roles_without_customer_rights_see_nothing(self):
		with self.set_user(make_user()), self.assertRaises(frappe.PermissionError):
			frappe.get_list("ECRM Customer")

	def test_mail_admin_reads_every_customer_but_changes_none(self):
		admin = make_user(roles=[MAIL_ADMIN])
		self.assertEqual(self.visible(admin), self.all)
		self.assertFalse(frappe.has_permission("ECRM Customer", "write", doc=self.ca.name, user=admin))
		self.assertFalse(frappe.has_permission("ECRM Customer", "create", user=admin))

	def test_salesperson_cannot_open_or_guess_anothers_customer(self):
		with self.set_user(self.a.user):
			self.assertEqual(frappe.get_list("ECRM Customer", filters={"name": self.cb.name}), [])
			self.assertEqual(
				frappe.get_list("ECRM Customer", filters={"customer_name": self.cb.customer_name}), []
			)
			doc = frappe.get_doc("ECRM Customer", self.cb.name)
			with self.assertRaises(frappe.PermissionError):
				doc.check_permission("read")
			self.assertFalse(frappe.has_permission("ECRM Customer", "write", doc=self.cb.name))
			self.assertTrue(frappe.has_permission("ECRM Customer", "write", doc=self.cab.name))
			with self.assertRaises(frappe.PermissionError):
				frappe.client.get("ECRM Customer", self.cb.name)

	def test_salesperson_cannot_change_anothers_customer(self):
		with self.set_user(self.a.user):
			doc = frappe.get_doc("ECRM Customer", self.cb.name)
			doc.remarks = "taken over"
			with self.assertRaises(frappe.PermissionError):
				doc.save()
			with self.assertRaises(frappe.PermissionError):
				frappe.client.set_value("ECRM Customer", self.cb.name, "remarks", "x")

	def test_link_search_and_report_view_are_filtered(self):
		with self.set_user(self.a.user):
			found = {r["value"] for r in search_link("ECRM Customer", f"_Vis {self.tag}", page_length=50)}
			self.assertEqual(found, self.mine)
			frappe.local.form_dict = frappe._dict(
				doctype="ECRM Customer",
				fields=["name"],
				filters=[["customer_name", "like", f"_Vis {self.tag}%"]],
			)
			result = reportview_get()
			self.assertEqual({row[0] for row in result["values"]}, self.mine)

	def test_a_salesperson_creating_a_customer_owns_it(self):
		with self.set_user(self.a.user):
			doc = make_customer(customer_name=f"_Vis {self.tag} New")
		self.assertEqual([o.employee for o in doc.owners], [self.a.name])
		self.assertIn(doc.name, self.visible(self.a.user))
		self.assertNotIn(doc.name, self.visible(self.b.user))

	def test_owner_names_column(self):
		self.assertEqual(self.cab.owner_names, "甲, 乙")


class TestStrictRegionMode(EntCRMTestCase):
	def setUp(self):
		super().setUp()
		frappe.db.set_single_value("ECRM Settings", "strict_region_mode", 1)
		self.creator = make_salesperson()
		self.keeper = make_salesperson()
		self.outsider = make_salesperson()
		self.set_rules("Germany", [self.creator.name], [self.keeper.name])

	def set_rules(self, region, creators, owners, own=1):
		doc = frappe.get_doc("ECRM Region", region)
		doc.has_own_rules = own
		doc.set("authorised_creators", [{"employee": e} for e in creators])
		doc.set("default_owners", [{"employee": e} for e in owners])
		doc.save()

	def create_as(self, employee, region):
		with self.set_user(employee.user):
			return make_customer(region=region)

	def test_authorised_creator_creates_and_default_owners_are_assigned(self):
		doc = self.create_as(self.creator, "Hamburg")  # Hamburg inherits Germany's rules
		self.assertEqual([o.employee for o in doc.owners], [self.keeper.name])

	def test_others_are_refused_with_a_clear_message(self):
		with self.assertRaisesRegex(frappe.PermissionError, "authorised creator"):
			self.create_as(self.outsider, "Hamburg")
		with self.assertRaises(frappe.PermissionError):
			self.create_as(self.creator, "Guangzhou")  # no rules anywhere above it

	def test_own_rules_override_the_parent(self):
		self.set_rules("Munich", [self.outsider.name], [self.outsider.name])
		self.assertEqual(self.create_as(self.outsider, "Munich").owners[0].employee, self.outsider.name)
		with self.assertRaises(frappe.PermissionError):
			self.create_as(self.creator, "Munich")
		self.set_rules("Munich", [], [], own=0)  # back to inheriting
		self.create_as(self.creator, "Munich")

	def test_manager_may_create_anywhere(self):
		with self.set_user(make_user(profile=MANAGER)):
			make_customer(region="Guangzhou")

	def test_push_down_copies_rules_to_every_subregion(self):
		from ent_crm.customers.api import push_down_rules
		from ent_crm.customers.ownership import effective_rules

		changed = push_down_rules("Germany")
		subregions = frappe.get_all("ECRM Region", filters={"parent_ecrm_region": "Germany"}, pluck="name")
		self.assertEqual(changed, len(subregions))
		for name in subregions:
			rules = effective_rules(name)
			self.assertEqual(
				(rules.source, rules.creators, rules.default_owners),
				(name, [self.creator.name], [self.keeper.name]),
			)

	def test_push_down_is_for_managers(self):
		from ent_crm.customers.api import push_down_rules

		with self.set_user(self.creator.user), self.assertRaises(frappe.PermissionError):
			push_down_rules("Germany")

	def test_non_strict_mode_lets_anyone_create_anywhere(self):
		frappe.db.set_single_value("ECRM Settings", "strict_region_mode", 0)
		self.assertEqual(self.create_as(self.outsider, "Hamburg").owners[0].employee, self.outsider.name)


class TestCustomerRestApi(EntCRMTestCase):
	"""The same rules through HTTP: a real server thread, committed data, cleaned up afterwards."""

	PASSWORD = "Rest@test-2026"

	def setUp(self):
		super().setUp()
		tag = random_string(6).lower()
		self.created = []
		self.a = make_employee(user=self.rest_user(f"resta{tag}"), is_salesperson=1)
		self.b = make_employee(user=self.rest_user(f"restb{tag}"), is_salesperson=1)
		self.manager = self.rest_user(f"restm{tag}", MANAGER)
		self.ca = make_customer([self.a.name], customer_name=f"_Rest {tag} A")
		self.cb = make_customer([self.b.name], customer_name=f"_Rest {tag} B")
		self.tag = tag
		frappe.db.commit()  # nosemgrep: the server thread only sees committed rows

	def rest_user(self, username, profile=SALESPERSON):
		user = make_user(username, profile=profile, new_password=self.PASSWORD)
		self.created.append(("User", user))
		return user

	def tearDown(self):
		frappe.db.rollback()
		for doctype, name in [
			("ECRM Customer", self.ca.name),
			("ECRM Customer", self.cb.name),
			("ECRM Employee", self.a.name),
			("ECRM Employee", self.b.name),
			*self.created,
		]:
			frappe.delete_doc(doctype, name, force=True, ignore_permissions=True)
		frappe.db.commit()  # nosemgrep: remove what setUp committed
		super().tearDown()

	def test_rest_api_follows_ownership(self):
		with LiveServer() as server:
			http = server.session(self.a.user, self.PASSWORD)
			resource = f"{server.url}/api/resource/ECRM Customer"
			listed = http.get(
				resource, params={"filters": f'[["customer_name","like","_Rest {self.tag}%"]]'}, timeout=30
			)
			self.assertEqual(listed.status_code, 200, listed.text)
			self.assertEqual({r["name"] for r in listed.json()["data"]}, {self.ca.name})
			self.assertEqual(http.get(f"{resource}/{self.ca.name}", timeout=30).status_code, 200)
			self.assertEqual(http.get(f"{resource}/{self.cb.name}", timeout=30).status_code, 403)
			self.assertEqual(
				http.put(f"{resource}/{self.cb.name}", json={"remarks": "x"}, timeout=30).status_code, 403
			)
			self.assertEqual(http.delete(f"{resource}/{self.cb.name}", timeout=30).status_code, 403)
			search = http.get(
				f"{server.url}/api/method/frappe.desk.search.search_link",
				params={"doctype": "ECRM Customer", "txt": f"_Rest {self.tag}"},
				timeout=30,
			)
			self.assertEqual({r["value"] for r in search.json()["message"]}, {self.ca.name})

			boss = server.session(self.manager, self.PASSWORD)
			listed = boss.get(
				resource, params={"filters": f'[["customer_name","like","_Rest {self.tag}%"]]'}, timeout=30
			)
			self.assertEqual({r["name"] for r in listed.json()["data"]}, {self.ca.name, self.cb.name})
		self.assertEqual(frappe.db.get_value("ECRM Customer", self.cb.name, "remarks"), None)
