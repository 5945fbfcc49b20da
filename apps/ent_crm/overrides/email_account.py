"""The CRM's mailboxes: Frappe's Email Account, receiving through ent_crm.mail.inbound.

Only accounts marked as a CRM mailbox (custom field ecrm_mailbox_kind) change behaviour:
- every message is routed by its From address (ent_crm.mail.inbound.receive_raw);
- a message Frappe cannot parse is kept whole in the failure queue instead of being lost with its batch;
- no copy of inbound mail is e-mailed to record owners or assignees, and no contacts are auto-created;
- IMAP sync is "ALL" (UNSEEN would miss mail someone already opened in webmail), each folder continues
  after the highest message number the CRM read from that folder (Frappe keeps one number for the whole
  account, which skips mail when there are several folders), and one pull keeps fetching batches of 100
  until the mailbox is read up to date.
"""

import frappe
from frappe.email.doctype.email_account.email_account import EmailAccount

from ent_crm.mail.health import recorded_pull

MAX_BATCHES_PER_PULL = 50


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
		from ent_crm.mail.inbound import receive_raw

		for _batch in range(MAX_BATCHES_PER_PULL):
			messages = self.fetch_raw_messages()
			for raw, uid, seen, folder in messages:
				try:
					receive_raw(raw, self, uid=uid, seen_status=seen, folder=folder)
					frappe.db.commit()  # nosemgrep: one mail at a time, as Frappe's own receive does
				except Exception:
					frappe.db.rollback()
					self.log_error(title="ent_crm receive")
			if len(messages) < 100:
				break
			self.reload()  # the folder's UIDVALIDITY/UIDNEXT as the batch left them

	def fetch_raw_messages(self) -> list[tuple[bytes, str | None, int, str | None]]:
		"""One batch (at most 100 per folder) of raw messages, as Frappe's get_inbound_mails fetches them,
		but without parsing them here: a malformed message must not take its whole batch down."""
		if not self.enable_incoming:
			return []
		raw_messages = []
		for folder in list(self.imap_folder) if self.use_imap else [None]:
			name = folder.folder_name if folder else None
			server = self.get_incoming_server(in_receive=True, email_sync_rule=self.folder_sync_rule(name))
			try:
				if folder is not None:
					if not server.select_imap_folder(name):
						continue
					server.settings["uid_validity"] = folder.uidvalidity
					messages = server.get_messages(folder=f'"{name}"') or {}
				else:
					messages = server.get_messages() or {}
			finally:
				server.logout()
			if messages.get("uid_reindexed"):
				forget_folder_numbers(self.name, name)  # the server renumbered the folder
			uids = messages.get("uid_list") or []
			seen = messages.get("seen_status") or {}
			for index, raw in enumerate(messages.get("latest_messages") or []):
				uid = uids[index] if index < len(uids) else None
				raw_messages.append(
					(raw, frappe.safe_decode(uid) if uid else None, 1 if seen.get(uid) == "SEEN" else 0, name)
				)
		return raw_messages

	def folder_sync_rule(self, folder: str | None) -> str:
		"""Continue after the highest message number read from this folder; Frappe's rule the first time."""
		if not self.use_imap or not folder:
			return self.build_email_sync_rule()
		last = frappe.db.sql(
			"""select greatest(
				coalesce((select max(imap_uid) from `tabECRM Mail` where email_account = %(account)s and imap_folder = %(folder)s), 0),
				coalesce((select max(cast(uid as unsigned)) from `tabECRM Mail Failure` where email_account = %(account)s and imap_folder = %(folder)s), 0))""",
			{"account": self.name, "folder": folder},
		)[0][0]
		return f"UID {int(last) + 1}:*" if last and int(last) > 0 else self.build_email_sync_rule()


def forget_folder_numbers(account: str, folder: str | None) -> None:
	frappe.db.sql(
		"update `tabECRM Mail` set imap_uid = 0 where email_account = %s and imap_folder = %s", (account, folder)
	)
	frappe.db.sql(
		"update `tabECRM Mail Failure` set uid = null where email_account = %s and imap_folder = %s", (account, folder)
	)
