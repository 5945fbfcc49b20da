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

from ent_crm.core.addresses import is_valid, normalise

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


FOLD = re.compile(r"\r?\n(?=[ \t])")
LINE_BREAK = re.compile(r"[\r\n]+")


def unfold(value: str) -> str:
	"""A header on one line (RFC 5322 2.2.3): a line break before white space is removed, and any stray
	line break becomes a space, so that a stored header can be written into a new mail again."""
	return LINE_BREAK.sub(" ", FOLD.sub("", value))


def header_text(message: Message, name: str) -> str:
	"""A header decoded from RFC 2047 into text, unfolded; unknown charsets and garbage degrade, never raise."""
	value = raw_header(message, name)
	if value is None:
		return ""
	value = unfold(raw_header_text(value))
	try:
		return unfold(str(make_header(decode_header(value)))).strip()
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


def legacy_fingerprint(message: Message, raw: bytes) -> str:
	"""The fingerprint of a mail without a Message-ID as keys were made before 2026-12: kept to recognise
	mail stored then (it differed for the same mail over IMAP and from an .eml file with other line ends)."""
	digest = hashlib.sha256()
	for name in ("From", "Date", "Subject", "To"):
		digest.update(legacy_header_text(message, name).encode("utf-8", "replace") + b"\0")
	body = raw.split(b"\r\n\r\n", 1)[-1] if b"\r\n\r\n" in raw else raw.split(b"\n\n", 1)[-1]
	digest.update(body[:65536])
	return "fp-" + digest.hexdigest()[:40]


def legacy_header_text(message: Message, name: str) -> str:
	value = raw_header(message, name)
	if value is None:
		return ""
	value = raw_header_text(value)
	try:
		return str(make_header(decode_header(value))).strip()
	except (LookupError, UnicodeError, ValueError, TypeError):
		return value.strip()


WHITESPACE = re.compile(rb"\s+")


def body_text_bytes(message: Message, limit: int) -> bytes:
	"""The decoded text parts of a mail (transfer encoding undone), white space removed, at most `limit`
	bytes: the same for the same mail whatever line ends or transfer encoding a server or file gave it."""
	found = b""
	for part in message.walk():
		if part.get_content_maintype() != "text" or part.get_filename():
			continue
		try:
			data = part.get_payload(decode=True) or b""
		except Exception:
			data = str(part.get_payload()).encode("utf-8", "surrogateescape")
		found += WHITESPACE.sub(b"", data)
		if len(found) >= limit:
			break
	return found[:limit]


def identity_hash(message: Message, names: tuple = ("From", "Date", "Subject")) -> str:
	"""What tells one mail from another: its sender, date, subject (unfolded, spacing ignored) and the
	start of its text. A resend of the same mail (the same mail in two mailboxes, a server that delivers
	it twice, an exported .eml) has the same; a different mail reusing a Message-ID has not."""
	digest = hashlib.sha256()
	for name in names:
		value = header_text(message, name)
		if name == "Date":
			value = normalised_date(value)
		elif name in ("From", "To"):
			value = ",".join(normalise(a) for _n, a in getaddresses([value]) if a)
		else:
			value = " ".join(value.split())
		digest.update(value.encode("utf-8", "replace") + b"\0")
	digest.update(body_text_bytes(message, 65536 if "To" in names else 4096))
	return digest.hexdigest()


def normalised_date(value: str) -> str:
	from email.utils import mktime_tz, parsedate_tz

	try:
		parsed = parsedate_tz(value)
		return str(int(mktime_tz(parsed))) if parsed else " ".join(value.split())
	except (TypeError, ValueError, OverflowError):
		return " ".join(value.split())


def fingerprint(message: Message, raw: bytes | None = None) -> str:
	"""Identity of a mail without a Message-ID: the same sender, recipients, date, subject and text give the
	same fingerprint, over IMAP or from a file."""
	return "fp-" + identity_hash(message, ("From", "Date", "Subject", "To"))[:40]


def id_part(message_id_value: str) -> str:
	"""The Message-ID as the start of a key (hashed when absurdly long), as keys have always begun."""
	if len(message_id_value) > 200:
		return "mid-" + hashlib.sha256(message_id_value.encode("utf-8", "replace")).hexdigest()
	return message_id_value


KEY_SEPARATOR = "#"


def dedup_key(message: Message, raw: bytes) -> str:
	"""The identity of a mail: its Message-ID and a short hash of what it says (so that a different mail
	reusing a Message-ID is not taken for a resend), or the fingerprint of a mail without one."""
	key = message_id(message)
	if not key:
		return fingerprint(message, raw)
	return f"{id_part(key)}{KEY_SEPARATOR}{identity_hash(message)[:16]}"


def legacy_dedup_key(message: Message, raw: bytes) -> str:
	"""The key of the same mail as stored before 2026-12 (Message-ID alone, or the old fingerprint); mail
	the CRM sends itself is still keyed by its bare Message-ID."""
	key = message_id(message)
	return id_part(key) if key else legacy_fingerprint(message, raw)


def key_message_id(key: str | None) -> str | None:
	"""The Message-ID a key starts with (None for a fingerprint or a hashed id)."""
	if not key or key.startswith(("fp-", "mid-")):
		return None
	return key.split(KEY_SEPARATOR, 1)[0] if KEY_SEPARATOR in key else key


