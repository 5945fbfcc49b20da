"""Handover by salesperson (G6): when salesperson A leaves, all of A's customers change hands at once.

Revoke (the default) removes A from the owners of every customer A owns; customers A owned alone are left
with no owner. Transfer puts salesperson B in A's place, dated today; where B already owns the customer,
A's row is simply removed.

A manager saves an ECRM Handover and starts it (`start_handover`); the work runs in a background job
(`run_handover`) on the long queue. The job changes the owner rows in bulk, a chunk of customers at a
time, and reports its progress through Frappe's progress bar. It is all or nothing: if anything fails,
every change it made is rolled back and only the handover's status (Failed, with the error) is kept.
"""

from collections import defaultdict
from collections.abc import Callable

import frappe
from frappe import _
from frappe.query_builder import Case
from frappe.utils import now, strip_html, today

from ent_crm.core import events
from ent_crm.core.rights import sees_all_customers

HANDOVER = "ECRM Handover"
CUSTOMER = "ECRM Customer"
STARTABLE = ("Draft", "Failed")  # a handover can be started, edited and deleted only in these states
RUN_FIELDS = ("status", "customers_affected", "started_at", "finished_at", "executed_by", "error")
CHUNK_SIZE = 500  # customers changed (and progress published) per step
SAVEPOINT = "ecrm_handover"
OWNER_NAMES_LENGTH = 140  # as ent_crm.customers.ownership.set_owner_fields


# --- the form's actions (ent_crm.customers.api checks the caller first) ------------------------------


def count_customers(employee: str) -> int:
	"""How many customers `employee` owns, i.e. how many a handover of theirs would change."""
	return len(customers_of(employee))


def start_handover(name: str) -> str:
	"""Queue the handover `name` (Draft or Failed) for the background job; returns its new status."""
	status = frappe.db.get_value(HANDOVER, name, "status", for_update=True)
	if status not in STARTABLE:
		frappe.throw(
			_("Handover {0} is {1}; only a draft or a failed handover can be started.").format(
				name, _(status)
			),
			title=_("Cannot Start Handover"),
		)
	doc = frappe.get_doc(HANDOVER, name)
	validate_salespeople(doc)  # the receiver may have left since the draft was saved
	doc.db_set(
		{
			"status": "Queued",
			"executed_by": frappe.session.user,
			"customers_affected": 0,
			"started_at": None,
			"finished_at": None,
			"error": None,
		},
		notify=True,
	)
	frappe.enqueue(
		"ent_crm.customers.handover.run_handover",
		queue="long",
		timeout=3600,
		job_id=f"ecrm-handover::{name}",
		deduplicate=True,
		enqueue_after_commit=True,
		now=frappe.flags.in_test,
		name=name,
	)
	return frappe.db.get_value(HANDOVER, name, "status")


def check_may_hand_over(name: str | None = None) -> None:
	"""Only managers (and holders of ECRM All Customers) hand customers over; `name`: may write it too."""
	allowed = sees_all_customers() and (
		frappe.has_permission(HANDOVER, "write", doc=name)
		if name
		else frappe.has_permission(HANDOVER, "read")
	)
	if not allowed:
		frappe.throw(
			_("Only a manager can hand over a salesperson's customers."),
			frappe.PermissionError,
			title=_("Not Permitted"),
		)


# --- the background job ------------------------------------------------------------------------------


def run_handover(name: str, on_progress: Callable[[int, int], None] | None = None) -> int:
	"""Carry out the handover `name` in one transaction; returns the number of customers changed.

	`on_progress(done, total)` is called after every chunk (tests use it to fail halfway). On any error
	everything the run changed is rolled back, the handover is recorded as Failed with the error (that
	alone is committed) and the error is raised again, so that the job log has it too.
	"""
	status = frappe.db.get_value(HANDOVER, name, "status", for_update=True)
	if status in ("Running", "Completed"):
		frappe.throw(_("Handover {0} is {1} and cannot be run again.").format(name, _(status)))
	doc = frappe.get_doc(HANDOVER, name)
	doc.db_set(
		{
			"status": "Running",
			"executed_by": doc.executed_by or frappe.session.user,
			"customers_affected": 0,
			"started_at": now(),
			"finished_at": None,
			"error": None,
		},
		notify=True,
	)
	frappe.db.commit()  # nosemgrep: the form shows that the run has started; the work below is one transaction

	frappe.db.savepoint(SAVEPOINT)
	try:
		affected = hand_over(doc, on_progress)
	except Exception as e:
		frappe.db.rollback(save_point=SAVEPOINT)
		doc.db_set(
			{"status": "Failed", "customers_affected": 0, "finished_at": now(), "error": describe_error(e)},
			notify=True,
		)
		frappe.db.commit()  # nosemgrep: keep the record of the failure, nothing else
		raise
	doc.db_set({"status": "Completed", "customers_affected": affected, "finished_at": now()}, notify=True)
	frappe.db.commit()  # nosemgrep: the handover is done
	return affected


