"""Nobody changes or sees what is not theirs by a generic route (issue 19, items 6–10).

6. Mail and contact-log fields the server decides are not writable through frappe.client, REST or the
   desk form's save; no mail is made that points at another mail's text; nothing moves onto another
   salesperson's customer.
7. Another salesperson's personal-mailbox mail stays out of a shared customer's timeline, last contact,
   recent customers, due list and workbench.
8. A to-do of one's own on any customer does not reveal that customer in the due list; reminders are set
   only for customers the caller may read.
9. An owner of a shared customer cannot remove the other owner with a plain save.
10. "Copy to colleagues" shares mail only with users who work in the CRM.
"""

import json

import frappe
import frappe.client
from frappe.desk.form.save import savedocs
from frappe.utils import add_days, nowdate, random_string

from ent_crm.core.roles import MANAGER, PERSONAL_MAIL_READER
from ent_crm.followup import api as followup_api
from ent_crm.followup import reminders
from ent_crm.mail import api
from ent_crm.mail.inbound import receive_raw
from ent_crm.workbench import api as workbench
from tests.integration.test_mail_routing import make_mailbox, raw_mail
from tests.support import EntCRMTestCase
from tests.support.factories import make_customer, make_salesperson, make_user


def call_route(cmd: str, **kwargs):
	"""A whitelisted method called as over HTTP: through Frappe's handler, so hooks.py overrides apply."""
	from frappe.handler import execute_cmd

	frappe.local.form_dict = frappe._dict(kwargs, cmd=cmd)
	frappe.local.response = frappe._dict(docs=[])
	had_request = hasattr(frappe.local, "request")
	if not had_request:
		frappe.local.request = frappe._dict(method="POST", headers={})  # the handler checks the HTTP method
	try:
		result = execute_cmd(cmd)
	finally:
		if not had_request:
			del frappe.local.request
	return result, frappe.local.response


def rest_put(doctype: str, name: str, values: dict):
	"""PUT /api/resource/<doctype>/<name> (frappe.api.v1.update_doc) with a JSON body."""
	from frappe.api.v1 import update_doc

	frappe.local.form_dict = frappe._dict(data=json.dumps(values))
	return update_doc(doctype, name)


class RecordRightsCase(EntCRMTestCase):
	def setUp(self):
		super().setUp()
		self.a = make_salesperson(employee_name="甲")
		self.b = make_salesperson(employee_name="乙")
		self.domain = f"{random_string(6).lower()}.example.com"
		self.mine = make_customer([self.a.name], primary_email=f"buyer@{self.domain}")
		self.theirs = make_customer([self.b.name], primary_email=f"buyer@other-{self.domain}")
		self.box = make_mailbox()

	def received(self, sender, box=None):
		return frappe.get_doc("ECRM Mail", receive_raw(raw_mail(sender), box or self.box))


