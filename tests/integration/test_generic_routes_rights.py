"""Frappe's generic routes on another salesperson's records (issue 19: items 2, 3, 4, 5, 11, 12).

Every route is called the way an HTTP request calls it: `frappe.handler.execute_cmd` (so the
`override_whitelisted_methods` of the app apply) with a real werkzeug request, and private files through
`frappe.utils.response.download_private_file`, the function that serves /private/files/.

The walk (TestGenericRoutesWalk) takes every DocType of the app from its doctype folder (so a new DocType
is covered), plus ToDo and File, and calls lists, counts, group-by counts, link search, child tables via
`parent=`, file downloads, likes and follows as salesperson B, as a desk user without CRM roles and as a
website user on the records salesperson A's fixture made. What must stay hidden is decided per record by
Frappe's single-document check (frappe.has_permission, which the app's row rules drive); every route must
refuse or leave those records out.
"""

import io
import json
import zipfile
from email.message import EmailMessage
from pathlib import Path

import frappe
from frappe.utils import add_to_date, now_datetime, random_string
from werkzeug.exceptions import Forbidden
from werkzeug.test import EnvironBuilder

import ent_crm
from tests.support import EntCRMTestCase
from tests.support.factories import mail_date, make_customer, make_salesperson, make_user

DOCTYPE_FOLDER = Path(ent_crm.__file__).resolve().parent / "ent_crm" / "doctype"
EXTRA_DOCTYPES = ("ToDo", "File")


def app_doctypes() -> list[dict]:
	"""name, istable and issingle of every DocType in the app's doctype folder."""
	found = []
	for path in sorted(DOCTYPE_FOLDER.glob("*/*.json")):
		if path.stem != path.parent.name:
			continue
		meta = json.loads(path.read_text(encoding="utf-8"))
		if meta.get("doctype") == "DocType":
			found.append(
				{"name": meta["name"], "istable": meta.get("istable", 0), "issingle": meta.get("issingle", 0)}
			)
	return found


def mail_with_attachment(sender: str, payload: bytes, filename: str = "price-list.pdf") -> bytes:
	message = EmailMessage()
	message["From"] = f"Buyer <{sender}>"
	message["To"] = "sales@company.example"
	message["Subject"] = "Price list " + random_string(4)
	message["Message-ID"] = f"<{random_string(12)}@example.net>"
	message["Date"] = mail_date()
	message.set_content("Please see the attached price list.")
	message.add_attachment(payload, maintype="application", subtype="pdf", filename=filename)
	return message.as_bytes()


