"""Mailbox health: what mail servers and the network answer, in plain words (no site needed)."""

import imaplib
import socket
import ssl
import unittest

from ent_crm.mail import errors as health


class TestPlainWords(unittest.TestCase):
	def test_common_errors(self):
		cases = [
			(imaplib.IMAP4.error("b'[AUTHENTICATIONFAILED] Authentication failed.'"), health.AUTH_FAILED),
			(
				imaplib.IMAP4.error(
					"command SELECT illegal in state NONAUTH, only allowed in states AUTHENTICATED, SELECTED"
				),
				health.AUTH_FAILED,
			),
			(ConnectionRefusedError(111, "Connection refused"), health.CONNECTION_REFUSED),
			(TimeoutError("timed out"), health.TIMEOUT),
			(socket.gaierror(-2, "Name or service not known"), health.UNKNOWN_HOST),
			(OSError(101, "Network is unreachable"), health.UNREACHABLE),
			(
				ssl.SSLError(1, "[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1000)"),
				health.SSL_FAILED,
			),
			(
				imaplib.IMAP4.error(
					"UID command error: BAD [b'Error in IMAP command UID SEARCH: Invalid uidset (0.001 + 0.000 secs).']"
				),
				health.INVALID_SEARCH,
			),
			(AttributeError("'EmailServer' object has no attribute 'imap'"), health.UNKNOWN),
		]
		for error, words in cases:
			self.assertEqual(health.plain_words(error), words, error)

	def test_detail_keeps_the_servers_words(self):
		detail = health.error_text(imaplib.IMAP4.error("b'[AUTHENTICATIONFAILED] Authentication failed.'"))
		self.assertIn("AUTHENTICATIONFAILED", detail)
		self.assertLessEqual(len(health.error_text("x" * 10000)), health.DETAIL_LENGTH)