class TestServerDecidedFields(RecordRightsCase):
	"""Item 6."""

	def setUp(self):
		super().setUp()
		self.their_mail = self.received(f"buyer@other-{self.domain}")  # b's customer's mail, with its text
		self.assertTrue(self.their_mail.communication)
		with self.set_user(self.a.user):
			self.draft = api.save_draft(
				customer=self.mine.name,
				recipients=f"buyer@{self.domain}",
				subject="offer",
				content="<p>hello</p>",
			)

	def test_no_mail_is_made_through_a_generic_insert(self):
		with self.set_user(self.a.user):
			with self.assertRaises(frappe.PermissionError):
				frappe.client.insert(
					{
						"doctype": "ECRM Mail",
						"direction": "Outbound",
						"queue": "Handled",
						"outbound_status": "Draft",
						"assigned_employee": self.a.name,
						"communication": self.their_mail.communication,  # b's customer's mail text
						"subject": "mine now",
					}
				)
			with self.assertRaises(frappe.PermissionError):  # nor pointing at another salesperson's customer
				frappe.client.insert(
					{
						"doctype": "ECRM Mail",
						"direction": "Outbound",
						"assigned_employee": self.a.name,
						"reference_doctype": "ECRM Customer",
						"reference_name": self.theirs.name,
					}
				)
		self.assertFalse(frappe.db.exists("ECRM Mail", {"subject": "mine now"}))

	def test_own_draft_cannot_point_at_another_mail_or_schedule_itself(self):
		with self.set_user(self.a.user):
			with self.assertRaises(frappe.PermissionError):
				frappe.client.set_value(
					"ECRM Mail", self.draft, "outbound_status", "Scheduled"
				)  # no approval
			with self.assertRaises(frappe.PermissionError):
				frappe.client.set_value(
					"ECRM Mail", self.draft, "communication", self.their_mail.communication
				)
			doc = frappe.get_doc("ECRM Mail", self.draft).as_dict()
			doc["reference_name"] = self.theirs.name  # onto b's customer
			with self.assertRaises(frappe.PermissionError):
				frappe.client.save(doc)
			with self.assertRaises(frappe.PermissionError):
				rest_put(
					"ECRM Mail",
					self.draft,
					{"content": "<p>changed behind the composer</p>", "owner": self.b.user},
				)
			doc = frappe.get_doc("ECRM Mail", self.draft).as_dict()
			doc["email_account"], doc["dedup_key"] = self.box.name, self.their_mail.dedup_key
			with self.assertRaises(frappe.PermissionError):
				savedocs(json.dumps(doc, default=str), "Save")
		row = frappe.db.get_value(
			"ECRM Mail",
			self.draft,
			["outbound_status", "communication", "reference_name", "owner"],
			as_dict=True,
		)
		self.assertEqual(
			(row.outbound_status, row.communication, row.reference_name, row.owner),
			("Draft", None, self.mine.name, self.a.user),
		)

	def test_the_form_still_saves_and_the_composer_still_writes(self):
		folder = frappe.get_doc(
			{"doctype": "ECRM Customer Folder", "customer": self.mine.name, "folder_name": "Contract"}
		).insert()
		other_folder = frappe.get_doc(
			{"doctype": "ECRM Customer Folder", "customer": self.theirs.name, "folder_name": "Theirs"}
		).insert()
		with self.set_user(self.a.user):
			doc = frappe.get_doc("ECRM Mail", self.draft).as_dict()
			doc["folder"] = folder.name  # what a user may change: the folder of its own customer
			savedocs(json.dumps(doc, default=str), "Save")
			self.assertEqual(frappe.db.get_value("ECRM Mail", self.draft, "folder"), folder.name)
			with self.assertRaises(frappe.ValidationError):
				frappe.client.set_value("ECRM Mail", self.draft, "folder", other_folder.name)
			api.save_draft(
				name=self.draft, customer=self.mine.name, recipients=f"buyer@{self.domain}", subject="offer 2"
			)
		self.assertEqual(frappe.db.get_value("ECRM Mail", self.draft, "subject"), "offer 2")

	def test_contact_log_stays_with_its_customer_author_and_mail(self):
		with self.set_user(self.a.user):
			log = frappe.client.insert(
				{
					"doctype": "ECRM Contact Log",
					"customer": self.mine.name,
					"method": "By Phone",
					"subject": "called",
				}
			)
			with self.assertRaises(frappe.PermissionError):
				frappe.client.set_value("ECRM Contact Log", log["name"], "customer", self.theirs.name)
			with self.assertRaises(frappe.PermissionError):
				rest_put("ECRM Contact Log", log["name"], {"customer": self.theirs.name})
			with self.assertRaises(frappe.PermissionError):
				rest_put("ECRM Contact Log", log["name"], {"owner": self.b.user})
			with self.assertRaises(frappe.PermissionError):
				frappe.client.set_value("ECRM Contact Log", log["name"], "mail", self.their_mail.name)
			with self.assertRaises(frappe.PermissionError):  # a new log on b's customer
				frappe.client.insert(
					{"doctype": "ECRM Contact Log", "customer": self.theirs.name, "method": "By Phone"}
				)
			with self.assertRaises(frappe.PermissionError):  # a new log pointing at b's customer's mail
				frappe.client.insert(
					{"doctype": "ECRM Contact Log", "customer": self.mine.name, "mail": self.their_mail.name}
				)
			frappe.client.set_value(
				"ECRM Contact Log", log["name"], "remarks", "they will order"
			)  # own fields: fine
		row = frappe.db.get_value(
			"ECRM Contact Log", log["name"], ["customer", "owner", "mail", "remarks"], as_dict=True
		)
		self.assertEqual(
			(row.customer, row.owner, row.mail, row.remarks),
			(self.mine.name, self.a.user, None, "they will order"),
		)


