"""Handover by salesperson (G6): revoke all of A's customers, or transfer them all to B, in one go.

run_handover commits (the run's status, and the work itself), which a per-test rollback cannot undo and
which also ends EntCRMTestCase's savepoint. HandoverTestCase therefore records every record a test (or
its class) makes and deletes it again in tearDown (tearDownClass), together with what deleting leaves
behind; all names are random, and no test counts anything site-wide.
"""

from unittest.mock import patch

import frappe
from frappe.utils import add_days, get_datetime, now, random_string, today

from ent_crm.core.roles import ALL_CUSTOMERS, MANAGER
from ent_crm.customers import api as customers_api
from ent_crm.customers import handover, ownership
from tests.support import EntCRMTestCase
from tests.support.factories import make_customer, make_salesperson, make_user

OWNER_FIELDS = ["employee", "user", "employee_name", "assigned_on", "idx"]
OLD_DATE = "2020-01-15"


def remove(records: list, bulk_customers: list | tuple = ()) -> None:
	"""Delete committed test records, newest first (handovers and customers before their employees),
	with what deleting them leaves behind (versions, "Deleted" comments, a user's contact and defaults)."""
	for doctype, name in reversed(records):
		traces = [(doctype, name)]
		if doctype == "User":
			traces += [("Notification Settings", name)]
			traces += [
				("Contact", c) for c in frappe.get_all("Contact", filters={"email_id": name}, pluck="name")
			]
		if frappe.db.exists(doctype, name):
			if doctype == "ECRM Handover":  # a completed one refuses delete_doc, by design
				frappe.db.delete(doctype, {"name": name})
			else:
				frappe.delete_doc(doctype, name, force=True, ignore_permissions=True, delete_permanently=True)
		for trace_doctype, trace_name in traces:
			if trace_doctype == "Contact":
				frappe.delete_doc(
					"Contact", trace_name, force=True, ignore_permissions=True, delete_permanently=True
				)
			frappe.db.delete("Version", {"ref_doctype": trace_doctype, "docname": trace_name})
			frappe.db.delete("Comment", {"reference_doctype": trace_doctype, "reference_name": trace_name})
			frappe.db.delete(  # the feed entry delete_doc writes: subject "<doctype> <name>"
				"Comment",
				{
					"comment_type": "Deleted",
					"reference_doctype": trace_doctype,
					"subject": ("like", f"% {trace_name}"),
				},
			)
			frappe.db.delete(
				"Deleted Document", {"deleted_doctype": trace_doctype, "deleted_name": trace_name}
			)
		if doctype == "User":
			frappe.db.delete("DefaultValue", {"parent": name})
	if bulk_customers:
		frappe.db.delete("ECRM Customer Owner", {"parent": ("in", bulk_customers)})
		frappe.db.delete("ECRM Customer", {"name": ("in", bulk_customers)})


def new_salesperson(records: list, label: str, **fields):
	name = fields.pop("employee_name", f"_Test {label} {random_string(6)}")
	employee = make_salesperson(employee_name=name, **fields)
	records += [("User", employee.user), ("ECRM Employee", employee.name)]
	return employee


