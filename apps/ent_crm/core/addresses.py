"""E-mail address rules: normalising, splitting the ';' line, validating, company domains.

No Frappe imports (unit-testable). Every address the CRM stores or looks up goes through `normalise`, so
that ' Buyer@ACME.com ' and 'buyer@acme.com' are one address.
"""

import re

# A practical check (RFC 5322 allows more, mail servers accept less): one @, a dotted domain whose labels
# are letters, digits or hyphens (or punycode), a local part without spaces, quotes, commas or brackets.
_LOCAL = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
ADDRESS = re.compile(rf"^{_LOCAL}@{_LABEL}(?:\.{_LABEL})*\.[A-Za-z]{{2,63}}$")
SEPARATORS = re.compile(r"[;,\s]+")
MAX_LENGTH = 254


def normalise(address: str | None) -> str:
	"""Trimmed, lower-cased, without a mailto: prefix or angle brackets."""
	value = (address or "").strip().strip("<>").strip()
	if value.lower().startswith("mailto:"):
		value = value[7:]
	return value.strip().lower()


def is_valid(address: str | None) -> bool:
	value = normalise(address)
	if not value or len(value) > MAX_LENGTH or ".." in value:
		return False
	local = value.split("@", 1)[0]
	if local.startswith(".") or local.endswith(".") or len(local) > 64:
		return False
	return bool(ADDRESS.match(value))


def split_line(text: str | None) -> list[str]:
	"""The backup-address line ('a@x.com; b@y.com') as normalised addresses, in order, without repeats."""
	seen: list[str] = []
	for part in SEPARATORS.split(text or ""):
		value = normalise(part)
		if value and value not in seen:
			seen.append(value)
	return seen


def domain_of(address: str | None) -> str:
	value = normalise(address)
	return value.rsplit("@", 1)[1] if "@" in value else ""


def company_domain(address: str | None, free_domains: set[str] | list[str]) -> str | None:
	"""The sender's company domain, or None for public mail services (gmail.com, qq.com, …)."""
	domain = domain_of(address)
	if not domain:
		return None
	free = {d.strip().lower() for d in free_domains}
	return None if domain in free else domain


def phone_digits(phone: str | None) -> str:
	"""Digits only, without a leading international 00 — '+86 (21) 5555-0101' -> '862155550101'."""
	digits = re.sub(r"\D", "", phone or "")
	return digits[2:] if digits.startswith("00") else digits
