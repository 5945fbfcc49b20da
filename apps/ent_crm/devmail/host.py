"""The demo mail host: SMTP in, IMAP out, on loopback only.

	host = MailHost(root="/path/to/keep/mail", smtp_port=1025, imap_port=1143)
	host.start()   # ... host.stop()

- SMTP (aiosmtpd, 127.0.0.1:smtp_port, no TLS; a login with the shared password, or none) takes every mail and stores a copy for each
  envelope recipient in that address's IMAP mailbox: the company's mailboxes (sales@ent-crm.example,
  zhangwei@ent-crm.example, ...) as much as the customers' (info@atlas-trading.de.example, ...).
- IMAP (dovecot, 127.0.0.1:imap_port) lets every address log in with one shared password: the CRM pulls
  its mailboxes from there exactly as from a company's real mail server, and anyone can look into a
  customer's mailbox with any IMAP client to see what the CRM sent.
- Customers answer: a mail from a company address (one of `company_domains`) to a customer gets an answer
  from that customer ("Re: ...", In-Reply-To and References set, no auto-reply marks: it reads as a person's
  answer) in the mailbox that wrote, so it comes back on the next pull. Mass mailings (List-Unsubscribe),
  automatic mail and bounces are not answered. `answer_to()` does the same on demand.

Nothing leaves the machine: no address is ever looked up in DNS, nothing is relayed.
"""

import email
import email.policy
import os
import threading
from email.message import EmailMessage
from email.utils import formatdate, getaddresses, make_msgid, parseaddr

from ent_crm.devmail.imap import ImapServer
from ent_crm.devmail.smtp import Delivery, SmtpServer

HOST = "127.0.0.1"
SMTP_PORT = 1025
IMAP_PORT = 1143
PASSWORD = "ent-crm-devmail"  # the shared IMAP password of every mailbox on the demo host
COMPANY_DOMAINS = ("ent-crm.example",)
ANSWER = (
	"Dear {name},\r\n\r\nthank you for your mail. The price and the lead time are fine for us; "
	"please send the proforma invoice and we will confirm the order.\r\n\r\nBest regards\r\n{customer}\r\n"
)


class MailHost:
	def __init__(
		self,
		root: str | None = None,
		smtp_port: int | None = SMTP_PORT,
		imap_port: int | None = IMAP_PORT,
		password: str = PASSWORD,
		company_domains=COMPANY_DOMAINS,
		answer: bool = True,
	):
		"""Ports None: free ones (tests). root None: a temporary store, removed on stop."""
		self.imap = ImapServer(root=root, port=imap_port, shared_password=password)
		self.smtp = SmtpServer(port=smtp_port, on_delivery=self.store, password=password)
		self.password = password
		self.company_domains = tuple(d.lower() for d in company_domains)
		self.answer = answer
		self.answers: list[bytes] = []  # the customers' answers handed back, newest last
		self.lock = threading.Lock()

	host = HOST

	@property
	def smtp_port(self) -> int:
		return self.smtp.port

	@property
	def imap_port(self) -> int:
		return self.imap.port

	def __enter__(self) -> "MailHost":
		self.start()
		return self

	def __exit__(self, *exc) -> None:
		self.stop()

	def start(self) -> None:
		if self.imap.keep:
			os.makedirs(self.imap.keep, exist_ok=True)
		self.imap.start()
		try:
			self.smtp.start()
		except BaseException:
			self.imap.stop()
			raise

	def stop(self) -> None:
		self.smtp.stop()
		self.imap.stop()

	# --- mail ---

	def is_company(self, address: str) -> bool:
		return address.lower().rpartition("@")[2] in self.company_domains

	def store(self, delivery: Delivery) -> None:
		"""SMTP DATA: a copy in each recipient's mailbox, then the customers' answers."""
		for recipient in delivery.rcpt_tos:
			self.imap.deliver(recipient, delivery.raw)
		if self.answer and wants_answer(delivery.message):
			for recipient in delivery.rcpt_tos:
				if not self.is_company(recipient):
					self.answer_to(delivery.message, recipient)

	def answer_to(self, message, customer: str, text: str | None = None) -> bytes | None:
		"""The customer's answer to `message` (a mail the company sent), put into the mailbox that wrote it."""
		to = reply_address(message)
		if not to or not self.is_company(to):
			return None
		raw = answer_message(message, customer, to, text)
		self.imap.deliver(to, raw)
		with self.lock:
			self.answers.append(raw)
		return raw

	def mailbox(self, address: str) -> list[email.message.EmailMessage]:
		"""The messages in an address's mailbox, oldest first (as the CRM or a customer would see them)."""
		return [
			email.message_from_bytes(raw, policy=email.policy.default)
			for _uid, _flags, raw in self.imap.messages(address)
		]


def wants_answer(message) -> bool:
	"""Only a person's mail is answered: no mass mailing, auto-reply, bounce or list mail."""
	if message.get("List-Unsubscribe") or message.get("List-Id"):
		return False
	if (message.get("Auto-Submitted") or "no").strip().lower() != "no":
		return False
	if (message.get("Precedence") or "").strip().lower() in ("bulk", "list", "junk", "auto_reply"):
		return False
	return message.get_content_type() != "multipart/report"


def reply_address(message) -> str | None:
	for header in ("Reply-To", "From"):
		addresses = [a for _n, a in getaddresses([str(h) for h in message.get_all(header, [])]) if a]
		if addresses:
			return addresses[0].lower()
	return None


def answer_message(message, customer: str, to: str, text: str | None = None) -> bytes:
	subject = str(message.get("Subject") or "")
	answer = EmailMessage()
	name = customer.partition("@")[0].replace(".", " ").title()
	answer["From"] = f"{name} <{customer}>"
	answer["To"] = str(message.get("From") or to)
	answer["Subject"] = subject if subject.lower().startswith("re:") else f"Re: {subject}".strip()
	answer["Date"] = formatdate(localtime=True)
	answer["Message-ID"] = make_msgid(domain=customer.rpartition("@")[2] or "customer.example")
	original = (message.get("Message-ID") or "").strip()
	if original:
		answer["In-Reply-To"] = original
		answer["References"] = " ".join(filter(None, [(message.get("References") or "").strip(), original]))
	writer = parseaddr(str(message.get("From") or ""))[0] or to
	answer.set_content(text or ANSWER.format(name=writer, customer=name))
	return answer.as_bytes(policy=email.policy.SMTP)
