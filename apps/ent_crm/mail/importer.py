"""Importing old mail exported as .eml files from Outlook or Foxmail (C5).

The decision is the live one: ent_crm.mail.lookups reads the same facts about the senders (for a whole
batch in one query) and ent_crm.mail.routing decides. The storage is batched: one query per batch for
duplicates, and bulk inserts of Communications, their timeline links and ECRM Mail rows, so that years of
mail import in minutes. Importing the same files again adds nothing (the Message-ID, or the fingerprint
of a mail without one, is the key).
"""

import io
import zipfile
from collections.abc import Iterable, Iterator

import frappe
from frappe import _
from frappe.utils import escape_html
from frappe.utils.html_utils import sanitize_html

from ent_crm.core.addresses import normalise
from ent_crm.core.rights import employee_of, is_mail_admin
from ent_crm.mail import headers, routing
from ent_crm.mail.inbound import (
	NO_SENDER,
	CRMInboundMail,
	attach_raw,
	bulk_insert,
	mail_row,
	match_stored,
	record_copy,
	record_failure,
)
from ent_crm.mail.lookups import SenderLookup

BATCH = 200
MAIL = "ECRM Mail"


def eml_files_in_zip(data: bytes) -> Iterator[tuple[str, bytes]]:
	with zipfile.ZipFile(io.BytesIO(data)) as archive:
		for info in archive.infolist():
			if not info.is_dir() and info.filename.lower().endswith(".eml"):
				yield info.filename, archive.read(info)


def import_messages(
	messages: Iterable[tuple[str, bytes]],
	account,
	part: str = "Inbox",
	followed: bool = False,
	progress=None,
	total: int = 0,
) -> dict:
	"""Import (file name, raw bytes) pairs into `account`; returns counts. Does not commit."""
	counts = {"imported": 0, "duplicates": 0, "failed": 0}
	batch: list[tuple[str, bytes]] = []
	done = 0
	for item in messages:
		batch.append(item)
		if len(batch) >= BATCH:
			add_counts(counts, import_batch(batch, account, part, followed))
			done += len(batch)
			batch = []
			if progress:
				progress(done, total)
	if batch:
		add_counts(counts, import_batch(batch, account, part, followed))
		done += len(batch)
		if progress:
			progress(done, total)
	return counts


def add_counts(counts: dict, more: dict) -> None:
	for key, value in more.items():
		counts[key] += value


def import_batch(batch: list[tuple[str, bytes]], account, part: str, followed: bool) -> dict:
	counts = {"imported": 0, "duplicates": 0, "failed": 0}
	parsed, seen_keys = [], set()
	outbound = part == "Sent"
	for file_name, raw in batch:
		message = headers.parse(raw)
		key, legacy = headers.dedup_key(message, raw), headers.legacy_dedup_key(message, raw)
		if outbound and headers.message_id(message):
			key = legacy  # the company's own sent mail is keyed by its bare Message-ID, as the CRM's sent mail is
		parsed.append((file_name, raw, message, key, legacy))
	keys = list({k for p in parsed for k in p[3:5]})
	stored = (
		frappe.get_all(
			MAIL,
			filters={"dedup_key": ("in", keys)},
			fields=["name", "dedup_key", "sender", "subject", "direction"],
		)
		if keys
		else []
	)
	items = []
	for file_name, raw, message, key, legacy in parsed:
		existing, _reused_id = match_stored(
			[r for r in stored if r.dedup_key in (key, legacy)], message, key, legacy
		)
		if existing or key in seen_keys:
			if existing:
				record_copy(existing, account)  # a personal mailbox importing company mail: its owner sees it
			counts["duplicates"] += 1
			continue
		seen_keys.add(key)
		try:
			items.append(build_item(raw, message, key, account, outbound))
		except Exception:
			record_failure(
				raw, account, key, None, f"{file_name}\n{frappe.get_traceback(with_context=False)}"
			)
			counts["failed"] += 1
	lookups = SenderLookup([i["counterpart"] for i in items], account)  # the live lookup, for the batch
	comms, links, mails = [], [], []
	for item in items:
		route = (
			lookups.route(item["counterpart"])
			if not outbound
			else lookups.route_outbound(item["counterpart"])
		)
		queue = route.queue
		if outbound or (followed and queue != routing.RECYCLE_BIN):
			queue = "Handled"
		comms.append(item["communication"])
		if route.reference_name:
			links.append(
				{
					"name": frappe.generate_hash(length=10),
					"parent": item["communication"]["name"],
					"parenttype": "Communication",
					"parentfield": "timeline_links",
					"idx": 1,
					"link_doctype": route.reference_doctype,
					"link_name": route.reference_name,
					"link_title": route.contact_name,
				}
			)
		row = mail_row(
			message=item["message"],
			sender=item["sender"],
			sender_name=item["sender_name"],
			received_at=item["communication"]["communication_date"],
			direction="Outbound" if outbound else "Inbound",
			queue=queue,
			route=route,
			account=account,
			communication=item["communication"]["name"],
			key=item["key"],
		)
		row["route_reason"] = "imported: " + route.reason
		mails.append(row)
	bulk_insert("Communication", comms)
	bulk_insert("Communication Link", links)
	bulk_insert(MAIL, mails)
	for item, comm, mail in zip(items, comms, mails):
		if item["attachments"]:
			save_attachments(item, comm["name"], mail["name"])
	counts["imported"] += len(mails)
	return counts


