"""What routing needs from a raw mail, read straight from its headers. No Frappe imports (unit-testable).

Frappe stores Reply-To as a Communication's sender; the CRM routes on From, so it reads From here itself,
along with the Message-ID (or a fingerprint for mail without one, so the same mail is never routed twice)
and the signs of auto-replies and bounces.
"""

import email
import email.policy
import hashlib
import re
from email.header import decode_header, make_header
from email.message import Message
from email.utils import getaddresses, parseaddr

from ent_crm.utils.addresses import is_valid, normalise

AUTO_SUBJECT = re.compile(
	r"^\s*(auto(matic)?[ -]?(reply|response|antwort)|out of (the )?office|abwesenheitsnotiz|réponse automatique|"
	r"自动回复|自動回覆|自动答复|休假|不在办公室)",
	re.I,
)
BOUNCE_SENDERS = re.compile(r"^(mailer-daemon|postmaster|mail-daemon|mailerdaemon)@", re.I)


def parse(raw: bytes | str) -> Message:
	"""A message object that never raises on bad input (the compat32 policy keeps broken headers as text)."""
	if isinstance(raw, str):
		raw = raw.encode("utf-8", "surrogateescape")
	return email.message_from_bytes(raw, policy=email.policy.compat32)


def raw_header_text(value: str) -> str:
	"""Undo the surrogate escapes of raw 8-bit header bytes: UTF-8, else the Chinese GB18030 or Big5 that
	some mail clients put into headers unencoded, else Latin-1 (which always decodes)."""
	if not any("\udc80" <= ch <= "\udcff" for ch in value):
		return value
	data = value.encode("utf-8", "surrogateescape")
	for charset in ("utf-8", "gb18030", "big5"):
		try:
			return data.decode(charset)
		except UnicodeDecodeError:
			continue
	return data.decode("latin-1")


def raw_header(message: Message, name: str) -> str | None:
	"""The header as it came, before email.header turns undeclared 8-bit text into replacement marks."""
	wanted = name.lower()
	for key, value in message._headers:  # compat32 keeps each header's raw text here
		if key.lower() == wanted:
			return str(value)
	return None


def header_text(message: Message, name: str) -> str:
	"""A header decoded from RFC 2047 into text; unknown charsets and garbage degrade, never raise."""
	value = raw_header(message, name)
	if value is None:
		return ""
	value = raw_header_text(value)
	try:
		return str(make_header(decode_header(value))).strip()
	except (LookupError, UnicodeError, ValueError, TypeError):
		return value.strip()


def from_address(message: Message) -> tuple[str | None, str]:
	"""(normalised From address or None when missing or malformed, display name)."""
	raw = header_text(message, "From")
	if not raw:
		return None, ""
	candidates = getaddresses([raw])
	name, address = candidates[0] if candidates else parseaddr(raw)
	address = normalise(address)
	return (address if is_valid(address) else None), (name or "").strip().strip('"')


def message_id(message: Message) -> str | None:
	value = header_text(message, "Message-ID").strip().strip("<>").strip()
	return value or None


def fingerprint(message: Message, raw: bytes) -> str:
	"""Identity of a mail without a Message-ID: the same bytes, or the same sender, date, subject and body,
	give the same fingerprint."""
	digest = hashlib.sha256()
	for name in ("From", "Date", "Subject", "To"):
		digest.update(header_text(message, name).encode("utf-8", "replace") + b"\0")
	body = raw.split(b"\r\n\r\n", 1)[-1] if b"\r\n\r\n" in raw else raw.split(b"\n\n", 1)[-1]
	digest.update(body[:65536])
	return "fp-" + digest.hexdigest()[:40]


def dedup_key(message: Message, raw: bytes) -> str:
	"""Message-ID (hashed when absurdly long), or the fingerprint of a mail without one."""
	key = message_id(message)
	if key and len(key) > 200:
		key = "mid-" + hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()
	return key or fingerprint(message, raw)


def is_auto_reply(message: Message) -> bool:
	auto_submitted = header_text(message, "Auto-Submitted").lower()
	if auto_submitted and auto_submitted != "no":
		return True
	if message.get("X-Autoreply") or message.get("X-Autorespond") or message.get("X-Auto-Response-Suppress", "").lower() == "all":
		return True
	if header_text(message, "Precedence").lower() in ("auto_reply", "bulk", "junk"):
		return True
	return bool(AUTO_SUBJECT.match(header_text(message, "Subject")))


def is_bounce(message: Message) -> bool:
	if message.get_content_type() == "multipart/report":
		return True
	sender, _name = from_address(message)
	if sender and BOUNCE_SENDERS.match(sender):
		return True
	return header_text(message, "Return-Path").strip() == "<>" and "delivery" in header_text(message, "Subject").lower()