def hand_over(doc, on_progress: Callable[[int, int], None] | None = None) -> int:
	"""Change the owners of all customers of `doc.from_employee`; no commit here."""
	validate_salespeople(doc)
	giver = doc.from_employee
	receiver = None
	if doc.mode == "Transfer":
		receiver = frappe.db.get_value(
			"ECRM Employee", doc.to_employee, ["name", "user", "employee_name"], as_dict=True
		)
	customers = customers_of(giver, lock=True)
	total = len(customers)
	stamp = {"modified": now(), "modified_by": frappe.session.user}
	done = 0
	for start in range(0, total, CHUNK_SIZE):
		chunk = customers[start : start + CHUNK_SIZE]
		if receiver:
			transfer_owner_rows(chunk, giver, receiver, stamp)
		else:
			delete_owner_rows(chunk, giver)
		refresh_owner_names(chunk, stamp)
		done += len(chunk)
		frappe.publish_progress(
			done * 100 / total,
			title=_("Handover {0}").format(doc.name),
			description=_("{0} of {1} customers handed over").format(done, total),
		)
		if on_progress:
			on_progress(done, total)
	move_mail_routing(giver, receiver.name if receiver else None, doc.mode)
	return total


def move_mail_routing(from_employee: str, to_employee: str | None, mode: str) -> None:
	"""The salesperson's address routing rules and stranger mail go with the customers (G6): to
	`to_employee` on "Transfer", back to the unassigned queue on "Revoke". Called inside the handover's
	transaction, so an error here rolls the whole handover back."""
	events.emit("ecrm_routing_handed_over", from_employee, to_employee if mode == "Transfer" else None)


# --- bulk changes ------------------------------------------------------------------------------------


def owner_rows(employee: str):
	"""The qb condition for `employee`'s rows in the customers' owners table."""
	owner = frappe.qb.DocType("ECRM Customer Owner")
	return (owner.parenttype == CUSTOMER) & (owner.parentfield == "owners") & (owner.employee == employee)


def customers_of(employee: str, lock: bool = False) -> list[str]:
	"""The customers `employee` owns, in one query; `lock` holds them against concurrent saves."""
	if not employee:
		return []
	customer = frappe.qb.DocType(CUSTOMER)
	owner = frappe.qb.DocType("ECRM Customer Owner")
	query = (
		frappe.qb.from_(customer)
		.select(customer.name)
		.where(customer.name.isin(frappe.qb.from_(owner).select(owner.parent).where(owner_rows(employee))))
		.orderby(customer.name)
	)
	if lock:
		query = query.for_update()
	return query.run(pluck=True)


def delete_owner_rows(customers: list[str], employee: str) -> None:
	owner = frappe.qb.DocType("ECRM Customer Owner")
	frappe.qb.from_(owner).delete().where(owner_rows(employee) & owner.parent.isin(customers)).run()


def transfer_owner_rows(customers: list[str], giver: str, receiver, stamp: dict) -> None:
	"""Put `receiver` in `giver`'s row, dated today; where the receiver already owns the customer, drop
	the giver's row instead."""
	owner = frappe.qb.DocType("ECRM Customer Owner")
	already = set(
		frappe.qb.from_(owner)
		.select(owner.parent)
		.where(owner_rows(receiver.name) & owner.parent.isin(customers))
		.run(pluck=True)
	)
	if already:
		delete_owner_rows(list(already), giver)
	rest = [name for name in customers if name not in already]
	if rest:
		(
			frappe.qb.update(owner)
			.set(owner.employee, receiver.name)
			.set(owner.user, receiver.user)
			.set(owner.employee_name, receiver.employee_name)
			.set(owner.assigned_on, today())
			.set(owner.modified, stamp["modified"])
			.set(owner.modified_by, stamp["modified_by"])
			.where(owner_rows(giver) & owner.parent.isin(rest))
			.run()
		)


