"""The corpus of awkward real-world mail in fixtures/mail/: live receiving and .eml import route each
message to the same expected place (C5: "routed exactly as live mail")."""

import io
import json
import zipfile
from pathlib import Path

import frappe

from ent_crm.core.roles import MAIL_ADMIN
from ent_crm.mail.api import start_eml_import
from ent_crm.mail.importer import import_messages
from ent_crm.mail.inbound import receive_raw
from tests.integration.test_mail_routing import make_mailbox
from tests.support import EntCRMTestCase
from tests.support.factories import mail_date, make_customer, make_salesperson, make_user

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "mail"
SPEC = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))


class TestMailCorpus(EntCRMTestCase):
	def setUp(self):
		super().setUp()
		setup = SPEC["setup"]
		self.box = make_mailbox()
		self.owner = make_salesperson()
		self.rule_owner = make_salesperson()
		self.customer = make_customer([self.owner.name], region="Hamburg", **setup["customer"])
		for blocked in setup["blocked"]:
			frappe.get_doc({"doctype": "ECRM Blocked Sender", "sender": blocked}).insert()
		frappe.get_doc(
			{"doctype": "ECRM Routing Rule", "address": setup["rule"], "employee": self.rule_owner.name}
		).insert()

	def files(self):
		return [(name, (CORPUS / name).read_bytes()) for name in sorted(SPEC["expected"])]

	def check(self, name: str, mail_name: str) -> None:
		expected = SPEC["expected"][name]
		mail = frappe.get_doc("ECRM Mail", mail_name)
		self.assertEqual(mail.queue, expected["queue"], name)
		if expected.get("reference") == "customer":
			self.assertEqual(mail.reference_name, self.customer.name, name)
		if "contact" in expected:
			self.assertEqual(mail.contact_name, expected["contact"], name)
		if "suggested" in expected:
			self.assertEqual(
				mail.suggested_customer, self.customer.name if expected["suggested"] else None, name
			)
		if expected.get("assigned") == "rule":
			self.assertEqual(mail.assigned_employee, self.rule_owner.name, name)
		if "sender" in expected:
			self.assertEqual(mail.sender, expected["sender"], name)
		for flag in ("auto_reply", "bounce"):
			if flag in expected:
				self.assertEqual(mail.get(f"is_{flag}"), expected[flag], name)
		if "subject" in expected:
			self.assertEqual(mail.subject, expected["subject"], name)
		content = frappe.db.get_value("Communication", mail.communication, "content") or ""
		if "content_has" in expected:
			self.assertIn(expected["content_has"], content, name)
		if "content_lacks" in expected:
			self.assertNotIn(expected["content_lacks"], content, name)
		if "attachment" in expected:
			files = frappe.get_all(
				"File", filters={"attached_to_name": mail.communication}, pluck="file_name"
			)
			stem, ext = expected["attachment"].rsplit(".", 1)
			# Frappe adds a suffix when a file of that name is already on disk
			self.assertTrue(any(f.startswith(stem) and f.endswith("." + ext) for f in files), (name, files))

	def test_live_receiving(self):
		for name, raw in self.files():
			mail = receive_raw(raw, self.box)
			self.assertIsNotNone(mail, f"{name} went to the failure queue")
			self.check(name, mail)
			self.assertEqual(receive_raw(raw, self.box), mail, f"{name} routed twice")

	def test_eml_import(self):
		counts = import_messages(self.files(), self.box)
		self.assertEqual(counts, {"imported": len(SPEC["expected"]), "duplicates": 0, "failed": 0})
		for name, raw in self.files():
			from ent_crm.mail.headers import dedup_key, parse

			mail = frappe.db.get_value("ECRM Mail", {"dedup_key": dedup_key(parse(raw), raw)})
			self.check(name, mail)
		again = import_messages(self.files(), self.box)
		self.assertEqual(again, {"imported": 0, "duplicates": len(SPEC["expected"]), "failed": 0})

	def test_live_then_import_adds_nothing(self):
		for _name, raw in self.files():
			receive_raw(raw, self.box)
		self.assertEqual(import_messages(self.files(), self.box)["imported"], 0)

	def test_zip_upload_job_with_followed_tick(self):
		buffer = io.BytesIO()
		with zipfile.ZipFile(buffer, "w") as archive:
			for name, raw in self.files():
				archive.writestr(f"Inbox/{name}", raw)
		with self.set_user(make_user(roles=[MAIL_ADMIN])):
			file = frappe.get_doc(
				{
					"doctype": "File",
					"file_name": "old-mail.zip",
					"content": buffer.getvalue(),
					"is_private": 1,
				}
			).insert(ignore_permissions=True)
			start_eml_import(self.box.name, file.file_url, "Inbox", followed=1)
		queues = frappe.get_all("ECRM Mail", filters={"email_account": self.box.name}, pluck="queue")
		self.assertEqual(len(queues), len(SPEC["expected"]))
		self.assertEqual(set(queues), {"Handled", "Recycle Bin"})

	def test_only_mail_admins_import(self):
		with self.set_user(self.owner.user), self.assertRaises(frappe.PermissionError):
			start_eml_import(self.box.name, "/private/files/x.zip")

	def test_sent_part_is_filed_with_the_recipient(self):
		raw = (
			b"From: sales@company.example\r\nTo: Anna <buyer@acme-hamburg.example>\r\nSubject: Our offer\r\n"
			b"Message-ID: <sent-1@company.example>\r\n"
			+ f"Date: {mail_date(days=-30)}\r\n\r\n".encode()
			+ b"Offer attached\r\n"
		)
		import_messages([("sent-1.eml", raw)], self.box, part="Sent")
		mail = frappe.get_doc("ECRM Mail", {"dedup_key": "sent-1@company.example"})
		self.assertEqual(
			(mail.direction, mail.queue, mail.reference_name), ("Outbound", "Handled", self.customer.name)
		)

	def test_a_30_mb_attachment_is_kept_in_the_original_message(self):
		big = b"A" * (30 * 1024 * 1024)
		import base64

		raw = (
			b"From: buyer@acme-hamburg.example\r\nTo: sales@company.example\r\nSubject: big\r\n"
			b"Message-ID: <big-1@acme-hamburg.example>\r\nMIME-Version: 1.0\r\n"
			b'Content-Type: multipart/mixed; boundary="B"\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nsee file\r\n'
			b'--B\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="big.bin"\r\n'
			b"Content-Transfer-Encoding: base64\r\n\r\n" + base64.encodebytes(big) + b"--B--\r\n"
		)
		mail = frappe.get_doc("ECRM Mail", receive_raw(raw, self.box))
		self.assertEqual(mail.queue, "Known Pending")
		self.assertEqual(mail.attachments_not_stored, "big.bin")
		kept = frappe.get_all(
			"File",
			filters={"attached_to_doctype": "ECRM Mail", "attached_to_name": mail.name},
			pluck="file_url",
		)
		self.assertEqual(len(kept), 1)
		with open(frappe.get_site_path(kept[0].lstrip("/")), "rb") as f:
			self.assertEqual(f.read(), raw)
