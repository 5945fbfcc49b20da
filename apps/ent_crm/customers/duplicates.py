"""Possible duplicates of a new customer or supplier (G1): same company mail domain, similar name, same phone.

The form asks while the user types, so every lookup is an indexed one with a limit: the address index's
unique `email` index for the domain, a LIKE prefix on the indexed name columns, equality on the indexed
`phone_digits`. Matches the user may not read are only counted (`hidden`), never named.
"""

import re
import unicodedata
from difflib import SequenceMatcher

import frappe
from frappe import _

from ent_crm.core.addresses import company_domain, normalise, phone_digits

# doctype -> its name field
RECORDS = {"ECRM Customer": "customer_name", "ECRM Supplier": "supplier_name"}
INDEX = "ECRM Email Address"

SIMILARITY = 0.85
MIN_PHONE_DIGITS = 6
MIN_NAME_LENGTH = 2
MAX_NAME_CANDIDATES = 2000  # rows read per doctype for the name comparison
MAX_DOMAIN_ADDRESSES = 200  # addresses read at one domain
MAX_RESULTS = 30  # records checked for permission and returned (readable) or counted (hidden)

# Company-form words dropped from the end of a name (after punctuation is removed: "s.r.l." -> "srl").
LATIN_SUFFIXES = {
	"co", "company", "corp", "corporation", "inc", "incorporated", "llc", "llp", "ltd", "ltda", "limited",
	"plc", "gmbh", "ag", "kg", "sa", "sas", "sae", "sl", "srl", "sarl", "spa", "sro", "bv", "nv", "pte",
	"pvt", "pty", "oy", "ab", "as", "aş", "kk", "jsc", "sdn", "bhd", "est", "cv",
}  # fmt: skip
CJK_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "集团", "公司")
LEADING_WORDS = {"the"}
# Dots and apostrophes join ("s.r.l." -> "srl", "o'neil" -> "oneil"); other punctuation separates words.
JOINING = re.compile(r"[.'’`]")
SEPARATING = re.compile(r"[^\w\s]|_")


def normalise_name(name: str | None) -> str:
	"""'ACME Trading Co., Ltd.' -> 'acme trading'; '广州白云五金有限公司' -> '广州白云五金'."""
	text = unicodedata.normalize("NFKC", name or "").lower()
	text = JOINING.sub("", text)
	text = SEPARATING.sub(" ", text)
	words = text.split()
	while words:
		last = words[-1]
		if (last in LATIN_SUFFIXES or last in CJK_SUFFIXES) and len(words) > 1:
			words.pop()
			if last == "cv" and len(words) > 2 and words[-1] == "de":  # "S.A. de C.V."
				words.pop()
			continue
		cut = next((s for s in CJK_SUFFIXES if last.endswith(s) and len(last) > len(s)), None)
		if cut:
			words[-1] = last[: -len(cut)]
			continue
		break
	if len(words) > 1 and words[0] in LEADING_WORDS:
		words.pop(0)
	return " ".join(words)


def is_cjk(char: str) -> bool:
	return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


def name_prefix(core: str) -> str:
	"""What the stored name of a similar record most likely starts with: the first word, or for a
	Chinese name its first two characters (names rarely have spaces there)."""
	if not core:
		return ""
	first = core.split()[0]
	if is_cjk(first[0]):
		return first[:2]
	return first


def similar(core: str, other: str) -> bool:
	"""Equal, one contained in the other (whole words of at least four letters; for Chinese, at least
	three characters), or a difflib ratio of at least SIMILARITY."""
	if not core or not other:
		return False
	if core == other:
		return True
	shorter, longer = sorted((core, other), key=len)
	if is_cjk(shorter[0]):
		if len(shorter) >= 3 and shorter in longer:
			return True
	elif len(shorter) >= 4 and f" {shorter} " in f" {longer} ":
		return True
	matcher = SequenceMatcher(None, core, other)
	return (
		matcher.real_quick_ratio() >= SIMILARITY
		and matcher.quick_ratio() >= SIMILARITY
		and matcher.ratio() >= SIMILARITY
	)


def free_mail_domains() -> set[str]:
	text = frappe.db.get_single_value("ECRM Settings", "free_mail_domains") or ""
	return {line.strip().lower() for line in text.replace(",", "\n").splitlines() if line.strip()}


