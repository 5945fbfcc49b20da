"""Pure rules of the follow-up search box (F4): which keys a customer is found by, and how a query matches.

Every key is lower case and matched by prefix (`key like 'query%'`), so one B-tree index answers the search
box even over 100k customers. Names are also found by each word, Chinese names by any part (a key per
Chinese character position), phone and fax numbers by their digits from the front or from the end (the
reversed digits are a key of their own), addresses by the whole address or the domain.
"""

import re

MAX_KEY = 140
HEAD = (
	2  # keys are also stored with their first characters, so one customer's matching keys are one index range
)
MAX_CJK_SUFFIXES = 40
WORD = re.compile(r"[^\W_]+", re.UNICODE)
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def clean(text: str | None) -> str:
	return " ".join((text or "").lower().split())[:MAX_KEY]


def digits(text: str | None) -> str:
	return re.sub(r"\D", "", text or "")


def name_keys(text: str | None) -> set[str]:
	full = clean(text)
	if not full:
		return set()
	keys = {full}
	keys.update(w for w in WORD.findall(full) if len(w) >= 2 or CJK.match(w))
	positions = [m.start() for m in CJK.finditer(full)][1:MAX_CJK_SUFFIXES]
	keys.update(full[i:] for i in positions)
	return keys


def number_keys(text: str | None) -> set[str]:
	d = digits(text)
	return {d, d[::-1]} if len(d) >= 3 else set()


def email_keys(address: str | None) -> set[str]:
	value = clean(address)
	if "@" not in value:
		return {value} if value else set()
	return {value, value.split("@", 1)[1]}


def keys_for(customer: dict, backup_emails=(), contacts=()) -> set[tuple[str, str]]:
	"""(key, kind) pairs for one customer; `contacts` are dicts with contact_name, email, phone, mobile_no, fax."""
	found: set[tuple[str, str]] = set()

	def add(keys, kind):
		found.update((k[:MAX_KEY], kind) for k in keys if k)

	add({clean(customer.get("name"))}, "code")
	add(name_keys(customer.get("customer_name")), "name")
	add({clean(customer.get("mnemonic"))}, "mnemonic")
	add(number_keys(customer.get("phone")), "phone")
	add(number_keys(customer.get("fax")), "fax")
	add(email_keys(customer.get("primary_email")), "email")
	for address in backup_emails:
		add(email_keys(address), "backup email")
	for c in contacts:
		add(name_keys(c.get("contact_name")), "contact")
		add(email_keys(c.get("email")), "contact email")
		add(number_keys(c.get("fax")), "contact fax")
		add(number_keys(c.get("phone")) | number_keys(c.get("mobile_no")), "contact phone")
	# the same key under two kinds is stored once
	best: dict[str, str] = {}
	for key, kind in sorted(found):
		best.setdefault(key, kind)
	return {(k, v) for k, v in best.items()}


def query_prefixes(text: str | None) -> list[str]:
	"""The prefixes to look up for what the user typed (empty when too short to search)."""
	q = clean(text)
	if not q or (len(q) < 2 and not CJK.match(q)):
		return []
	prefixes = [q]
	if re.fullmatch(r"[\d\s+\-().]+", q):
		d = digits(q)
		if len(d) >= 3:
			prefixes = [d, d[::-1]]
	return prefixes


def like_prefix(prefix: str) -> str:
	"""A LIKE pattern matching keys that start with `prefix` (wildcards in the prefix are literal)."""
	return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def head_of(text: str) -> str:
	"""The start of a key or prefix stored beside it (a prefix shorter than this cannot use it)."""
	return text[:HEAD]
