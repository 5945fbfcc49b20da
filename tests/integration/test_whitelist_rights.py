"""Every @frappe.whitelist function of the app refuses a caller without the right (issue 7).

The walk imports every module of ent_crm and takes the functions Frappe registered in
`frappe.whitelisted`; a scan of the source for the decorator makes sure none was missed (a module that
does not import, or a decorator under another name, fails the test). New functions are picked up
automatically: a function is either refused, or listed below with the reason why anyone may call it.

Two callers:
1. a desk user without any ECRM role calls every function (records of salesperson A as arguments);
2. salesperson B calls every function that takes a record (customer, mail, reminder, message, ...) with
   salesperson A's records.
Refused means frappe.PermissionError. Anything else (a result, a ValidationError about the arguments, a
crash) is a failure, listed with what happened.
"""

import ast
import importlib
import inspect
import json
import pkgutil
from pathlib import Path

import frappe
from frappe.utils import random_string

import ent_crm
from tests.support import EntCRMTestCase
from tests.support.factories import make_customer, make_salesperson, make_user

APP = Path(ent_crm.__file__).resolve().parent

# Functions any logged-in desk user may call, each with the reason. Keep this list short.
ANY_DESK_USER = {
	# Internal messages (J1/J2) are for every account of the company, not only CRM roles; each function
	# works on the caller's own inbox/outbox only (H5, ent_crm.messages.api).
	"ent_crm.messages.api.send_message": "J1: every account may send internal messages",
	"ent_crm.messages.api.inbox": "J2: the caller's own received messages",
	"ent_crm.messages.api.unread": "J2: the caller's own unread messages (pop-up)",
	"ent_crm.messages.api.sent": "J2: the caller's own sent messages",
	"ent_crm.messages.api.options": "J1: the send dialog's choices (groups, limits) for the caller",
}

# Functions that take records but act on the caller's own rows only, silently skipping anybody else's:
# called with salesperson A's records by anyone else they must return 0 (nothing changed).
OWN_ROWS_ONLY = {
	"ent_crm.messages.api.mark_read": "J2: marks the caller's own copies read",
	"ent_crm.messages.api.delete_messages": "J2: deletes from the caller's own inbox or sent messages",
}

# Functions salesperson B may call with salesperson A's records because the result is limited by the
# row-level rules to what B may see anyway; the test checks that none of A's records is in the result.
SCOPED_TO_CALLER = {
	"ent_crm.followup.api.search": "F4: the employee filter narrows the customers the caller may see",
}

# Parameters that carry a record of salesperson A (mode 2 runs only for functions that take one).
RECORD_PARAMS = {
	"customer",
	"customers",
	"mail",
	"mails",
	"todo",
	"employee",
	"from_employee",
	"user",
	"name",
	"names",
	"items",
	"failure",
	"mailing",
	"folder",
	"template_name",
}


# Frappe's own generic routes, which the app wraps (override_whitelisted_methods) to add its row rules:
# they keep Frappe's signatures and are walked by tests/integration/test_generic_routes_rights.py.
FRAPPE_ROUTE_WRAPPERS = "ent_crm.core.route_guards"


def app_modules() -> list[str]:
	names = []
	for info in pkgutil.walk_packages([str(APP)], "ent_crm."):
		if ".tests" in info.name or ".patches." in info.name or info.name.endswith(".hooks"):
			continue
		if info.name == FRAPPE_ROUTE_WRAPPERS:
			continue
		names.append(info.name)
	return names


