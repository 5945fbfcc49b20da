"""Reading raw mail headers and deciding a mail's queue (no site needed)."""

import unittest

from ent_crm.mail import routing
from ent_crm.mail.headers import (
	dedup_key,
	from_address,
	header_text,
	is_auto_reply,
	is_bounce,
	message_id,
	parse,
)

PLAIN = b"""From: "Hans M\xc3\xbcller" <Hans@ACME.de>\r
Reply-To: someone.else@elsewhere.example\r
To: sales@company.example\r
Subject: =?GB2312?B?0a+82w==?=\r
Message-ID: <abc-123@acme.de>\r
Date: Fri, 27 Nov 2026 08:00:00 +0800\r
\r
Hello\r
"""


class TestHeaders(unittest.TestCase):
	def test_from_not_reply_to(self):
		address, name = from_address(parse(PLAIN))
		self.assertEqual(address, "hans@acme.de")
		self.assertEqual(name, "Hans Müller")

	def test_rfc2047_gb2312_subject(self):
		self.assertEqual(header_text(parse(PLAIN), "Subject"), "询价")

	def test_missing_or_malformed_from(self):
		self.assertEqual(from_address(parse(b"Subject: x\r\n\r\nbody")), (None, ""))
		self.assertEqual(from_address(parse(b"From: not an address\r\n\r\nbody"))[0], None)
		self.assertEqual(from_address(parse(b"From: <a@b>\r\n\r\nbody"))[0], None)

	def test_raw_gbk_header_bytes(self):
		message = parse("From: =?utf-8?q?x?= <x@example.com>\r\nSubject: 报价单\r\n\r\nbody".encode("gbk"))
		self.assertEqual(header_text(message, "Subject"), "报价单")

	def test_unknown_charset_does_not_raise(self):
		message = parse(b"From: x@example.com\r\nSubject: =?x-unknown?B?0a+82w==?=\r\n\r\nbody")
		self.assertTrue(header_text(message, "Subject"))

	def test_message_id_or_fingerprint(self):
		self.assertEqual(message_id(parse(PLAIN)), "abc-123@acme.de")
		raw = PLAIN.replace(b"Message-ID: <abc-123@acme.de>\r\n", b"")
		key = dedup_key(parse(raw), raw)
		self.assertTrue(key.startswith("fp-"))
		self.assertEqual(key, dedup_key(parse(raw), raw))
		other = raw.replace(b"Hello", b"Hello again")
		self.assertNotEqual(key, dedup_key(parse(other), other))

	def test_auto_replies(self):
		for headers in (
			b"Auto-Submitted: auto-replied",
			b"X-Autoreply: yes",
			b"Precedence: auto_reply",
			b"Subject: Out of Office: back Monday",
			b"Subject: =?UTF-8?B?6Ieq5Yqo5Zue5aSN?=",
		):
			self.assertTrue(
				is_auto_reply(parse(b"From: a@example.com\r\n" + headers + b"\r\n\r\nx")), headers
			)
		self.assertFalse(
			is_auto_reply(parse(b"From: a@example.com\r\nAuto-Submitted: no\r\nSubject: Order\r\n\r\nx"))
		)

	def test_bounces(self):
		report = b"From: MAILER-DAEMON@mx.example.com\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n--b--"
		self.assertTrue(is_bounce(parse(report)))
		self.assertTrue(is_bounce(parse(b"From: postmaster@example.com\r\nSubject: x\r\n\r\nx")))
		self.assertFalse(is_bounce(parse(PLAIN)))


class TestRouting(unittest.TestCase):
	known = {"reference_doctype": "ECRM Customer", "reference_name": "C000001", "contact_name": "Hans"}

	def test_order_of_the_rules(self):
		self.assertEqual(
			routing.decide("a@x.com", blocked=True, known=self.known, rule_employee="0002").queue,
			routing.RECYCLE_BIN,
		)
		route = routing.decide("a@x.com", blocked=False, known=self.known, rule_employee="0002")
		self.assertEqual(
			(route.queue, route.reference_name, route.contact_name), (routing.KNOWN, "C000001", "Hans")
		)
		route = routing.decide("a@x.com", blocked=False, known=None, rule_employee="0002")
		self.assertEqual((route.queue, route.assigned_employee), (routing.STRANGER, "0002"))
		self.assertEqual(
			routing.decide("a@x.com", blocked=False, known=None, rule_employee=None).queue, routing.UNASSIGNED
		)

	def test_domain_suggestion_only_when_unambiguous(self):
		one = routing.decide(
			"a@x.com", blocked=False, known=None, rule_employee=None, domain_matches=["C000007"]
		)
		self.assertEqual(one.suggested_customer, "C000007")
		two = routing.decide(
			"a@x.com", blocked=False, known=None, rule_employee=None, domain_matches=["C1", "C2"]
		)
		self.assertIsNone(two.suggested_customer)

	def test_personal_mailbox_mail_stays_with_its_owner(self):
		route = routing.decide(
			"a@x.com", blocked=False, known=None, rule_employee="0009", personal_employee="0003"
		)
		self.assertEqual((route.queue, route.assigned_employee), (routing.STRANGER, "0003"))
		route = routing.decide(
			"a@x.com", blocked=False, known=self.known, rule_employee=None, personal_employee="0003"
		)
		self.assertEqual((route.queue, route.assigned_employee), (routing.KNOWN, "0003"))

	def test_blocked_personal_mail_stays_with_its_owner(self):
		route = routing.decide(
			"a@x.com", blocked=True, known=None, rule_employee=None, personal_employee="0003"
		)
		self.assertEqual((route.queue, route.assigned_employee), (routing.RECYCLE_BIN, "0003"))

	def test_no_sender_waits_for_a_person(self):
		self.assertEqual(
			routing.decide(None, blocked=False, known=None, rule_employee=None).queue, routing.UNASSIGNED
		)


class TestMailboxResilienceRules(unittest.TestCase):
	def test_wrongly_declared_charsets(self):
		from ent_crm.mail.headers import body_charset

		gbk, big5 = (
			"请报价 304 不锈钢管，数量 20 吨。".encode("gbk"),
			"請報價鋼管，數量二十噸。".encode("big5"),
		)
		for declared in ("utf-8", "iso-8859-1", None):
			self.assertEqual(body_charset(declared, gbk), "gb18030", declared)
			self.assertEqual(body_charset(declared, big5), "big5", declared)
		self.assertIsNone(body_charset("iso-8859-1", "Herr Müller, Grüße aus Köln".encode("latin-1")))
		self.assertIsNone(body_charset("gbk", gbk))
		self.assertEqual(body_charset("iso-8859-1", "Müller".encode()), "utf-8")

	def test_folded_subject_is_unfolded(self):
		message = parse(
			b"From: a@example.com\r\nSubject: a long subject that goes\r\n on the next line\r\n\r\nx"
		)
		self.assertEqual(header_text(message, "Subject"), "a long subject that goes on the next line")

	def test_keys_tell_a_resend_from_a_reused_message_id(self):
		from ent_crm.mail.headers import key_message_id, legacy_dedup_key

		raw = PLAIN
		resent = b"Received: from relay.example\r\n" + PLAIN.replace(b"\r\n", b"\n")
		other = PLAIN.replace(b"Hello", b"Something else entirely")
		key = dedup_key(parse(raw), raw)
		self.assertEqual(key, dedup_key(parse(resent), resent))
		self.assertNotEqual(key, dedup_key(parse(other), other))
		self.assertEqual(key_message_id(key), "abc-123@acme.de")
		self.assertEqual(legacy_dedup_key(parse(raw), raw), "abc-123@acme.de")
