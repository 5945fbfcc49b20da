"""A real SMTP server on loopback: aiosmtpd on a free (or given) loopback port, keeping every message it
receives — for the tests and for the demo mail host (ent_crm.devmail.host), which passes `on_delivery` to
store each message in its IMAP server.

	with SmtpServer() as smtp:
		... point an Email Account at smtp.host:smtp.port (no authentication, no TLS) ...
		smtp.messages            # [Delivery(mail_from, rcpt_tos, raw, message), ...]
		smtp.to("buyer@x.example")  # the deliveries whose envelope names that address
		smtp.refuse.add("nobody@x.example")  # that recipient is refused with 550

The server runs in its own thread (aiosmtpd's Controller) and accepts any sender and recipient; it stops
when the `with` block ends. Nothing leaves the machine.
"""

import asyncio
import email
import email.policy
import socket
import threading
from dataclasses import dataclass
from email.message import Message

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


@dataclass
class Delivery:
	mail_from: str
	rcpt_tos: list
	raw: bytes
	message: Message


class _Collector:
	def __init__(self, server: "SmtpServer"):
		self.server = server

	async def handle_RCPT(self, _server, _session, envelope, address, _options):
		if address.lower() in self.server.refuse:
			return "550 5.1.1 No such user here"
		envelope.rcpt_tos.append(address)
		return "250 OK"

	async def handle_DATA(self, _server, _session, envelope):
		raw = envelope.original_content or envelope.content
		if isinstance(raw, str):
			raw = raw.encode("utf-8", "surrogateescape")
		delivery = Delivery(
			mail_from=envelope.mail_from,
			rcpt_tos=[r.lower() for r in envelope.rcpt_tos],
			raw=raw,
			message=email.message_from_bytes(raw, policy=email.policy.default),
		)
		with self.server.lock:
			self.server.messages.append(delivery)
		if self.server.on_delivery:
			try:
				await asyncio.get_running_loop().run_in_executor(None, self.server.on_delivery, delivery)
			except Exception as error:  # the sender should try again later, as with a real server
				return f"451 4.3.0 Could not store the message: {error}"[:500]
		return "250 Message accepted for delivery"


def free_port() -> int:
	with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
		s.bind(("127.0.0.1", 0))
		return s.getsockname()[1]


class SmtpServer:
	host = "127.0.0.1"

	def __init__(self, port: int | None = None, on_delivery=None, password: str | None = None):
		"""password: also offer AUTH (PLAIN/LOGIN, without TLS: loopback only) for any login with it, as a
		mailbox that sends with its login expects; sending without login stays possible."""
		self.port = port
		self.password = password
		self.fixed_port = port
		self.on_delivery = on_delivery  # called with each Delivery (in a thread) before the server says 250
		self.messages: list[Delivery] = []
		self.refuse: set[str] = set()  # recipients answered with 550 (a mailbox that does not exist)
		self.lock = threading.Lock()
		self.controller = None

	def __enter__(self) -> "SmtpServer":
		self.start()
		return self

	def __exit__(self, *exc) -> None:
		self.stop()

	def start(self) -> None:
		self.port = self.fixed_port or free_port()
		auth = {}
		if self.password is not None:
			auth = {"authenticator": self._authenticate, "auth_require_tls": False}
		self.controller = Controller(_Collector(self), hostname=self.host, port=self.port, **auth)
		self.controller.start()

	def stop(self) -> None:
		if self.controller:
			self.controller.stop()
			self.controller = None

	def _authenticate(self, _server, _session, _envelope, _mechanism, auth_data) -> AuthResult:
		ok = (
			isinstance(auth_data, LoginPassword)
			and auth_data.password.decode(errors="replace") == self.password
		)
		return AuthResult(success=ok, handled=False)

	def to(self, address: str) -> list[Delivery]:
		address = address.lower()
		with self.lock:
			return [m for m in self.messages if address in m.rcpt_tos]

	def clear(self) -> None:
		with self.lock:
			self.messages.clear()