def source_whitelisted() -> set[str]:
	"""module.qualname of every function decorated with frappe.whitelist in the app's source."""
	found = set()
	for path in APP.rglob("*.py"):
		rel = path.relative_to(APP.parent)
		if "tests" in rel.parts or "patches" in rel.parts:
			continue
		module = ".".join(rel.with_suffix("").parts)
		if module == FRAPPE_ROUTE_WRAPPERS:
			continue
		tree = ast.parse(path.read_text(encoding="utf-8"))

		def visit(node, prefix):
			for child in ast.iter_child_nodes(node):
				if isinstance(child, ast.ClassDef):
					visit(child, f"{prefix}{child.name}.")
				elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
					for dec in child.decorator_list:
						target = dec.func if isinstance(dec, ast.Call) else dec
						if ast.unparse(target) in ("frappe.whitelist", "whitelist"):
							found.add(f"{module}.{prefix}{child.name}")

		visit(tree, "")
	return found


def registered_whitelisted() -> dict:
	"""module.qualname -> function, for the app's functions in frappe.whitelisted."""
	errors = []
	for name in app_modules():
		try:
			importlib.import_module(name)
		except Exception as e:  # reported by the test
			errors.append(f"{name}: {e!r}")
	functions = {}
	for fn in frappe.whitelisted:
		module = getattr(fn, "__module__", "") or ""
		if module == FRAPPE_ROUTE_WRAPPERS:
			continue
		if module == "ent_crm" or module.startswith("ent_crm."):
			functions[f"{module}.{fn.__qualname__}"] = fn
	return functions, errors