def same_subject(a: str | None, b: str | None) -> bool:
	return " ".join((a or "").split())[:200] == " ".join((b or "").split())[:200]


# --- text parts in a wrongly declared charset ------------------------------------------------------

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
SINGLE_BYTE = (
	"us-ascii",
	"ascii",
	"iso-8859-1",
	"latin-1",
	"latin1",
	"windows-1252",
	"cp1252",
	"iso-8859-15",
)
CHINESE = ("gb18030", "big5")


def body_charset(declared: str | None, data: bytes | None) -> str | None:
	"""The charset to read a text part with, as mail clients decide: the declared one when the bytes are
	valid in it, else (or when a single-byte charset is declared for bytes that are not) UTF-8, or GB18030
	or Big5 when the bytes are built like Chinese text and read cleanly. None: nothing better than what was
	declared (a German Latin-1 mail stays Latin-1)."""
	if not data or not any(b > 0x7F for b in data):
		return None
	declared = (declared or "").lower().strip() or None
	if declared and declared not in SINGLE_BYTE:
		try:
			data.decode(declared)
			return None  # valid as declared
		except (LookupError, UnicodeDecodeError):
			pass
	if declared != "utf-8":
		try:
			data.decode("utf-8")
			return "utf-8"  # UTF-8 is never valid by accident
		except UnicodeDecodeError:
			pass
	if not built_like_chinese(data):
		return None
	readings = {}
	for candidate in CHINESE:
		try:
			text = data.decode(candidate)
		except UnicodeDecodeError:
			continue
		if len(CJK.findall(text)) * 2 >= sum(1 for ch in text if ord(ch) > 0x7F):
			readings[candidate] = text
	if "gb18030" in readings and ("big5" not in readings or common_simplified(readings["gb18030"])):
		return "gb18030"
	return "big5" if "big5" in readings else None


def common_simplified(text: str) -> bool:
	"""Whether nearly all Chinese characters of `text` are common ones (in GB2312): GBK text read as
	GB18030 is; Big5 bytes read as GB18030 give rare characters."""
	chinese = CJK.findall(text)
	common = 0
	for ch in chinese:
		try:
			ch.encode("gb2312")
			common += 1
		except UnicodeEncodeError:
			pass
	return common * 10 >= len(chinese) * 9


def built_like_chinese(data: bytes) -> bool:
	"""Chinese text in a double-byte charset (GBK, Big5) is made of byte pairs with an 8-bit first byte,
	mostly with an 8-bit second byte too; accented letters of a Western single-byte text stand alone
	between plain letters."""
	strict = loose = alone = 0
	i, n = 0, len(data)
	while i < n:
		if data[i] < 0x80:
			i += 1
			continue
		following = data[i + 1] if i + 1 < n else None
		if following is not None and following >= 0x80:
			strict += 1
			i += 2
		elif following is not None and 0x40 <= following <= 0x7E:
			loose += 1
			i += 2
		else:
			alone += 1
			i += 1
	return strict >= 2 and strict >= loose and alone * 10 <= strict


def is_auto_reply(message: Message) -> bool:
	auto_submitted = header_text(message, "Auto-Submitted").lower()
	if auto_submitted and auto_submitted != "no":
		return True
	if (
		message.get("X-Autoreply")
		or message.get("X-Autorespond")
		or message.get("X-Auto-Response-Suppress", "").lower() == "all"
	):
		return True
	if header_text(message, "Precedence").lower() in ("auto_reply", "bulk", "junk"):
		return True
	return bool(AUTO_SUBJECT.match(header_text(message, "Subject")))


def is_read_receipt(message: Message) -> bool:
	"""A message disposition notification (RFC 8098): the recipient's client saying the mail was read."""
	if message.get_content_type() != "multipart/report":
		return False
	if (message.get_param("report-type") or "").lower() == "disposition-notification":
		return True
	return any(part.get_content_type() == "message/disposition-notification" for part in message.walk())


def receipt_original_ids(message: Message) -> list[str]:
	"""The Message-IDs a read receipt may refer to: Original-Message-ID of its report part, then
	In-Reply-To and References."""
	found = []
	for part in message.walk():
		if part.get_content_type() != "message/disposition-notification":
			continue
		payload = part.get_payload()
		fields = payload[0] if isinstance(payload, list) and payload else None
		text = str(fields) if fields is not None else str(payload or "")
		found += re.findall(r"(?im)^Original-Message-ID:\s*<([^>]+)>", text)
		if fields is not None and fields.get("Original-Message-ID"):
			found.append(str(fields.get("Original-Message-ID")).strip().strip("<>"))
	for name in ("In-Reply-To", "References"):
		found += re.findall(r"<([^>]+)>", header_text(message, name))
	return list(dict.fromkeys(f.strip() for f in found if f.strip()))


def is_bounce(message: Message) -> bool:
	if message.get_content_type() == "multipart/report":
		return not is_read_receipt(message)
	sender, _name = from_address(message)
	if sender and BOUNCE_SENDERS.match(sender):
		return True
	return (
		header_text(message, "Return-Path").strip() == "<>"
		and "delivery" in header_text(message, "Subject").lower()
	)