class RouteCase(EntCRMTestCase):
	"""Salesperson A's records, salesperson B, a desk user without CRM roles and a website user."""

	def setUp(self):
		super().setUp()
		from ent_crm.mail.inbound import receive_raw
		from tests.integration.test_mail_routing import make_mailbox

		self.since = add_to_date(now_datetime(), seconds=-1)
		self.a = make_salesperson(employee_name="Route A")
		self.b = make_salesperson(employee_name="Route B")
		self.nobody = make_user(roles=["Blogger"])
		self.web = make_user()
		self.assertEqual(frappe.db.get_value("User", self.web, "user_type"), "Website User")
		self.tag = random_string(6).lower()
		domain = f"{self.tag}.example.com"
		self.customer = make_customer(
			[self.a.name],
			customer_name=f"_Route {self.tag} Secret Buyer",
			primary_email=f"buyer@{domain}",
			contacts=[{"contact_name": "Hidden Person", "email": f"hidden@{domain}"}],
			backup_emails_text=f"backup@{domain}",
		)
		self.mailbox = make_mailbox()
		self.payload = b"%PDF-1.4 secret price list " + random_string(20).encode()
		self.mail = receive_raw(mail_with_attachment(f"buyer@{domain}", self.payload), self.mailbox)
		self.assertEqual(frappe.db.get_value("ECRM Mail", self.mail, "reference_name"), self.customer.name)
		self.communication = frappe.db.get_value("ECRM Mail", self.mail, "communication")
		self.inbound_file = frappe.db.get_value(
			"File",
			{
				"attached_to_doctype": "Communication",
				"attached_to_name": self.communication,
				"file_name": ("like", "price-list%"),
			},
			["name", "file_url"],
			as_dict=True,
		)
		self.assertTrue(self.inbound_file, "the mail's attachment is stored")
		self.customer_file = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": f"contract-{self.tag}.txt",
				"content": b"contract terms " + random_string(20).encode(),
				"is_private": 1,
				"attached_to_doctype": "ECRM Customer",
				"attached_to_name": self.customer.name,
			}
		).insert(ignore_permissions=True)
		self.todo = (
			frappe.get_doc(
				{
					"doctype": "ToDo",
					"allocated_to": self.a.user,
					"description": f"call {self.tag} about the secret offer",
					"reference_type": "ECRM Customer",
					"reference_name": self.customer.name,
				}
			)
			.insert(ignore_permissions=True)
			.name
		)
		frappe.db.set_value(
			"ECRM Customer", self.customer.name, "_assign", json.dumps([self.a.user]), update_modified=False
		)

	def tearDown(self):
		frappe.local.request = None
		frappe.local.form_dict = frappe._dict()
		super().tearDown()

	# --- calling routes as HTTP does -------------------------------------------------------------------

	def route(self, user: str, cmd: str, /, **args):
		"""Call /api/method/<cmd> as `user`: the app's overrides apply. Returns the result, or raises."""
		from frappe.handler import execute_cmd

		with self.set_user(user):  # (frappe.set_user empties form_dict)
			frappe.local.request = EnvironBuilder(method="POST", path=f"/api/method/{cmd}").get_request()
			frappe.local.form_dict = frappe._dict(
				{k: (json.dumps(v) if isinstance(v, list | dict) else v) for k, v in args.items()}
			)
			frappe.local.response = frappe._dict({"docs": []})
			return execute_cmd(cmd)

	def refused(self, user: str, cmd: str, /, **args) -> tuple[bool, object]:
		"""(True, None) when the route refused; else (False, result)."""
		frappe.db.savepoint("route_call")
		frappe.local.message_log = []
		try:
			return False, self.route(user, cmd, **args)
		except frappe.PermissionError:
			return True, None
		finally:
			frappe.db.rollback(save_point="route_call")
			frappe.local.message_log = []
			frappe.clear_last_message()

	def download(self, user: str, file_url: str, fid: str | None = None) -> bytes | None:
		"""The bytes /private/files/... serves to `user` (frappe.utils.response.download_private_file), or
		None when refused."""
		from frappe.utils.response import download_private_file

		with self.set_user(user):
			# (a POST: Frappe's access log commits the transaction during a GET, which would keep the fixture)
			frappe.local.request = EnvironBuilder(method="POST", path=file_url).get_request()
			frappe.local.form_dict = frappe._dict({"fid": fid} if fid else {})
			try:
				response = download_private_file(file_url)
			except Forbidden:
				return None
		try:
			return b"".join(response.response)
		finally:
			response.close()


