"""A real SMTP server for tests: aiosmtpd on a free loopback port, keeping every message it receives.

	with SmtpServer() as smtp:
		... point an Email Account at smtp.host:smtp.port (no authentication, no TLS) ...
		smtp.messages            # [Delivery(mail_from, rcpt_tos, raw, message), ...]
		smtp.to("buyer@x.example")  # the deliveries whose envelope names that address
		smtp.refuse.add("nobody@x.example")  # that recipient is refused with 550

The server runs in its own thread (aiosmtpd's Controller) and accepts any sender and recipient; it stops
when the `with` block ends. Nothing leaves the machine.
"""

import email
import email.policy
import socket
import threading
from dataclasses import dataclass
from email.message import Message

from aiosmtpd.controller import Controller


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
		return "250 Message accepted for delivery"


def free_port() -> int:
	with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
		s.bind(("127.0.0.1", 0))
		return s.getsockname()[1]


class SmtpServer:
	host = "127.0.0.1"

	def __init__(self):
		self.port = None
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
		self.port = free_port()
		self.controller = Controller(_Collector(self), hostname=self.host, port=self.port)
		self.controller.start()

	def stop(self) -> None:
		if self.controller:
			self.controller.stop()
			self.controller = None

	def to(self, address: str) -> list[Delivery]:
		address = address.lower()
		with self.lock:
			return [m for m in self.messages if address in m.rcpt_tos]

	def clear(self) -> None:
		with self.lock:
			self.messages.clear()
