"""The CRM's mailboxes: Frappe's Email Account, receiving through ent_crm.mail.inbound.

Only accounts marked as a CRM mailbox (custom field ecrm_mailbox_kind) change behaviour:
- every message is routed by its From address (ent_crm.mail.inbound.receive_raw);
- a message Frappe cannot parse is kept whole in the failure queue instead of being lost with its batch;
- no copy of inbound mail is e-mailed to record owners or assignees, and no contacts are auto-created;
- IMAP sync is "ALL" (UNSEEN would miss mail someone already opened in webmail). The CRM reads each folder
  itself: after the highest message number (UID) it handled in that folder — stored, kept as a failure, or
  recognised as a mail it already had (ECRM Mail Copy), so that duplicates never hold a mailbox back; from
  the start again when the server renumbered the folder (UIDVALIDITY changed); and one pull keeps fetching
  batches of 100 until the mailbox is read up to date. Only valid searches are built (never `UID 0:*`).
- one pull per mailbox at a time (a MariaDB named lock): a second one ("receive now" during the scheduled
  pull, a second worker) leaves the mailbox to the first;
- a mail that can neither be stored nor kept in the failure queue stops the pull of its folder before it:
  the folder's progress stays below it, so the next pull reads it again, and the mailbox's
  `last_pull_error` (and an Error Log) say why, for the mail admin.
"""

import hashlib
import re

import frappe
from frappe import _
from frappe.email.doctype.email_account.email_account import EmailAccount

from ent_crm.mail.health import recorded_pull
from ent_crm.mail.inbound import receive_raw

MAX_BATCHES_PER_PULL = 50
BATCH_SIZE = 100
STATUS_NUMBER = re.compile(rb"(UIDVALIDITY|UIDNEXT) (\d+)", re.I)
FETCH_FLAGS = re.compile(rb"FLAGS \(([^)]*)\)", re.I)


class ECRMEmailAccount(EmailAccount):
	def validate(self):
		if self.get("ecrm_mailbox_kind"):
			self.create_contact = 0
			if self.use_imap:
				self.email_sync_option = "ALL"
		super().validate()

	@recorded_pull  # mailbox health: each pull's outcome, for mail admins (ent_crm.mail.health)
	def receive(self):
		if not self.get("ecrm_mailbox_kind"):
			return super().receive()
		with pull_lock(self.name) as locked:
			if not locked:
				# another pull of this mailbox is running: it reads the same mail, and records the outcome
				self.flags.ecrm_pull_skipped = True
				return
			try:
				stopped = self.receive_batches()
			except Exception as error:
				frappe.db.rollback()
				self.set_pull_error(
					_("The mailbox could not be read: {0}").format(str(error) or error.__class__.__name__)
				)
				raise
			problems = self.flags.get("ecrm_folder_problems")
			if problems and not stopped:
				# a configured folder the server cannot open (renamed, deleted, mistyped) is an error a person
				# must see, though the other folders were read
				stopped = _("These folders could not be read: {0}").format("; ".join(problems))
				self.set_pull_error(stopped)
			self.flags.ecrm_pull_stopped = stopped  # for whoever records the pull's outcome (mailbox health)
			if not stopped and self.get("last_pull_error"):
				self.set_pull_error(None)

	def receive_batches(self) -> str | None:
		"""Fetch and route batches until the mailbox is read up to date; returns the error that stopped a
		folder early, if one did."""
		stopped = None
		for _batch in range(MAX_BATCHES_PER_PULL):
			messages = self.fetch_raw_messages()
			blocked = set()
			for raw, uid, seen, folder in messages:
				if folder in blocked:
					continue  # read again next time, after the mail that stopped its folder
				try:
					receive_raw(raw, self, uid=uid, seen_status=seen, folder=folder)
					frappe.db.commit()  # nosemgrep: one mail at a time, as Frappe's own receive does
				except Exception:
					frappe.db.rollback()
					self.log_error(title="ent_crm receive")
					blocked.add(folder)
					stopped = _(
						"The pull stopped before mail number {0} in folder {1}: it could be neither stored nor kept in the failure queue, so it will be read again on the next pull. See the Error Log for details."
					).format(uid or "?", folder or _("Inbox"))
					self.set_pull_error(stopped)
			if blocked or self.fetched_all:
				break
			self.reload()  # the folders' UIDVALIDITY as this batch left them
		return stopped

	def set_pull_error(self, text: str | None) -> None:
		if not frappe.get_meta("Email Account").has_field("last_pull_error"):
			return
		self.db_set("last_pull_error", text, update_modified=False, commit=True)

	def fetch_raw_messages(self) -> list[tuple[bytes, str | None, int, str | None]]:
		"""One batch (at most 100 per folder) of raw messages, without parsing them here: a malformed
		message must not take its whole batch down."""
		self.fetched_all = True
		if not self.enable_incoming:
			return []
		if not self.use_imap:
			return self.fetch_pop3()
		raw_messages = []
		server = self.get_incoming_server(in_receive=True, email_sync_rule="ALL")
		try:
			for folder in list(self.imap_folder):
				raw_messages += self.fetch_folder(server.imap, folder)
		finally:
			server.logout()
		return raw_messages

	def fetch_pop3(self) -> list:
		server = self.get_incoming_server(in_receive=True, email_sync_rule=self.build_email_sync_rule())
		try:
			messages = server.get_messages() or {}
		finally:
			server.logout()
		found = messages.get("latest_messages") or []
		self.fetched_all = len(found) < BATCH_SIZE
		return [(raw, None, 0, None) for raw in found]

	def fetch_folder(self, imap, folder) -> list:
		"""The next messages of one IMAP folder, by UID, after the last one the CRM handled there."""
		name = folder.folder_name
		quoted = quote_folder(name)
		status, data = imap.status(quoted, "(UIDVALIDITY UIDNEXT)")
		if status != "OK":
			self.log_error(title="ent_crm receive", message=f"STATUS {name}: {data!r}")
			self.folder_problem(name, data)
			return []
		numbers = {
			k.upper(): int(v)
			for k, v in STATUS_NUMBER.findall(b" ".join(d for d in data if isinstance(d, bytes)))
		}
		validity, uidnext = numbers.get(b"UIDVALIDITY"), numbers.get(b"UIDNEXT", 1)
		start = self.folder_start(folder, validity, uidnext)
		status, data = imap.select(quoted, readonly=True)
		if status != "OK":
			self.folder_problem(name, data)
			return []
		status, data = imap.uid("search", None, f"UID {start}:*")
		if status != "OK":
			self.log_error(title="ent_crm receive", message=f"UID SEARCH {name} from {start}: {data!r}")
			return []
		# "UID n:*" also answers the highest message when n is above it: keep only what is new
		uids = sorted(u for u in (int(x) for x in (data[0] or b"").split()) if u >= start)
		if len(uids) > BATCH_SIZE:
			self.fetched_all = False
		found = []
		for uid in uids[:BATCH_SIZE]:
			status, data = imap.uid("fetch", str(uid), "(FLAGS BODY.PEEK[])")
			parts = [d for d in data or [] if isinstance(d, tuple)]
			if status != "OK" or not parts:
				self.log_error(title="ent_crm receive", message=f"UID FETCH {uid} in {name}: {data!r}")
				break  # read again next time
			flags = FETCH_FLAGS.search(parts[0][0])
			seen = 1 if flags and b"\\seen" in flags.group(1).lower() else 0
			found.append((parts[0][1], str(uid), seen, name))
		return found

	def folder_problem(self, name: str, answer) -> None:
		"""Note a folder the server would not open, with its answer, for the pull's outcome."""
		text = b" ".join(a for a in answer or [] if isinstance(a, bytes)).decode("utf-8", "replace")
		problems = self.flags.ecrm_folder_problems = self.flags.get("ecrm_folder_problems") or []
		entry = f"{name} ({text.strip()[:200]})" if text.strip() else name
		if entry not in problems:
			problems.append(entry)

	def folder_start(self, folder, validity: int | None, uidnext: int) -> int:
		"""The first UID to read in `folder`: after the last one handled; from the start when the server
		renumbered the folder; the last `initial_sync_count` messages the first time the CRM reads it."""
		name = folder.folder_name
		stored = str(folder.uidvalidity or "").strip()
		last = folder_last_uid(self.name, name)
		if stored and validity is not None and stored != str(validity):
			forget_folder_numbers(
				self.name, name
			)  # renumbered: read it all again, the known mail is recognised
			last, start = 0, 1
		elif not stored and not last:
			start = max(1, uidnext - int(self.initial_sync_count or 100))
		else:
			start = last + 1
		if validity is not None and stored != str(validity):
			frappe.db.set_value(
				"IMAP Folder",
				folder.name,
				{"uidvalidity": str(validity), "uidnext": uidnext},
				update_modified=False,
			)
			folder.uidvalidity = str(validity)
			frappe.db.commit()  # nosemgrep: the folder's numbering is known from now on
		return max(1, start)

	def folder_sync_rule(self, folder: str | None) -> str:
		"""The IMAP search of the next pull of `folder` (always a valid one)."""
		if not self.use_imap or not folder:
			return self.build_email_sync_rule()
		return f"UID {folder_last_uid(self.name, folder) + 1}:*"