def build_item(raw: bytes, message, key: str, account, outbound: bool) -> dict:
	sender, sender_name = headers.from_address(message)
	parsed = CRMInboundMail(raw if sender else NO_SENDER + raw, account)
	if outbound:
		recipients = headers.header_text(message, "To")
		counterpart = normalise(parsed_first_address(recipients))
	else:
		counterpart = sender
	content = parsed.content or ""
	content = (
		sanitize_html(content)
		if parsed.content_type == "text/html"
		else escape_html(content).replace("\n", "<br>")
	)
	name = frappe.generate_hash(length=10)
	return {
		"key": key,
		"counterpart": counterpart,
		"sender": sender,
		"sender_name": (sender_name or "")[:255] or None,
		"raw": raw,
		"message": message,
		"attachments": parsed.attachments,
		"cid_map": parsed.cid_map,
		"communication": {
			"name": name,
			"subject": (parsed.subject or "No Subject")[:140],
			"content": content,
			"text_content": parsed.text_content,
			"sent_or_received": "Sent" if outbound else "Received",
			"sender_full_name": parsed.from_real_name,
			"sender": sender or parsed.from_email,
			"recipients": headers.header_text(message, "To")[:10000] or None,
			"cc": headers.header_text(message, "CC")[:10000] or None,
			"email_account": account.name,
			"communication_medium": "Email",
			"communication_type": "Communication",
			"message_id": parsed.message_id or None,
			"communication_date": parsed.date,
			"has_attachment": 1 if parsed.attachments else 0,
			"seen": 1,
			"status": "Linked" if outbound else "Open",
			"email_status": "Open",
			"delivery_status": "Sent" if outbound else None,
			"docstatus": 0,
		},
	}


def parsed_first_address(text: str) -> str:
	from email.utils import getaddresses

	addresses = getaddresses([text or ""])
	return addresses[0][1] if addresses else ""


def save_attachments(item: dict, communication: str, mail: str) -> None:
	"""Attachments become private Files of the Communication, as Frappe's own receive makes them; one that
	cannot be stored (over the size limit, say) stays inside the original message, kept with the mail."""
	content, not_stored = None, []
	for attachment in item["attachments"]:
		try:
			file = frappe.get_doc(
				{
					"doctype": "File",
					"file_name": attachment["fname"],
					"attached_to_doctype": "Communication",
					"attached_to_name": communication,
					"is_private": 1,
					"content": attachment["fcontent"],
				}
			)
			file.flags.ignore_duplicate_entry_error = True
			file.insert(ignore_permissions=True)
		except Exception:
			not_stored.append(attachment.get("fname") or "?")
			continue
		cid = item["cid_map"].get(attachment["fname"])
		if cid:
			content = content or frappe.db.get_value("Communication", communication, "content") or ""
			content = content.replace(f"cid:{cid}", file.unique_url)
	if content is not None:
		frappe.db.set_value("Communication", communication, "content", content, update_modified=False)
	if not_stored:
		frappe.db.set_value(
			MAIL, mail, "attachments_not_stored", "\n".join(not_stored), update_modified=False
		)
		attach_raw(frappe._dict(doctype=MAIL, name=mail), item["raw"])