def refresh_owner_names(customers: list[str], stamp: dict) -> None:
	"""Recompute the list column 'Owned By' of `customers`, as ent_crm.customers.ownership.set_owner_fields does,
	and renumber their owner rows where a removed row left a gap."""
	owner = frappe.qb.DocType("ECRM Customer Owner")
	employee = frappe.qb.DocType("ECRM Employee")
	rows = (
		frappe.qb.from_(owner)
		.left_join(employee)
		.on(employee.name == owner.employee)
		.select(
			owner.name,
			owner.idx,
			owner.parent,
			owner.employee,
			owner.employee_name,
			employee.employee_name.as_("current_name"),
		)
		.where(
			(owner.parenttype == CUSTOMER) & (owner.parentfield == "owners") & owner.parent.isin(customers)
		)
		.orderby(owner.parent)
		.orderby(owner.idx)
		.run(as_dict=True)
	)
	names = {name: {} for name in customers}  # customer -> {employee: display name}, in row order
	for row in rows:
		names[row.parent].setdefault(row.employee, row.current_name or row.employee_name or row.employee)
	close_idx_gaps(rows)
	by_value = defaultdict(list)
	for name, owners in names.items():
		by_value[", ".join(owners.values())[:OWNER_NAMES_LENGTH]].append(name)
	customer = frappe.qb.DocType(CUSTOMER)
	for value, group in by_value.items():
		(
			frappe.qb.update(customer)
			.set(customer.owner_names, value)
			.set(customer.modified, stamp["modified"])
			.set(customer.modified_by, stamp["modified_by"])
			.where(customer.name.isin(group))
			.run()
		)


def close_idx_gaps(rows: list) -> None:
	"""Number each customer's owner rows 1, 2, 3… again after a row was removed (one UPDATE)."""
	owner = frappe.qb.DocType("ECRM Customer Owner")
	positions = defaultdict(int)
	renumber = {}  # owner row -> its new idx
	for row in rows:  # ordered by customer, then idx
		positions[row.parent] += 1
		if row.idx != positions[row.parent]:
			renumber[row.name] = positions[row.parent]
	if not renumber:
		return
	new_idx = Case()
	for row_name, idx in renumber.items():
		new_idx = new_idx.when(owner.name == row_name, idx)
	frappe.qb.update(owner).set(owner.idx, new_idx).where(owner.name.isin(list(renumber))).run()


# --- rules shared with the form (ECRMHandover) -------------------------------------------------------


def validate_handover(doc) -> None:
	"""Called by the controller on every save."""
	protect_run_fields(doc)
	before = doc.get_doc_before_save()
	if before and before.status not in STARTABLE:
		for field in ("from_employee", "mode", "to_employee"):
			if doc.get(field) != before.get(field):
				frappe.throw(
					_(
						"Handover {0} has already been started; its salespeople and mode can no longer be changed."
					).format(doc.name),
					title=_("Handover Started"),
				)
		return
	if doc.mode != "Transfer":
		doc.to_employee = None
	validate_salespeople(doc)


def protect_run_fields(doc) -> None:
	"""The status and the run's record are written by start_handover and the job only, never by a form,
	an import or the REST API."""
	before = None if doc.is_new() else doc.get_doc_before_save()
	for field in RUN_FIELDS:
		doc.set(field, before.get(field) if before else None)
	if not before:
		doc.status = "Draft"
		doc.customers_affected = 0


def validate_salespeople(doc) -> None:
	if doc.mode != "Transfer":
		return
	if not doc.to_employee:
		frappe.throw(_("Choose the salesperson who takes over the customers."), frappe.MandatoryError)
	if doc.to_employee == doc.from_employee:
		frappe.throw(_("A salesperson cannot hand their customers over to themselves."))
	receiver = frappe.db.get_value(
		"ECRM Employee", doc.to_employee, ["employee_name", "status", "is_salesperson"], as_dict=True
	)
	if not receiver or receiver.status != "In Service" or not receiver.is_salesperson:
		frappe.throw(
			_("{0} is not an in-service salesperson and cannot take over customers.").format(
				receiver.employee_name if receiver else doc.to_employee
			),
			title=_("Invalid Receiver"),
		)


def check_deletable(doc) -> None:
	if doc.status not in STARTABLE:
		frappe.throw(
			_(
				"Handover {0} is {1} and cannot be deleted; it is the record of who handed over which customers."
			).format(doc.name, _(doc.status)),
			title=_("Cannot Delete Handover"),
		)


def describe_error(error: Exception) -> str:
	message = strip_html(str(error)).strip()
	return f"{type(error).__name__}: {message}" if message else type(error).__name__
