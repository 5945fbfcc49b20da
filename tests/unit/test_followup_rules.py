"""Pure follow-up rules (F2–F4): weekend skipping and the search keys; no site needed."""

from datetime import date

from ent_crm.followup.dates import due_after, off_weekend
from ent_crm.followup.search_keys import keys_for, like_prefix, query_prefixes

FRIDAY, SATURDAY, SUNDAY, MONDAY = (
	date(2026, 11, 27),
	date(2026, 11, 28),
	date(2026, 11, 29),
	date(2026, 11, 30),
)


def test_weekend_moves_to_monday_only_when_skipping():
	assert off_weekend(SATURDAY, True) == MONDAY
	assert off_weekend(SUNDAY, True) == MONDAY
	assert off_weekend(FRIDAY, True) == FRIDAY
	assert off_weekend(SATURDAY, False) == SATURDAY


def test_due_after_days():
	assert due_after(FRIDAY, 1, True) == MONDAY
	assert due_after(FRIDAY, 1, False) == SATURDAY
	assert due_after(FRIDAY, 3, True) == MONDAY
	assert due_after(FRIDAY, 0, True) is None  # 0 days: no reminder
	assert due_after(FRIDAY, None, True) is None


def keys(**customer):
	contacts = customer.pop("contacts", ())
	backups = customer.pop("backups", ())
	return {k for k, _kind in keys_for({"name": "C000123", **customer}, backups, contacts)}


def test_keys_cover_every_searchable_field():
	found = keys(
		customer_name="Hanse Trading GmbH",
		mnemonic="HANSE",
		phone="+49 (40) 1234-5678",
		fax="+49 40 1234 5679",
		primary_email="Buyer@Hanse.example.com",
		backups=["orders@hanse-backup.example.com"],
		contacts=[{"contact_name": "Anna Schmidt", "email": "anna@hanse.example.com", "fax": "040 9999 000"}],
	)
	for expected in (
		"c000123",
		"hanse trading gmbh",
		"trading",
		"gmbh",
		"hanse",
		"494012345678",
		"876543210494",  # phone from the end
		"494012345679",
		"buyer@hanse.example.com",
		"hanse.example.com",
		"orders@hanse-backup.example.com",
		"anna schmidt",
		"schmidt",
		"anna@hanse.example.com",
		"0409999000",
	):
		assert expected in found, expected


def test_chinese_names_are_found_by_any_part():
	found = keys(customer_name="上海明华贸易有限公司")
	assert "上海明华贸易有限公司" in found
	assert "明华贸易有限公司" in found
	assert "贸易有限公司" in found


def test_query_prefixes():
	assert query_prefixes("  Hanse  Trading ") == ["hanse trading"]
	assert query_prefixes("a") == []  # too short
	assert query_prefixes("明") == ["明"]  # one Chinese character is a word
	assert query_prefixes("1234-5678") == ["12345678", "87654321"]


def test_like_prefix_escapes_wildcards():
	assert like_prefix("50%_off") == "50\\%\\_off%"