# --- the job and its entry points --------------------------------------------------------------------


def check_import_rights(email_account: str) -> None:
	account = frappe.db.get_value(
		"Email Account", email_account, ["ecrm_mailbox_kind", "ecrm_employee"], as_dict=True
	)
	if not account or not account.ecrm_mailbox_kind:
		frappe.throw(_("{0} is not a CRM mailbox.").format(email_account))
	own_personal = account.ecrm_mailbox_kind == "Personal Mailbox" and account.ecrm_employee == employee_of()
	if not (is_mail_admin() or own_personal):
		frappe.throw(
			_("Only a mail admin, or the owner of a personal mailbox, can import mail into it."),
			frappe.PermissionError,
		)


def start_eml_import(email_account: str, file_url: str, part: str = "Inbox", followed: int = 0) -> str:
	"""Import an uploaded .zip of .eml files (or one .eml) in a background job with a progress bar."""
	check_import_rights(email_account)
	if part not in ("Inbox", "Sent"):
		frappe.throw(_("Choose the inbox part or the sent part."))
	file = frappe.get_doc("File", {"file_url": file_url})
	file.check_permission("read")
	if not file.file_name.lower().endswith((".zip", ".eml")):
		frappe.throw(_("Upload a .zip of .eml files, or one .eml file."))
	job_id = f"ecrm-eml-import::{email_account}::{file_url}"
	frappe.enqueue(
		"ent_crm.mail.importer.run_import",
		queue="long",
		timeout=4 * 3600,
		job_id=job_id,
		deduplicate=True,
		now=frappe.flags.in_test,
		email_account=email_account,
		file_url=file_url,
		part=part,
		followed=int(followed or 0),
	)
	return job_id


def run_import(email_account: str, file_url: str, part: str = "Inbox", followed: int = 0) -> dict:
	account = frappe.get_doc("Email Account", email_account)
	data = frappe.get_doc("File", {"file_url": file_url}).get_content()
	data = data if isinstance(data, bytes) else data.encode("utf-8", "surrogateescape")
	if file_url.lower().endswith(".eml"):
		messages = [(file_url.rsplit("/", 1)[-1], data)]
	else:
		messages = list(eml_files_in_zip(data))
	title = _("Importing mail")

	def progress(done, total):
		frappe.publish_progress(
			max(1, done * 100 // max(total, 1)), title=title, description=f"{done} / {total}"
		)
		if not frappe.flags.in_test:
			frappe.db.commit()  # nosemgrep: keep each finished batch; importing again skips it

	counts = import_messages(messages, account, part, bool(followed), progress, len(messages))
	frappe.publish_realtime("ecrm_eml_import_done", counts, user=frappe.session.user, after_commit=True)
	return counts


def import_folder(path: str, email_account: str, part: str = "Inbox", followed: bool = False) -> dict:
	"""For `bench ent-crm-import-eml`: every .eml file under a folder on the server."""
	import os

	account = frappe.get_doc("Email Account", email_account)
	files = sorted(
		os.path.join(root, name)
		for root, _dirs, names in os.walk(path)
		for name in names
		if name.lower().endswith(".eml")
	)

	def read():
		for file_path in files:
			with open(file_path, "rb") as f:
				yield os.path.relpath(file_path, path), f.read()

	def progress(done, total):
		frappe.db.commit()  # nosemgrep: a command-line import keeps each finished batch
		print(f"{done}/{total}")

	return import_messages(read(), account, part, followed, progress, len(files))