def like_escape(text: str) -> str:
	return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def find_possible_duplicates(
	customer_name: str = "", primary_email: str = "", phone: str = "", exclude: str = ""
) -> dict:
	"""Existing customers and suppliers that may be the record being entered.

	Returns {"matches": [{doctype, name, title, reason}], "hidden": n, "truncated": bool}: `matches`
	only holds records the user may read; `hidden` counts the others (the caller checks that the user may
	read customers or suppliers at all: ent_crm.customers.api).
	"""
	found: dict[tuple[str, str], list[str]] = {}

	def add(doctype, name, reason):
		if not name or name == exclude:
			return
		reasons = found.setdefault((doctype, name), [])
		if reason not in reasons:
			reasons.append(reason)

	for doctype, name in by_phone(phone):
		add(doctype, name, _("same phone number"))
	address = normalise(primary_email)
	for doctype, name, same_address in by_domain(address):
		add(doctype, name, _("same e-mail address") if same_address else _("same e-mail domain"))
	for doctype, name, same_name in by_name(customer_name):
		add(doctype, name, _("same name") if same_name else _("similar name"))

	keys = list(found)
	truncated = len(keys) > MAX_RESULTS
	matches, hidden = [], 0
	for doctype, name in keys[:MAX_RESULTS]:
		if not frappe.has_permission(doctype, "read", doc=name):
			hidden += 1
			continue
		matches.append(
			{
				"doctype": doctype,
				"name": name,
				"title": frappe.db.get_value(doctype, name, RECORDS[doctype]) or name,
				"reason": join_reasons(found[(doctype, name)]),
			}
		)
	return {"matches": matches, "hidden": hidden, "truncated": truncated}


def join_reasons(reasons: list[str]) -> str:
	text = reasons[0]
	for reason in reasons[1:]:
		# translators: joins two reasons for a possible duplicate ("same name, same phone number")
		text = _("{0}, {1}").format(text, reason)
	return text


def by_phone(phone: str) -> list[tuple[str, str]]:
	digits = phone_digits(phone)
	if len(digits) < MIN_PHONE_DIGITS:
		return []
	rows = []
	for doctype in RECORDS:
		for name in frappe.get_all(
			doctype, filters={"phone_digits": digits}, pluck="name", limit=MAX_RESULTS, order_by="name asc"
		):
			rows.append((doctype, name))
	return rows


def by_domain(address: str) -> list[tuple[str, str, bool]]:
	"""Records holding an address at the same company domain (never for public mail services)."""
	if "@" not in address:
		return []
	domain = company_domain(address, free_mail_domains())
	if not domain:
		# a public mail service: only the very address (one primary-key read) is worth a warning
		row = frappe.db.get_value(INDEX, address, ["reference_doctype", "reference_name"], as_dict=True)
		return [(row.reference_doctype, row.reference_name, True)] if row else []
	addresses = addresses_at(domain)
	if not addresses:
		return []
	rows = frappe.get_all(
		INDEX,
		filters={"name": ("in", addresses), "reference_doctype": ("in", list(RECORDS))},
		fields=["name", "reference_doctype", "reference_name"],
		order_by="name asc",
	)
	# the very address first, then one entry per record
	rows.sort(key=lambda r: r.name != address)
	result, seen = [], set()
	for row in rows:
		key = (row.reference_doctype, row.reference_name)
		if key in seen:
			continue
		seen.add(key)
		result.append((row.reference_doctype, row.reference_name, row.name == address))
	return result


def addresses_at(domain: str) -> list[str]:
	"""Up to MAX_DOMAIN_ADDRESSES addresses of the index at `domain`: an equality lookup on the indexed
	domain column, which the address index fills for every address."""
	return frappe.get_all(INDEX, filters={"domain": domain}, pluck="name", limit=MAX_DOMAIN_ADDRESSES)


def by_name(customer_name: str) -> list[tuple[str, str, bool]]:
	core = normalise_name(customer_name)
	if len(core) < MIN_NAME_LENGTH:
		return []
	prefix = name_prefix(core)
	patterns = [like_escape(prefix) + "%"]
	if not is_cjk(prefix[0]):
		patterns += [f"the {like_escape(prefix)}%"]
	same, close = [], []
	for doctype, field in RECORDS.items():
		where = " or ".join(f"`{field}` like %(p{i})s" for i in range(len(patterns)))
		candidates = frappe.db.sql(
			f"""select name, `{field}` from `tab{doctype}` where {where} limit {MAX_NAME_CANDIDATES}""",
			{f"p{i}": p for i, p in enumerate(patterns)},
		)
		for name, title in candidates:
			other = normalise_name(title)
			if other == core:
				same.append((doctype, name, True))
			elif similar(core, other):
				close.append((doctype, name, False))
	return same + close