def folder_last_uid(account: str, folder: str | None) -> int:
	"""The highest UID the CRM handled in this folder: a stored mail, a kept failure, or a mail it had."""
	last = frappe.db.sql(
		"""select greatest(
			coalesce((select max(imap_uid) from `tabECRM Mail` where email_account = %(account)s and imap_folder = %(folder)s), 0),
			coalesce((select max(imap_uid) from `tabECRM Mail Copy` where email_account = %(account)s and imap_folder = %(folder)s), 0),
			coalesce((select max(cast(uid as unsigned)) from `tabECRM Mail Failure` where email_account = %(account)s and imap_folder = %(folder)s), 0))""",
		{"account": account, "folder": folder},
	)[0][0]
	return max(int(last or 0), 0)


def forget_folder_numbers(account: str, folder: str | None) -> None:
	frappe.db.sql(
		"update `tabECRM Mail` set imap_uid = 0 where email_account = %s and imap_folder = %s",
		(account, folder),
	)
	frappe.db.sql(
		"update `tabECRM Mail Copy` set imap_uid = 0 where email_account = %s and imap_folder = %s",
		(account, folder),
	)
	frappe.db.sql(
		"update `tabECRM Mail Failure` set uid = null where email_account = %s and imap_folder = %s",
		(account, folder),
	)


def quote_folder(name: str) -> str:
	return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


class pull_lock:
	"""A MariaDB named lock on one mailbox for the length of a pull (held by the connection, so it is
	released should the worker die); `with pull_lock(name) as locked:` — False when another pull holds it."""

	def __init__(self, account: str, timeout: int = 0):
		digest = hashlib.sha1(f"{frappe.local.site}|{account}".encode()).hexdigest()[:32]
		self.name, self.timeout, self.locked = f"ecrm_pull_{digest}", timeout, False

	def __enter__(self) -> bool:
		self.locked = bool(frappe.db.sql("select get_lock(%s, %s)", (self.name, self.timeout))[0][0])
		return self.locked

	def __exit__(self, *exc) -> None:
		if self.locked:
			frappe.db.sql("select release_lock(%s)", (self.name,))