class TestGenericRouteLeaks(RouteCase):
	"""One test per item of issue 19 handled here (each failed before the fix)."""

	# item 2 --------------------------------------------------------------------------------------------

	def test_private_files_of_crm_records_are_refused_to_others(self):
		for user in (self.b.user, self.nobody, self.web):
			self.assertIsNone(self.download(user, self.customer_file.file_url), user)
			self.assertIsNone(self.download(user, self.inbound_file.file_url), user)
		self.assertIsNotNone(self.download(self.a.user, self.customer_file.file_url))

	def test_a_file_row_copying_a_private_url_gives_nothing_away(self):
		"""Creating a File row with another record's private file_url made the download work (its owner may
		read it): the copy is refused, and an existing copy is not downloadable."""
		own = make_customer([self.b.name], customer_name=f"_Route {self.tag} B's own")
		for user, attached in (
			(self.b.user, ("ECRM Customer", own.name)),
			(self.b.user, (None, None)),
			(self.web, (None, None)),
			(self.nobody, (None, None)),
		):
			for url in (self.customer_file.file_url, self.inbound_file.file_url):
				values = {"doctype": "File", "file_url": url, "is_private": 1}
				if attached[0]:
					values.update(attached_to_doctype=attached[0], attached_to_name=attached[1])
				refused, _result = self.refused(user, "frappe.client.insert", doc=values)
				self.assertTrue(refused, f"{user} copied {url} ({attached})")
				refused, _result = self.refused(user, "upload_file", file_url=url, is_private=1)
				self.assertTrue(refused, f"{user} copied {url} through upload_file")
		# nor through a Communication of B's own customer, which copies the Files named in its attachments
		refused, _result = self.refused(
			self.b.user,
			"frappe.core.doctype.communication.email.make",
			doctype="ECRM Customer",
			name=own.name,
			content="see attached",
			subject="copy",
			recipients=f"me@{self.tag}.example.com",
			send_email=0,
			attachments=[self.customer_file.name],
		)
		self.assertTrue(refused, "copied A's file onto a Communication of B's customer")
		# a copy made before the fix (here: by code) downloads nothing for B
		copy = frappe.get_doc(
			{"doctype": "File", "file_url": self.customer_file.file_url, "is_private": 1}
		).insert(ignore_permissions=True)
		copy.db_set("owner", self.b.user)
		self.assertIsNone(self.download(self.b.user, self.customer_file.file_url))
		self.assertIsNone(self.download(self.b.user, self.customer_file.file_url, fid=copy.name))
		frappe.local.response = frappe._dict()
		refused, _result = self.refused(self.b.user, "frappe.core.api.file.zip_files", files=[copy.name])
		if not refused:
			zipped = zipfile.ZipFile(
				io.BytesIO(frappe.local.response.get("filecontent") or b"PK\x05\x06" + b"\0" * 18)
			)
			self.assertEqual(zipped.namelist(), [], "zip_files packed A's file for B")

	def test_a_file_cannot_be_repointed_or_reattached_or_published(self):
		own = make_customer([self.b.name], customer_name=f"_Route {self.tag} B's own")
		mine = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": "b.txt",
				"content": b"b's own " + random_string(8).encode(),
				"is_private": 1,
				"attached_to_doctype": "ECRM Customer",
				"attached_to_name": own.name,
			}
		).insert(ignore_permissions=True)
		mine.db_set("owner", self.b.user)
		refused, _result = self.refused(
			self.b.user,
			"frappe.client.set_value",
			doctype="File",
			name=mine.name,
			fieldname="file_url",
			value=self.customer_file.file_url,
		)
		self.assertTrue(refused, "re-pointed own File at A's private file")
		refused, _result = self.refused(
			self.b.user,
			"frappe.client.set_value",
			doctype="File",
			name=self.customer_file.name,
			fieldname={"attached_to_name": own.name},
		)
		self.assertTrue(refused, "re-attached A's file to B's customer")
		self.assertEqual(
			frappe.db.get_value("File", self.customer_file.name, "attached_to_name"), self.customer.name
		)

	# item 12 -------------------------------------------------------------------------------------------

	def test_inbound_attachments_open_for_those_who_may_read_the_mail(self):
		from ent_crm.core.roles import MANAGER

		manager = make_user(roles=[MANAGER])
		for user in (self.a.user, manager):
			self.assertEqual(self.download(user, self.inbound_file.file_url), self.payload, user)
		self.assertIsNone(self.download(self.b.user, self.inbound_file.file_url))

	# item 3 --------------------------------------------------------------------------------------------

	def test_link_search_ignoring_user_permissions_keeps_the_row_rules(self):
		cases = [
			("ECRM Customer", f"_Route {self.tag}", self.customer.name, None),
			("ECRM Mail", "Price list", self.mail, None),
			("ToDo", self.tag, self.todo, None),
			("ECRM Contact Person", "Hidden", self.customer.contacts[0].name, "ECRM Customer"),
		]
		for doctype, txt, hidden, reference in cases:
			for cmd in ("frappe.desk.search.search_link", "frappe.desk.search.search_widget"):
				args = {"doctype": doctype, "txt": txt, "ignore_user_permissions": 1, "page_length": 100}
				if reference:
					args["reference_doctype"] = reference
				if cmd.endswith("search_widget"):
					args.update(as_dict=1, filter_fields=["owner", "modified_by"])
				refused, result = self.refused(self.b.user, cmd, **args)
				self.assertTrue(
					refused or hidden not in frappe.as_json(result), f"{cmd} {doctype} shows {hidden}"
				)
		# the owner still finds them
		refused, result = self.refused(
			self.a.user,
			"frappe.desk.search.search_link",
			doctype="ECRM Customer",
			txt=f"_Route {self.tag}",
			ignore_user_permissions=1,
		)
		self.assertIn(self.customer.name, frappe.as_json(result))

	# item 4 --------------------------------------------------------------------------------------------

	def test_child_tables_listed_with_parent_follow_the_parent(self):
		hidden = {
			row.name for row in self.customer.contacts + self.customer.owners + self.customer.backup_emails
		}
		for child in ("ECRM Contact Person", "ECRM Customer Owner", "ECRM Backup Email"):
			refused, rows = self.refused(
				self.b.user,
				"frappe.client.get_list",
				doctype=child,
				parent="ECRM Customer",
				fields=["name", "parent"],
				limit_page_length=0,
			)
			self.assertTrue(refused or not hidden & {r["name"] for r in rows}, f"{child} via get_list")
			refused, result = self.refused(
				self.b.user,
				"frappe.desk.reportview.get",
				doctype=child,
				parent_doctype="ECRM Customer",
				fields=[f"`tab{child}`.`name`"],
				filters=[["parent", "=", self.customer.name]],
			)
			self.assertTrue(refused or not (result or {}).get("values"), f"{child} via reportview.get")
		refused, rows = self.refused(
			self.a.user,
			"frappe.client.get_list",
			doctype="ECRM Contact Person",
			parent="ECRM Customer",
			filters=[["parent", "=", self.customer.name]],
			fields=["name"],
		)
		self.assertEqual({r["name"] for r in rows}, {r.name for r in self.customer.contacts})

	def test_a_child_row_on_its_own_follows_its_parent(self):
		"""Loaded by name (REST /api/resource/<child>/<name>, frappe.client.get, getdoc, delete), a child row
		was checked against the parent DocType only."""
		row = self.customer.contacts[0].name
		for cmd, args in (
			("frappe.client.get", {"doctype": "ECRM Contact Person", "name": row, "parent": "ECRM Customer"}),
			("frappe.desk.form.load.getdoc", {"doctype": "ECRM Contact Person", "name": row}),
			("frappe.client.delete", {"doctype": "ECRM Contact Person", "name": row}),
		):
			refused, result = self.refused(self.b.user, cmd, **args)
			self.assertTrue(refused, f"{cmd}: {result}")
		with self.set_user(self.b.user):
			doc = frappe.get_doc("ECRM Contact Person", row)
			doc.contact_name = "changed by B"
			with self.assertRaises(frappe.PermissionError):
				doc.save()
		refused, result = self.refused(
			self.a.user, "frappe.client.get", doctype="ECRM Contact Person", name=row, parent="ECRM Customer"
		)
		self.assertEqual(result["contact_name"], "Hidden Person")

	# item 5 --------------------------------------------------------------------------------------------

	def test_counts_count_only_readable_rows(self):
		like = [["ECRM Customer", "primary_email", "like", f"buyer@{self.tag}%"]]
		for user in (self.b.user, self.nobody, self.web):
			refused, count = self.refused(
				user, "frappe.client.get_count", doctype="ECRM Customer", filters=like
			)
			self.assertTrue(refused or count == 0, f"{user} counted {count}")
			refused, groups = self.refused(
				user,
				"frappe.desk.listview.get_group_by_count",
				doctype="ECRM Customer",
				current_filters=[["name", "=", self.customer.name]],
				field="assigned_to",
			)
			self.assertTrue(refused or not groups, f"{user} group-by counted {groups}")
		refused, count = self.refused(
			self.a.user, "frappe.client.get_count", doctype="ECRM Customer", filters=like
		)
		self.assertEqual(count, 1)
		refused, groups = self.refused(
			self.a.user,
			"frappe.desk.listview.get_group_by_count",
			doctype="ECRM Customer",
			current_filters=[["name", "=", self.customer.name]],
			field="assigned_to",
		)
		self.assertEqual([(g["name"], g["count"]) for g in groups], [(self.a.user, 1)])

	# item 11 -------------------------------------------------------------------------------------------

	def test_likes_and_follows_need_read(self):
		frappe.db.set_value("User", self.b.user, "document_follow_notify", 1)
		refused, _result = self.refused(
			self.b.user,
			"frappe.desk.like.toggle_like",
			doctype="ECRM Customer",
			name=self.customer.name,
			add="Yes",
		)
		self.assertTrue(refused, "B liked A's customer")
		for cmd, args in (
			("frappe.desk.form.document_follow.follow_document", {"user": self.b.user}),
			("frappe.desk.form.document_follow.update_follow", {"following": 1}),
		):
			refused, _result = self.refused(
				self.b.user, cmd, doctype="ECRM Customer", doc_name=self.customer.name, **args
			)
			self.assertTrue(refused, f"B followed A's customer via {cmd}")
		refused, _result = self.refused(
			self.b.user,
			"frappe.desk.form.document_follow.follow_document",
			doctype="ECRM Customer",
			doc_name=self.customer.name,
			user=self.a.user,
		)
		self.assertTrue(refused, "B made A follow a record")
		refused, _result = self.refused(
			self.a.user,
			"frappe.desk.like.toggle_like",
			doctype="ECRM Customer",
			name=self.customer.name,
			add="Yes",
		)
		self.assertFalse(refused, "A likes their own customer")