class TestPersonalMailStaysPersonal(RecordRightsCase):
	"""Item 7: b's personal-mailbox mail from a customer that a and b share."""

	def setUp(self):
		super().setUp()
		self.shared = make_customer([self.a.name, self.b.name], primary_email=f"boss@{self.domain}")
		self.personal = self.received(f"boss@{self.domain}", make_mailbox("Personal Mailbox", self.b.name))
		self.assertEqual((self.personal.is_personal, self.personal.assigned_user), (1, self.b.user))
		frappe.db.set_value("ECRM Mail", self.personal.name, {"queue": "Handled"})  # b followed it: a contact

	def timeline(self, user):
		with self.set_user(user):
			_result, response = call_route(
				"frappe.desk.form.load.getdoc", doctype="ECRM Customer", name=self.shared.name
			)
			on_form = {c.name for c in response.docinfo.communications}
			_result, response = call_route(
				"frappe.desk.form.load.get_docinfo", doctype="ECRM Customer", name=self.shared.name
			)
			on_reload = {c.name for c in response.docinfo.communications}
			more, _response = call_route(
				"frappe.desk.form.load.get_communications", doctype="ECRM Customer", name=self.shared.name
			)
			return on_form | on_reload | {c.name for c in more}, on_form & on_reload & {c.name for c in more}

	def test_not_on_the_shared_customers_timeline(self):
		anywhere, _everywhere = self.timeline(self.a.user)
		self.assertNotIn(self.personal.communication, anywhere)
		with self.set_user(self.a.user):  # nor opened by its name
			self.assertFalse(frappe.has_permission("Communication", "read", doc=self.personal.communication))
			with self.assertRaises(frappe.PermissionError):
				frappe.client.get("Communication", self.personal.communication)
		_anywhere, everywhere = self.timeline(self.b.user)
		self.assertIn(self.personal.communication, everywhere)
		_anywhere, everywhere = self.timeline(make_user(roles=[PERSONAL_MAIL_READER, MANAGER]))
		self.assertIn(self.personal.communication, everywhere)

	def last_contact_in_search(self, user, view="all"):
		with self.set_user(user):
			rows = followup_api.search(view=view, page_length=200)["customers"]
		return next((r for r in rows if r.name == self.shared.name), None)

	def test_not_the_last_contact_in_search_and_recent_customers(self):
		row = self.last_contact_in_search(self.a.user)
		self.assertNotEqual(row.get("last_contact_name"), self.personal.name)
		self.assertIsNone(
			self.last_contact_in_search(self.a.user, "recent")
		)  # its only contact is b's personal mail
		self.assertEqual(
			self.last_contact_in_search(self.b.user).get("last_contact_name"), self.personal.name
		)
		self.assertIsNotNone(self.last_contact_in_search(self.b.user, "recent"))

	def test_not_the_last_contact_in_the_due_list_and_the_workbench(self):
		with self.set_user(self.a.user):
			reminders.schedule(self.shared.name, nowdate(), "ECRM Customer", self.shared.name, "call")
			due = {r.customer: r for r in followup_api.get_due()["reminders"]}
			self.assertIn(self.shared.name, due)
			self.assertNotEqual(due[self.shared.name].get("last_contact_name"), self.personal.name)
			page = workbench.list_queue("reminders")
			row = next(r for r in page["rows"] if r.customer == self.shared.name)
			self.assertNotEqual(row.get("last_contact_name"), self.personal.name)
		with self.set_user(self.b.user):
			due = {r.customer: r for r in followup_api.get_due()["reminders"]}
			self.assertEqual(due[self.shared.name].get("last_contact_name"), self.personal.name)