class HandoverTestCase(EntCRMTestCase):
	"""Salespeople A, B and C are made once per class (making a user is slow) and must not be changed
	by a test; a test that needs a changed salesperson makes its own with self.salesperson()."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.class_records = []
		cls.a, cls.b, cls.c = (new_salesperson(cls.class_records, label) for label in "ABC")
		frappe.db.commit()  # nosemgrep: shared by the class's tests, whose runs commit anyway; removed below

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		remove(cls.class_records)
		frappe.db.commit()  # nosemgrep: the removal of the class's salespeople
		super().tearDownClass()

	def setUp(self):
		super().setUp()
		self.created = []  # (doctype, name), in the order made
		self.bulk_customers = []

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()  # what was not committed
		remove(self.created, self.bulk_customers)  # what a run committed
		frappe.db.commit()  # nosemgrep: the removal of what the test's runs committed
		frappe.db.savepoint("ent_crm_test")  # EntCRMTestCase.tearDown rolls back to it
		super().tearDown()

	# --- records ---

	def user(self, **kw) -> str:
		user = make_user(**kw)
		self.created.append(("User", user))
		return user

	def salesperson(self, label: str, **fields):
		return new_salesperson(self.created, label, **fields)

	def customer(self, *owners, dated: str = OLD_DATE):
		doc = make_customer(owners=[o.name for o in owners])
		for row in doc.owners:
			row.db_set("assigned_on", dated, update_modified=False)
		self.created.append(("ECRM Customer", doc.name))
		return doc.name

	def handover(self, mode: str = "Revoke", to=None, giver=None, **fields):
		doc = frappe.get_doc(
			{
				"doctype": "ECRM Handover",
				"from_employee": (giver or self.a).name,
				"mode": mode,
				"to_employee": to.name if to else None,
				**fields,
			}
		).insert()
		self.created.append(("ECRM Handover", doc.name))
		return doc

	def execute(self, doc, **kw) -> int:
		return handover.run_handover(doc.name, **kw)

	# --- reading ---

	def owners(self, customer: str) -> list[str]:
		return frappe.get_all(
			"ECRM Customer Owner",
			filters={"parenttype": "ECRM Customer", "parent": customer},
			order_by="idx asc",
			pluck="employee",
		)

	def owner_row(self, customer: str, employee) -> frappe._dict:
		return frappe.db.get_value(
			"ECRM Customer Owner",
			{"parenttype": "ECRM Customer", "parent": customer, "employee": employee.name},
			OWNER_FIELDS,
			as_dict=True,
		)

	def owner_rows(self, customers: list[str], fields=OWNER_FIELDS) -> list:
		# qb, not frappe.get_all: v15's get_all silently drops "assigned_on" on a child table (it takes
		# the name for the optional column "_assign")
		owner = frappe.qb.DocType("ECRM Customer Owner")
		return (
			frappe.qb.from_(owner)
			.select(owner.parent, *[owner[f] for f in fields])
			.where((owner.parenttype == "ECRM Customer") & owner.parent.isin(customers))
			.orderby(owner.parent)
			.orderby(owner.idx)
			.run(as_dict=True)
		)

	def snapshot(self, customers: list[str]) -> dict:
		rows = self.owner_rows(customers, ["name", *OWNER_FIELDS])
		return {
			name: (
				frappe.db.get_value("ECRM Customer", name, ["owner_names", "modified"], as_dict=True),
				[row for row in rows if row.parent == name],
			)
			for name in customers
		}

	def status(self, doc) -> frappe._dict:
		return frappe.db.get_value(
			"ECRM Handover", doc.name, [*handover.RUN_FIELDS, "from_employee", "mode"], as_dict=True
		)


class TestRevoke(HandoverTestCase):
	def test_revoke_removes_a_from_every_customer(self):
		alone = self.customer(self.a)
		shared = self.customer(self.c, self.a)
		first = self.customer(self.a, self.b, self.c)
		self.assertEqual(customers_api.count_customers(self.a.name), 3)
		self.assertEqual(self.execute(self.handover()), 3)
		self.assertEqual(self.owners(alone), [])
		self.assertEqual(self.owners(shared), [self.c.name])
		self.assertEqual(self.owners(first), [self.b.name, self.c.name])
		self.assertEqual([r.idx for r in self.owner_rows([first])], [1, 2])  # no gap where A was
		self.assertEqual(customers_api.count_customers(self.a.name), 0)

	def test_revoke_leaves_a_sole_customer_without_owner_names(self):
		alone = self.customer(self.a)
		self.execute(self.handover())
		self.assertEqual(frappe.db.get_value("ECRM Customer", alone, "owner_names") or "", "")

	def test_revoke_is_the_default_and_ignores_a_receiver(self):
		doc = frappe.get_doc(
			{"doctype": "ECRM Handover", "from_employee": self.a.name, "to_employee": self.b.name}
		).insert()
		self.created.append(("ECRM Handover", doc.name))
		self.assertEqual((doc.mode, doc.to_employee, doc.status), ("Revoke", None, "Draft"))
		mine = self.customer(self.a)
		self.execute(doc)
		self.assertEqual(self.owners(mine), [])

	def test_only_as_customers_change(self):
		mine = self.customer(self.a)
		others = [self.customer(self.b), self.customer(self.c, self.b), self.customer()]
		before = self.snapshot(others)
		self.assertEqual(self.execute(self.handover()), 1)
		self.assertEqual(self.snapshot(others), before)
		self.assertEqual(self.owners(mine), [])


class TestTransfer(HandoverTestCase):
	def test_transfer_puts_b_in_as_place_dated_today(self):
		alone = self.customer(self.a)
		shared = self.customer(self.a, self.c)
		self.assertEqual(self.execute(self.handover("Transfer", self.b)), 2)
		self.assertEqual(self.owners(alone), [self.b.name])
		self.assertEqual(self.owners(shared), [self.b.name, self.c.name])  # B takes A's place in the order
		row = self.owner_row(alone, self.b)
		self.assertEqual(str(row.assigned_on), today())
		self.assertEqual((row.user, row.employee_name), (self.b.user, self.b.employee_name))
		self.assertEqual(str(self.owner_row(shared, self.c).assigned_on), OLD_DATE)  # C untouched

	def test_b_already_owner_just_loses_a(self):
		both = self.customer(self.b, self.a)
		self.execute(self.handover("Transfer", self.b))
		self.assertEqual(self.owners(both), [self.b.name])
		self.assertEqual(str(self.owner_row(both, self.b).assigned_on), OLD_DATE)  # B's own row kept

	def test_only_as_customers_change(self):
		mine = self.customer(self.a)
		others = [self.customer(self.b), self.customer(self.c), self.customer(self.c, self.b)]
		before = self.snapshot(others)
		self.execute(self.handover("Transfer", self.b))
		self.assertEqual(self.snapshot(others), before)
		self.assertEqual(self.owners(mine), [self.b.name])

	def test_owner_names_match_what_a_save_would_give(self):
		long_names = [
			self.salesperson(n, employee_name=f"_Test {n} " + "x" * 50 + random_string(6)) for n in "DE"
		]
		customers = [self.customer(self.c, self.a), self.customer(self.a), self.customer(*long_names, self.a)]
		self.execute(self.handover("Transfer", self.b))
		for name in customers:
			stored = frappe.db.get_value("ECRM Customer", name, "owner_names")
			doc = frappe.get_doc("ECRM Customer", name)
			ownership.set_owner_fields(doc)
			self.assertEqual(stored, doc.owner_names)
		self.assertEqual(
			frappe.db.get_value("ECRM Customer", customers[0], "owner_names"),
			f"{self.c.employee_name}, {self.b.employee_name}",
		)
		self.assertEqual(len(frappe.db.get_value("ECRM Customer", customers[2], "owner_names")), 140)

	def test_the_customers_move_from_as_list_to_bs(self):
		mine = self.customer(self.a)
		self.execute(self.handover("Transfer", self.b))
		with self.set_user(self.b.user):
			self.assertIn(mine, frappe.get_list("ECRM Customer", pluck="name"))
			self.assertTrue(frappe.has_permission("ECRM Customer", "write", doc=mine))
		with self.set_user(self.a.user):
			self.assertNotIn(mine, frappe.get_list("ECRM Customer", pluck="name"))

	def test_a_customer_saved_after_the_handover_keeps_its_owners(self):
		mine = self.customer(self.c, self.a)
		self.execute(self.handover("Transfer", self.b))
		doc = frappe.get_doc("ECRM Customer", mine)
		doc.remarks = "after the handover"
		doc.save()
		self.assertEqual(self.owners(mine), [self.c.name, self.b.name])


class TestAtomicity(HandoverTestCase):
	def test_failure_halfway_leaves_every_customer_as_before(self):
		customers = [self.customer(self.a) for _i in range(3)] + [
			self.customer(self.c, self.a) for _i in range(3)
		]
		customers.append(self.customer(self.b, self.a))
		untouched = [self.customer(self.b), self.customer(self.c)]
		before = self.snapshot(customers + untouched)
		doc = self.handover("Transfer", self.b)
		seen = []

		def fail_halfway(done, total):
			seen.append((done, total))
			changed = [name for name in customers if self.a.name not in self.owners(name)]
			self.assertEqual(len(changed), done)  # the chunks so far really are changed ...
			if done * 2 >= total:
				raise RuntimeError("disk full halfway")

		with patch.object(handover, "CHUNK_SIZE", 1), self.assertRaises(RuntimeError):
			self.execute(doc, on_progress=fail_halfway)

		self.assertEqual(seen, [(1, 7), (2, 7), (3, 7), (4, 7)])
		frappe.db.rollback()  # only what the run committed is left
		self.assertEqual(self.snapshot(customers + untouched), before)  # ... and all of it was undone
		record = self.status(doc)
		self.assertEqual((record.status, record.customers_affected), ("Failed", 0))
		self.assertIn("disk full halfway", record.error)
		self.assertIn("RuntimeError", record.error)
		self.assertTrue(record.finished_at)

	def test_a_failing_mail_routing_hook_rolls_the_customers_back(self):
		mine = self.customer(self.a)
		before = self.snapshot([mine])
		doc = self.handover()
		with patch.object(
			handover, "move_mail_routing", side_effect=frappe.ValidationError("routing broken")
		):
			with self.assertRaises(frappe.ValidationError):
				self.execute(doc)
		frappe.db.rollback()
		self.assertEqual(self.snapshot([mine]), before)
		self.assertEqual(self.status(doc).status, "Failed")
		self.assertIn("routing broken", self.status(doc).error)

	def test_a_failed_handover_can_be_started_again(self):
		mine = self.customer(self.a)
		doc = self.handover("Transfer", self.b)

		def fail(done, total):
			raise RuntimeError("network gone")

		with self.assertRaises(RuntimeError):
			self.execute(doc, on_progress=fail)
		self.assertEqual(customers_api.start_handover(doc.name), "Completed")
		record = self.status(doc)
		self.assertEqual((record.customers_affected, record.error), (1, None))
		self.assertEqual(self.owners(mine), [self.b.name])


class TestPermissions(HandoverTestCase):
	def test_a_salesperson_can_neither_create_nor_start_nor_count(self):
		mine = self.customer(self.a)
		doc = self.handover()
		self.assertFalse(frappe.has_permission("ECRM Handover", "create", user=self.b.user))
		self.assertFalse(frappe.has_permission("ECRM Handover", "read", user=self.b.user))
		with self.set_user(self.b.user):
			with self.assertRaises(frappe.PermissionError):
				frappe.get_doc({"doctype": "ECRM Handover", "from_employee": self.a.name}).insert()
			with self.assertRaises(frappe.PermissionError):
				customers_api.start_handover(doc.name)
			with self.assertRaises(frappe.PermissionError):
				customers_api.count_customers(self.a.name)
		self.assertEqual(self.status(doc).status, "Draft")
		self.assertEqual(self.owners(mine), [self.a.name])

	def test_managers_and_all_customers_hand_over(self):
		manager = self.user(profile=MANAGER)
		inspector = self.user(roles=[ALL_CUSTOMERS])
		for user in (manager, inspector):
			for ptype in ("create", "read", "write"):
				self.assertTrue(frappe.has_permission("ECRM Handover", ptype, user=user), f"{user} {ptype}")
		mine = self.customer(self.a)
		with self.set_user(inspector):
			doc = self.handover("Transfer", self.b)
			self.assertEqual(customers_api.count_customers(self.a.name), 1)
			self.assertEqual(customers_api.start_handover(doc.name), "Completed")
		self.assertEqual(self.owners(mine), [self.b.name])

	def test_start_refuses_a_completed_handover(self):
		self.customer(self.a)
		doc = self.handover()
		self.execute(doc)
		finished_at = self.status(doc).finished_at
		with self.assertRaises(frappe.ValidationError):
			customers_api.start_handover(doc.name)
		with self.assertRaises(frappe.ValidationError):
			self.execute(doc)
		record = self.status(doc)
		self.assertEqual((record.status, record.finished_at), ("Completed", finished_at))

	def test_nobody_deletes_a_completed_handover(self):
		draft = self.handover()
		frappe.delete_doc("ECRM Handover", draft.name)
		self.assertFalse(frappe.db.exists("ECRM Handover", draft.name))
		doc = self.handover()
		self.execute(doc)
		with self.assertRaises(frappe.ValidationError):
			frappe.delete_doc("ECRM Handover", doc.name)
		self.assertTrue(frappe.db.exists("ECRM Handover", doc.name))

	def test_a_started_handover_keeps_its_salespeople_and_mode(self):
		doc = self.handover()
		self.execute(doc)
		doc = frappe.get_doc("ECRM Handover", doc.name)
		doc.mode, doc.to_employee = "Transfer", self.b.name
		with self.assertRaises(frappe.ValidationError):
			doc.save()
		doc.reload()
		doc.remarks = "A left on Friday."
		doc.save()
		self.assertEqual(self.status(doc).mode, "Revoke")

	def test_the_record_cannot_be_forged(self):
		doc = self.handover(
			status="Completed", customers_affected=99, executed_by="Administrator", finished_at=now()
		)
		self.assertEqual(
			(doc.status, doc.customers_affected, doc.executed_by, doc.finished_at), ("Draft", 0, None, None)
		)
		doc.status, doc.customers_affected = "Completed", 5
		doc.save()
		self.assertEqual((self.status(doc).status, self.status(doc).customers_affected), ("Draft", 0))


class TestValidation(HandoverTestCase):
	def test_transfer_needs_a_receiver(self):
		with self.assertRaises(frappe.MandatoryError):
			self.handover("Transfer")

	def test_a_cannot_hand_over_to_themselves(self):
		with self.assertRaises(frappe.ValidationError):
			self.handover("Transfer", self.a)

	def test_the_receiver_is_an_in_service_salesperson(self):
		gone = self.salesperson("Gone")
		gone.status = "Left Company"
		gone.save()
		clerk = self.salesperson("Clerk")
		clerk.is_salesperson = 0
		clerk.save()
		for receiver in (gone, clerk):
			with self.assertRaises(frappe.ValidationError):
				self.handover("Transfer", receiver)

	def test_start_refuses_when_the_receiver_has_left_since(self):
		mine = self.customer(self.a)
		doc = self.handover("Transfer", self.b)
		frappe.db.set_value("ECRM Employee", self.b.name, "status", "Left Company")
		with self.assertRaises(frappe.ValidationError):
			customers_api.start_handover(doc.name)
		self.assertEqual(self.status(doc).status, "Draft")
		self.assertEqual(self.owners(mine), [self.a.name])

	def test_a_who_has_left_can_still_be_handed_over(self):
		gone = self.salesperson("Gone")
		gone.status = "Left Company"
		gone.save()
		mine = self.customer(gone)
		self.execute(self.handover("Transfer", self.b, giver=gone))
		self.assertEqual(self.owners(mine), [self.b.name])


class TestRecord(HandoverTestCase):
	def test_the_record_of_a_run(self):
		manager = self.user(profile=MANAGER)
		customers = [self.customer(self.a), self.customer(self.c, self.a), self.customer(self.b, self.a)]
		doc = self.handover("Transfer", self.b)
		with self.set_user(manager):
			self.assertEqual(customers_api.count_customers(self.a.name), 3)
			started = get_datetime(now())
			self.assertEqual(customers_api.start_handover(doc.name), "Completed")
		record = self.status(doc)
		self.assertEqual(
			(record.status, record.customers_affected, record.executed_by), ("Completed", 3, manager)
		)
		self.assertIsNone(record.error)
		self.assertLessEqual(started.replace(microsecond=0), get_datetime(record.started_at))
		self.assertLessEqual(get_datetime(record.started_at), get_datetime(record.finished_at))
		self.assertTrue(all(self.a.name not in self.owners(name) for name in customers))
		self.assertEqual(customers_api.count_customers(self.a.name), 0)

	def test_a_handover_with_no_customers_completes_with_zero(self):
		doc = self.handover()
		self.assertEqual(customers_api.start_handover(doc.name), "Completed")
		self.assertEqual(self.status(doc).customers_affected, 0)

	def test_progress_and_the_mail_routing_hook(self):
		for _i in range(5):
			self.customer(self.a)
		doc = self.handover("Transfer", self.b)
		with (
			patch.object(handover, "CHUNK_SIZE", 2),
			patch("frappe.publish_progress") as progress,
			patch.object(handover, "move_mail_routing") as routing,
		):
			self.execute(doc)
		percents = [call.args[0] for call in progress.call_args_list]
		self.assertEqual([round(p) for p in percents], [40, 80, 100])
		self.assertTrue(all(p > 0 for p in percents))
		routing.assert_called_once_with(self.a.name, self.b.name, "Transfer")

	def test_the_job_goes_to_the_long_queue_once(self):
		doc = self.handover()
		with patch("frappe.enqueue") as enqueue:
			self.assertEqual(customers_api.start_handover(doc.name), "Queued")
		kwargs = enqueue.call_args.kwargs
		self.assertEqual(enqueue.call_args.args, ("ent_crm.customers.handover.run_handover",))
		self.assertEqual((kwargs["queue"], kwargs["name"], kwargs["deduplicate"]), ("long", doc.name, True))
		self.assertIn(doc.name, kwargs["job_id"])
		self.assertTrue(kwargs["now"])
		with self.assertRaises(frappe.ValidationError):  # queued: not again
			customers_api.start_handover(doc.name)


class TestScale(HandoverTestCase):
	def test_thousands_of_customers_in_a_few_chunks(self):
		total = 1200
		stamp = add_days(now(), -30)
		names = [f"_TestHO-{random_string(10)}" for _i in range(total)]
		self.bulk_customers = names
		frappe.db.bulk_insert(
			"ECRM Customer",
			[
				"name",
				"customer_name",
				"region",
				"owner_names",
				"creation",
				"modified",
				"owner",
				"modified_by",
			],
			[
				(n, n, "Hamburg", self.a.employee_name, stamp, stamp, "Administrator", "Administrator")
				for n in names
			],
		)
		frappe.db.bulk_insert(
			"ECRM Customer Owner",
			[
				"name",
				"parent",
				"parenttype",
				"parentfield",
				"idx",
				"employee",
				"user",
				"employee_name",
				"assigned_on",
				"creation",
				"modified",
				"owner",
				"modified_by",
			],
			[
				(
					frappe.generate_hash(length=12),
					n,
					"ECRM Customer",
					"owners",
					1,
					self.a.name,
					self.a.user,
					self.a.employee_name,
					OLD_DATE,
					stamp,
					stamp,
					"Administrator",
					"Administrator",
				)
				for n in names
			],
		)
		doc = self.handover("Transfer", self.b)
		with patch("frappe.publish_progress") as progress:
			self.assertEqual(self.execute(doc), total)
		self.assertEqual(progress.call_count, -(-total // handover.CHUNK_SIZE))
		moved = self.owner_rows(names, ["employee", "assigned_on"])
		self.assertEqual(len(moved), total)
		self.assertEqual({(r.employee, str(r.assigned_on)) for r in moved}, {(self.b.name, today())})
		owner_names = frappe.get_all("ECRM Customer", filters={"name": ("in", names)}, pluck="owner_names")
		self.assertEqual(set(owner_names), {self.b.employee_name})