class TestGenericRoutesWalk(RouteCase):
	"""Every generic route, every DocType of the app, three kinds of caller."""

	def setUp(self):
		super().setUp()
		a = self.a.user
		self.supplier = frappe.get_doc(
			{
				"doctype": "ECRM Supplier",
				"supplier_name": f"_Route {self.tag} Supplier",
				"region": "Hamburg",
				"merchandiser_user": a,
				"contacts": [{"contact_name": "Supplier Person", "email": f"s@{self.tag}.example.com"}],
			}
		).insert(ignore_permissions=True)
		self.insert_as(
			a,
			{
				"doctype": "ECRM Contact Log",
				"customer": self.customer.name,
				"contact_date": now_datetime(),
				"products": [{"product": frappe.db.get_value("ECRM Product", {}, "name")}]
				if frappe.db.get_value("ECRM Product", {}, "name")
				else [],
			},
		)
		self.insert_as(
			a, {"doctype": "ECRM Customer Folder", "customer": self.customer.name, "folder_name": "Project X"}
		)
		self.insert_as(
			a,
			{
				"doctype": "ECRM Ownership Query",
				"query_name": "mine",
				"user": a,
				"conditions": [{"field": "customer_name", "operator": "like", "value": "secret"}],
			},
		)
		self.insert_as(
			a,
			{
				"doctype": "ECRM Mass Mailing",
				"subject": "s",
				"email_account": self.mailbox.name,
				"content": "c",
				"recipients": [{"customer": self.customer.name, "email": f"buyer@{self.tag}.example.com"}],
			},
		)
		self.insert_as(
			a,
			{
				"doctype": "ECRM Address Book Entry",
				"full_name": "Private Contact",
				"email": f"p@{self.tag}.example.com",
			},
		)
		self.insert_as(a, {"doctype": "ECRM Stock Phrase", "title": "mine", "phrase": "my phrase"})
		if not frappe.db.exists("ECRM Personal Settings", a):
			self.insert_as(a, {"doctype": "ECRM Personal Settings", "user": a})
		from ent_crm.messages.sending import send_system_message

		send_system_message([a], "private", "for A only")
		region = frappe.get_doc("ECRM Region", "Hamburg")
		region.append("authorised_creators", {"employee": self.a.name})
		region.save(ignore_permissions=True)
		self.fill_empty_doctypes()

	@staticmethod
	def insert_as(owner: str, values: dict) -> str:
		doc = frappe.get_doc(values)
		doc.flags.ignore_validate = True
		doc.insert(ignore_permissions=True, ignore_links=True, ignore_mandatory=True)
		doc.db_set("owner", owner, update_modified=False)
		return doc.name

	def fill_empty_doctypes(self):
		"""A bare record (owned by A) of every DocType that has none yet, so that none is walked empty."""
		self.not_filled = []
		for dt in app_doctypes():
			if dt["istable"] or dt["issingle"] or frappe.db.count(dt["name"]):
				continue
			frappe.db.savepoint("fill")
			try:
				doc = frappe.new_doc(dt["name"])
				for df in doc.meta.get("fields", {"reqd": 1}):
					if df.fieldtype in ("Data", "Small Text", "Text", "Long Text", "Text Editor", "Code"):
						doc.set(
							df.fieldname,
							f"{random_string(8).lower()}@example.com"
							if df.options == "Email"
							else random_string(8),
						)
				doc.flags.ignore_validate = True
				doc.insert(
					ignore_permissions=True,
					ignore_links=True,
					ignore_mandatory=True,
					set_name=random_string(10),
				)
				doc.db_set("owner", self.a.user, update_modified=False)
			except Exception as e:
				frappe.db.rollback(save_point="fill")
				self.not_filled.append(f"{dt['name']}: {e!r}"[:200])

	# --- what must stay hidden ------------------------------------------------------------------------

	def samples(self, doctype: str) -> list[str]:
		"""The rows the fixture made (plus a few older ones: seeded base data)."""
		new = frappe.get_all(doctype, filters={"creation": (">=", self.since)}, pluck="name", limit=50)
		old = frappe.get_all(
			doctype, filters={"creation": ("<", self.since)}, pluck="name", limit=3, order_by="creation desc"
		)
		return new + old

	def readable(self, user: str, doctype: str, name: str) -> bool:
		if doctype == "File":
			return self.file_readable(user, name)
		if frappe.get_meta(
			doctype
		).istable:  # a child row: its parent row (Frappe checks only the parent DocType)
			row = frappe.db.get_value(doctype, name, ["parenttype", "parent"], as_dict=True)
			doctype, name = row.parenttype, row.parent
		return bool(frappe.has_permission(doctype, "read", doc=frappe.get_doc(doctype, name), user=user))

	def file_readable(self, user: str, name: str) -> bool:
		"""A private file is readable when the record it belongs to is (a Communication: its ECRM Mail)."""
		file = frappe.db.get_value(
			"File",
			name,
			["is_private", "attached_to_doctype", "attached_to_name", "owner", "is_folder"],
			as_dict=True,
		)
		if not file.is_private or file.is_folder:
			return True
		doctype, record = file.attached_to_doctype, file.attached_to_name
		if doctype == "Communication" and (
			mail := frappe.db.get_value("ECRM Mail", {"communication": record})
		):
			doctype, record = "ECRM Mail", mail
		if not doctype:
			return file.owner == user
		try:
			return bool(
				frappe.has_permission(doctype, "read", doc=frappe.get_doc(doctype, record), user=user)
			)
		except frappe.DoesNotExistError:
			return False

	def hidden(self, user: str, doctype: str) -> list[str]:
		return [name for name in self.samples(doctype) if not self.readable(user, doctype, name)]

	# --- the walk -------------------------------------------------------------------------------------

	def walk(self, user: str) -> list[str]:
		from ent_crm.core.route_guards import has_own_row_rules, parent_doctypes

		leaks = []
		doctypes = [d for d in app_doctypes() if not d["issingle"]] + [
			{"name": d, "istable": 0, "issingle": 0} for d in EXTRA_DOCTYPES
		]
		for dt in doctypes:
			name, istable = dt["name"], dt["istable"]
			if not self.samples(name):
				leaks.append(f"{name}: no record to walk (add one to the fixture)")
				continue
			hidden = self.hidden(user, name)
			private = (
				has_own_row_rules(name, self.b.user)
				if not istable
				else any(has_own_row_rules(p, self.b.user) for p in parent_doctypes(name))
			)
			if user == self.b.user and private and name not in EXTRA_DOCTYPES and not hidden:
				leaks.append(f"{name}: the fixture has no record of A's that B may not read")
			if not hidden:
				continue
			parents = parent_doctypes(name) if istable else [None]
			for parent in parents:
				leaks += self.walk_lists(user, name, hidden, parent)
			if not istable:
				leaks += self.walk_one_by_one(user, name, hidden)
		return leaks

	def shown(self, result, hidden: list[str]) -> list[str]:
		text = frappe.as_json(result)
		return [h for h in hidden if f'"{h}"' in text]

	def check(self, leaks: list, label: str, user: str, cmd: str, hidden: list[str], **args):
		refused, result = self.refused(user, cmd, **args)
		if refused:
			return
		if cmd.endswith("get_count"):
			if result:
				leaks.append(f"{label}: {cmd} counted {result} hidden rows")
			return
		if cmd.endswith("get_group_by_count"):
			if result:
				leaks.append(f"{label}: {cmd} {args.get('field')} gave {result}")
			return
		if shown := self.shown(result, hidden):
			leaks.append(f"{label}: {cmd} shows {shown}")

	def walk_lists(self, user: str, doctype: str, hidden: list[str], parent: str | None) -> list[str]:
		leaks = []
		label = f"{doctype}" + (f" (parent {parent})" if parent else "")
		in_hidden = [[doctype, "name", "in", hidden]]
		with_parent = {"parent": parent} if parent else {}
		self.check(
			leaks,
			label,
			user,
			"frappe.client.get_list",
			hidden,
			doctype=doctype,
			filters=in_hidden,
			fields=["name"],
			limit_page_length=0,
			**with_parent,
		)
		self.check(
			leaks,
			label,
			user,
			"frappe.desk.reportview.get",
			hidden,
			doctype=doctype,
			filters=in_hidden,
			fields=[f"`tab{doctype}`.`name`"],
			**({"parent_doctype": parent} if parent else {}),
		)
		self.check(
			leaks,
			label,
			user,
			"frappe.client.get_count",
			hidden,
			doctype=doctype,
			filters=in_hidden,
			**with_parent,
		)
		self.check(
			leaks,
			label,
			user,
			"frappe.desk.reportview.get_count",
			hidden,
			doctype=doctype,
			filters=in_hidden,
			**({"parent_doctype": parent} if parent else {}),
		)
		for cmd in ("frappe.desk.search.search_link", "frappe.desk.search.search_widget"):
			self.check(
				leaks,
				label,
				user,
				cmd,
				hidden,
				doctype=doctype,
				txt="",
				filters=in_hidden,
				page_length=500,
				ignore_user_permissions=1,
				reference_doctype=parent or doctype,
			)
		if parent:
			for name in hidden[:2]:
				self.check(
					leaks, label, user, "frappe.client.get", hidden, doctype=doctype, name=name, parent=parent
				)
		else:
			for field in ("assigned_to", "owner"):
				self.check(
					leaks,
					label,
					user,
					"frappe.desk.listview.get_group_by_count",
					hidden,
					doctype=doctype,
					current_filters=in_hidden,
					field=field,
				)
		return leaks

	def walk_one_by_one(self, user: str, doctype: str, hidden: list[str]) -> list[str]:
		leaks = []
		for name in hidden[:2]:
			refused, _result = self.refused(
				user, "frappe.desk.like.toggle_like", doctype=doctype, name=name, add="Yes"
			)
			if not refused:
				leaks.append(f"{doctype} {name}: toggle_like accepted")
			for cmd, args in (
				("frappe.desk.form.document_follow.follow_document", {"user": user}),
				("frappe.desk.form.document_follow.update_follow", {"following": 1}),
			):
				refused, result = self.refused(user, cmd, doctype=doctype, doc_name=name, **args)
				if not refused and result:
					leaks.append(f"{doctype} {name}: {cmd} accepted")
			if doctype == "File":
				file = frappe.db.get_value("File", name, ["file_url", "is_private"], as_dict=True)
				if file.is_private and self.download(user, file.file_url, fid=name) is not None:
					leaks.append(f"File {name}: {file.file_url} downloaded")
			else:
				for file in frappe.get_all(
					"File",
					filters={"attached_to_doctype": doctype, "attached_to_name": name, "is_private": 1},
					fields=["name", "file_url"],
				):
					if self.download(user, file.file_url) is not None:
						leaks.append(f"{doctype} {name}: its file {file.file_url} downloaded")
		return leaks

	def test_fixture_covers_every_doctype(self):
		self.assertEqual(self.not_filled, [])

	def test_salesperson_b(self):
		frappe.db.set_value("User", self.b.user, "document_follow_notify", 1)
		leaks = self.walk(self.b.user)
		self.assertEqual(leaks, [], "\n" + "\n".join(leaks))

	def test_desk_user_without_crm_roles(self):
		frappe.db.set_value("User", self.nobody, "document_follow_notify", 1)
		leaks = self.walk(self.nobody)
		self.assertEqual(leaks, [], "\n" + "\n".join(leaks))

	def test_website_user(self):
		leaks = self.walk(self.web)
		self.assertEqual(leaks, [], "\n" + "\n".join(leaks))