class TestOwnToDoOnAnyCustomer(RecordRightsCase):
	"""Item 8."""

	def test_a_todo_of_ones_own_does_not_reveal_a_customer(self):
		with self.set_user(self.a.user):
			frappe.client.insert(
				{
					"doctype": "ToDo",
					"allocated_to": self.a.user,
					"reference_type": "ECRM Customer",
					"reference_name": self.theirs.name,
					"date": add_days(nowdate(), -1),
					"description": "peek",
				}
			)
			due = followup_api.get_due()
			self.assertNotIn(self.theirs.name, [r.customer for r in due["reminders"]])
			self.assertEqual(due["count"], len(due["reminders"]))
			self.assertNotIn(
				self.theirs.name, [r.customer for r in workbench.list_queue("reminders")["rows"]]
			)
		reminders.send_daily_reminders()  # nor does the daily bell count it
		self.assertFalse(
			frappe.db.exists("Notification Log", {"for_user": self.a.user, "document_type": "ECRM Customer"})
		)

	def test_reminders_only_for_customers_the_caller_may_read(self):
		with self.set_user(self.a.user):
			with self.assertRaises(frappe.PermissionError):
				reminders.schedule(self.theirs.name, nowdate(), "ECRM Customer", self.theirs.name, "peek")
			self.assertTrue(
				reminders.schedule(self.mine.name, nowdate(), "ECRM Customer", self.mine.name, "call")
			)
		self.assertFalse(
			frappe.db.exists("ToDo", {"reference_name": self.theirs.name, "allocated_to": self.b.user})
		)


class TestOwnerChanges(RecordRightsCase):
	"""Item 9."""

	def setUp(self):
		super().setUp()
		self.shared = make_customer([self.a.name, self.b.name])

	def test_an_owner_cannot_remove_the_other_owner(self):
		with self.set_user(self.a.user):
			doc = frappe.get_doc("ECRM Customer", self.shared.name).as_dict()
			doc["owners"] = [row for row in doc["owners"] if row["employee"] == self.a.name]
			with self.assertRaises(frappe.PermissionError):
				frappe.client.save(doc)
			with self.assertRaises(frappe.PermissionError):
				rest_put("ECRM Customer", self.shared.name, {"owners": [{"employee": self.a.name}]})
			with self.assertRaises(frappe.PermissionError):  # nor add someone
				rest_put(
					"ECRM Customer",
					self.shared.name,
					{
						"owners": [
							{"employee": self.a.name},
							{"employee": self.b.name},
							{"employee": make_salesperson().name},
						]
					},
				)
			doc = frappe.get_doc("ECRM Customer", self.shared.name).as_dict()
			doc["phone"] = "+49 40 123456"  # other fields: as before
			frappe.client.save(doc)
		owners = frappe.get_all("ECRM Customer Owner", filters={"parent": self.shared.name}, pluck="employee")
		self.assertEqual(set(owners), {self.a.name, self.b.name})
		self.assertEqual(frappe.db.get_value("ECRM Customer", self.shared.name, "phone"), "+49 40 123456")

	def test_a_manager_still_changes_owners(self):
		with self.set_user(make_user(profile=MANAGER)):
			doc = frappe.get_doc("ECRM Customer", self.shared.name)
			doc.set("owners", [row for row in doc.owners if row.employee == self.a.name])
			doc.save()
		self.assertEqual(
			frappe.get_all("ECRM Customer Owner", filters={"parent": self.shared.name}, pluck="employee"),
			[self.a.name],
		)


class TestCopyToColleagues(RecordRightsCase):
	"""Item 10."""

	def test_only_colleagues_with_a_crm_role(self):
		mail = self.received(f"buyer@{self.domain}")
		website = make_user(user_type="Website User")
		desk_only = make_user(roles=["Blogger"])  # a desk user without a CRM role
		with self.set_user(self.a.user):
			for user in (website, desk_only):
				with self.assertRaises(frappe.PermissionError):
					api.copy_to_colleagues(mail.name, json.dumps([user]))
				self.assertFalse(frappe.db.exists("DocShare", {"share_name": mail.name, "user": user}))
			offered = [r["value"] for r in api.crm_colleagues("")]
			self.assertIn(self.b.user, offered)
			self.assertFalse({website, desk_only} & set(offered))
			self.assertEqual(api.copy_to_colleagues(mail.name, json.dumps([self.b.user])), 1)
		with self.set_user(self.b.user):
			self.assertTrue(frappe.has_permission("ECRM Mail", "read", doc=mail.name))