class TestWhitelistRights(EntCRMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.functions, cls.import_errors = registered_whitelisted()
		cls.in_source = source_whitelisted()  # at the same moment: others add functions while we run

	def setUp(self):
		super().setUp()
		from ent_crm.mail.inbound import receive_raw
		from tests.integration.test_mail_routing import make_mailbox, raw_mail

		self.nobody = make_user(roles=["Blogger"])  # a desk user without any ECRM role
		self.assertEqual(frappe.db.get_value("User", self.nobody, "user_type"), "System User")
		self.a = make_salesperson(employee_name="Rights A")
		self.b = make_salesperson(employee_name="Rights B")
		domain = f"{random_string(6).lower()}.example.com"
		self.customer = make_customer([self.a.name], primary_email=f"buyer@{domain}")
		self.mailbox = make_mailbox()
		self.mail = receive_raw(raw_mail(f"buyer@{domain}"), self.mailbox)
		self.assertEqual(frappe.db.get_value("ECRM Mail", self.mail, "reference_name"), self.customer.name)
		# a mail salesperson A wrote that waits for A's approver (a manager), for the approval functions
		self.pending_mail = receive_raw(raw_mail(f"buyer@{domain}", subject="Offer"), self.mailbox)
		frappe.db.set_value(
			"ECRM Mail",
			self.pending_mail,
			{
				"direction": "Outbound",
				"outbound_status": "Pending Approval",
				"approver": "Administrator",
				"owner": self.a.user,
			},
			update_modified=False,
		)
		self.template = self.insert_as(
			self.a.user,
			{
				"doctype": "Email Template",
				"name": f"_Test Rights {random_string(6)}",
				"subject": "s",
				"response": "r",
				"ecrm_personal": 1,
			},
		)
		self.mailing = self.insert_as(
			self.a.user,
			{
				"doctype": "ECRM Mass Mailing",
				"subject": "s",
				"email_account": self.mailbox.name,
				"content": "c",
			},
		)
		if self.mailing and frappe.get_meta("ECRM Mass Mailing").has_field("status"):
			# waiting for its approver (Administrator), so the approval functions get as far as the rights
			frappe.db.set_value(
				"ECRM Mass Mailing", self.mailing, "status", "Pending Approval", update_modified=False
			)
			if frappe.get_meta("ECRM Mass Mailing").has_field("approver"):
				frappe.db.set_value(
					"ECRM Mass Mailing", self.mailing, "approver", "Administrator", update_modified=False
				)
		self.folder = self.insert_as(
			self.a.user,
			{"doctype": "ECRM Customer Folder", "customer": self.customer.name, "folder_name": "Project X"},
		)
		self.todo = (
			frappe.get_doc(
				{
					"doctype": "ToDo",
					"allocated_to": self.a.user,
					"description": "follow up",
					"reference_type": "ECRM Customer",
					"reference_name": self.customer.name,
				}
			)
			.insert(ignore_permissions=True)
			.name
		)
		self.message = None
		try:
			from ent_crm.messages.sending import send_system_message

			self.message = send_system_message([self.a.user], "rights", "rights test")
		except ImportError:
			pass

	@staticmethod
	def insert_as(owner: str, values: dict) -> str | None:
		"""A record owned by `owner`, or None when its DocType is not on this site (yet)."""
		if not frappe.db.exists("DocType", values["doctype"]):
			return None
		doc = frappe.get_doc(values)
		doc.flags.ignore_validate = True  # a plain record of the owner's; its rules are tested elsewhere
		doc.insert(ignore_permissions=True, ignore_links=True)
		doc.db_set("owner", owner, update_modified=False)
		return doc.name

	# --- arguments ----------------------------------------------------------------------------------

	def value_for(self, qualname: str, param: str):
		"""A value for a parameter: salesperson A's record where the name says which kind it is."""
		records = {
			"customer": self.customer.name,
			"customers": json.dumps([self.customer.name]),
			"mail": self.mail,
			"mails": json.dumps([self.mail]),
			"todo": self.todo,
			"employee": self.a.name,
			"from_employee": self.a.name,
			"to_employee": self.b.name,
			"employees": json.dumps([self.b.name]),
			"user": self.a.user,
			"users": json.dumps([self.b.user]),
			"failure": "x",
			"items": json.dumps([self.mail]),
			"doctype": "ECRM Customer",
			"region": "Hamburg",
			"queue": "Trash",
			"email_account": self.mailbox.name,
			"template": self.template,
			"template_name": self.template,
			"mailing": self.mailing,
			"folder": self.folder,
			"address": f"buyer@{self.customer.primary_email.split('@')[1]}"
			if self.customer.get("primary_email")
			else "x",
		}
		if param == "name" and ".form_load." in f".{qualname}":
			return self.customer.name  # Frappe's form loading (wrapped): A's customer
		if param == "mail" and qualname.rpartition(".")[2] in ("approve_mail", "reject_mail"):
			return self.pending_mail  # the approval endpoints: A's mail that waits for its approver
		if param == "name" and ".mail.api." in f".{qualname}":
			return self.template if "template" in qualname else self.mail  # a personal template, or A's mail
		if param in ("name", "names") and ".messages." in f".{qualname}" and self.message:
			return self.message if param == "name" else json.dumps([self.message])
		if records.get(param):
			return records[param]
		return "x"

	def kwargs_for(self, qualname: str, fn) -> dict:
		kwargs = {}
		for param in inspect.signature(fn).parameters.values():
			if param.name == "self" or param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
				continue
			if param.default is inspect.Parameter.empty or param.name in RECORD_PARAMS:
				kwargs[param.name] = self.value_for(qualname, param.name)
		return kwargs

	def a_records(self) -> list[str]:
		return [
			self.customer.name,
			self.mail,
			self.pending_mail,
			self.todo,
			self.message,
			self.folder,
			self.mailing,
		]

	# --- calling ------------------------------------------------------------------------------------

	def outcome(self, user: str, qualname: str, fn) -> str | None:
		"""None when refused with PermissionError, else what happened."""
		frappe.db.savepoint("whitelist_walk")
		frappe.local.message_log = []
		try:
			with self.set_user(user):
				if "." in fn.__qualname__:
					result = self.call_controller_method(qualname, fn)
				else:
					result = fn(**self.kwargs_for(qualname, fn))
		except frappe.PermissionError:
			return None
		except Exception as e:
			return f"raised {type(e).__name__}: {str(e)[:160]}"
		else:
			if qualname in OWN_ROWS_ONLY:
				return None if result == 0 else f"changed someone else's rows (returned {result!r})"
			if qualname in SCOPED_TO_CALLER and user == self.b.user:
				leaked = [r for r in self.a_records() if r and r in frappe.as_json(result)]
				return f"result shows salesperson A's records {leaked}" if leaked else None
			return "returned normally (not refused)"
		finally:
			try:
				frappe.db.rollback(save_point="whitelist_walk")
			except Exception:
				frappe.db.rollback()
			frappe.local.message_log = []
		return None

	def call_controller_method(self, qualname: str, fn):
		"""A whitelisted DocType method, through Frappe's own run_doc_method on a real record."""
		from frappe.handler import run_doc_method

		module = frappe.get_module(fn.__module__)
		folder = Path(module.__file__).parent
		doctype = json.loads((folder / f"{folder.name}.json").read_text())["name"]
		with self.set_user("Administrator"):
			name = frappe.db.get_value(doctype, {}, "name")
		if not name:
			if frappe.has_permission(doctype, "read"):
				raise AssertionError(f"{doctype} has no record to try and the caller may read {doctype}")
			raise frappe.PermissionError
		args = self.kwargs_for(qualname, fn)
		return run_doc_method(fn.__name__, dt=doctype, dn=name, args=json.dumps(args) if args else None)

	# --- the tests ----------------------------------------------------------------------------------

	def test_every_whitelisted_function_is_found(self):
		self.assertEqual(self.import_errors, [], "modules of ent_crm that do not import")
		missing = self.in_source - set(self.functions)
		self.assertEqual(missing, set(), "decorated in the source but not registered with Frappe")
		self.assertGreater(len(self.functions), 20)
		guests = sorted(
			f"{fn.__module__}.{fn.__qualname__}"
			for fn in frappe.guest_methods
			if fn.__module__.startswith("ent_crm")
		)
		self.assertEqual(guests, [], "ent_crm has no function for guests")
		stale = (set(ANY_DESK_USER) | set(OWN_ROWS_ONLY) | set(SCOPED_TO_CALLER)) - set(self.functions)
		self.assertEqual(stale, set(), "allowlisted functions that no longer exist")

	def test_a_user_without_crm_roles_is_refused_everywhere(self):
		failures = []
		for qualname, fn in sorted(self.functions.items()):
			if qualname in ANY_DESK_USER:
				continue
			problem = self.outcome(self.nobody, qualname, fn)
			if problem:
				failures.append(f"{qualname}: {problem}")
		self.assertEqual(failures, [], "\n" + "\n".join(failures))

	def test_a_salesperson_is_refused_on_another_salespersons_records(self):
		failures = []
		tried = 0
		for qualname, fn in sorted(self.functions.items()):
			params = set(inspect.signature(fn).parameters) & RECORD_PARAMS
			if not params or "." in fn.__qualname__:
				continue
			if params <= {"name", "names"} and ".messages." not in f".{qualname}":
				continue  # a bare "name" of an unknown kind: covered by the first caller only
			tried += 1
			problem = self.outcome(self.b.user, qualname, fn)
			if problem:
				failures.append(f"{qualname}({', '.join(sorted(params))}): {problem}")
		self.assertGreater(tried, 10)
		self.assertEqual(failures, [], "\n" + "\n".join(failures))

	def test_functions_open_to_every_desk_user_show_nobody_elses_records(self):
		leaks = []
		for qualname in sorted(ANY_DESK_USER):
			fn = self.functions[qualname]
			frappe.db.savepoint("whitelist_walk")
			try:
				with self.set_user(self.nobody):
					result = fn(**self.kwargs_for(qualname, fn))
			except frappe.ValidationError:
				continue  # the placeholder arguments were refused; nothing was shown
			finally:
				frappe.db.rollback(save_point="whitelist_walk")
				frappe.local.message_log = []
			shown = [r for r in self.a_records() if r and r in frappe.as_json(result)]
			if shown:
				leaks.append(f"{qualname}: shows salesperson A's records {shown}")
		self.assertEqual(leaks, [], "\n" + "\n".join(leaks))
