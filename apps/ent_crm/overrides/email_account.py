"""The CRM's mailboxes: Frappe's Email Account, receiving through ent_crm.mail.inbound.

Only accounts marked as a CRM mailbox (custom field ecrm_mailbox_kind) change behaviour:
- every message is routed by its From address (ent_crm.mail.inbound.receive_raw);
- a message Frappe cannot parse is kept whole in the failure queue instead of being lost with its batch;
- no copy of inbound mail is e-mailed to record owners or assignees, and no contacts are auto-created;
- IMAP sync is "ALL" (UNSEEN would miss mail someone already opened in webmail) and one pull keeps
  fetching batches of 100 until the mailbox is read up to date.
"""

import frappe
from frappe.email.doctype.email_account.email_account import EmailAccount

MAX_BATCHES_PER_PULL = 50


class ECRMEmailAccount(EmailAccount):
	def validate(self):
		if self.get("ecrm_mailbox_kind"):
			self.create_contact = 0
			if self.use_imap:
				self.email_sync_option = "ALL"
		super().validate()

	def receive(self):
		if not self.get("ecrm_mailbox_kind"):
			return super().receive()
		from ent_crm.mail.inbound import receive_raw

		for _batch in range(MAX_BATCHES_PER_PULL):
			messages = self.fetch_raw_messages()
			for raw, uid, seen in messages:
				try:
					receive_raw(raw, self, uid=uid, seen_status=seen)
					frappe.db.commit()  # nosemgrep: one mail at a time, as Frappe's own receive does
				except Exception:
					frappe.db.rollback()
					self.log_error(title="ent_crm receive")
			if len(messages) < 100:
				break
			self.reload()  # the folder's UIDVALIDITY/UIDNEXT as the batch left them

	def fetch_raw_messages(self) -> list[tuple[bytes, str | None, int]]:
		"""One batch (at most 100 per folder) of raw messages, as Frappe's get_inbound_mails fetches them,
		but without parsing them here: a malformed message must not take its whole batch down."""
		if not self.enable_incoming:
			return []
		server = self.get_incoming_server(in_receive=True, email_sync_rule=self.build_email_sync_rule())
		raw_messages = []
		try:
			folders = list(self.imap_folder) if self.use_imap else [None]
			for folder in folders:
				if folder is not None:
					if not server.select_imap_folder(folder.folder_name):
						continue
					server.settings["uid_validity"] = folder.uidvalidity
					messages = server.get_messages(folder=f'"{folder.folder_name}"') or {}
				else:
					messages = server.get_messages() or {}
				uids = messages.get("uid_list") or []
				seen = messages.get("seen_status") or {}
				for index, raw in enumerate(messages.get("latest_messages") or []):
					uid = uids[index] if index < len(uids) else None
					raw_messages.append((raw, frappe.safe_decode(uid) if uid else None, 1 if seen.get(uid) == "SEEN" else 0))
		finally:
			server.logout()
		return raw_messages
