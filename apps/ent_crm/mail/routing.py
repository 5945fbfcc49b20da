"""Where an inbound mail goes (manual D1–D9), decided from what is known about its sender.

Pure: the caller looks the sender up (blocked list, address index, routing rules, domain match) and this
module applies the order of the rules, so the rules can be tested without a site and stay in one place.
"""

from dataclasses import dataclass, field

UNASSIGNED = "Unassigned"
KNOWN = "Known Pending"
STRANGER = "Stranger Pending"
RECYCLE_BIN = "Recycle Bin"
FAILED = "Failed"


@dataclass(frozen=True)
class Route:
	queue: str
	reason: str
	reference_doctype: str | None = None
	reference_name: str | None = None
	contact_name: str | None = None
	reference_title: str | None = None
	assigned_employee: str | None = None
	assigned_user: str | None = None
	suggested_customer: str | None = None
	notes: tuple = field(default_factory=tuple)


def decide(
	sender: str | None,
	*,
	blocked: bool,
	known: dict | None,
	rule_employee: str | None,
	domain_matches: list[str] | None = None,
	personal_employee: str | None = None,
) -> Route:
	"""Apply the routing rules in order: blocked, known address, routing rule, unassigned.

	`known` is the address index row ({reference_doctype, reference_name, contact_name}); `domain_matches`
	the customers whose company domain equals the sender's (free-mail domains already left out);
	`personal_employee` is set for mail that arrived in a salesperson's personal mailbox: it stays theirs.
	"""
	if not sender:
		return Route(UNASSIGNED, "no usable From address", assigned_employee=personal_employee)
	if blocked:
		return Route(RECYCLE_BIN, "blocked sender", assigned_employee=personal_employee)
	if known:
		return Route(
			KNOWN,
			"known address",
			reference_doctype=known["reference_doctype"],
			reference_name=known["reference_name"],
			contact_name=known.get("contact_name"),
			reference_title=known.get("title"),
			assigned_employee=personal_employee,
		)
	if personal_employee:
		return Route(STRANGER, "personal mailbox", assigned_employee=personal_employee)
	if rule_employee:
		return Route(STRANGER, "address routing rule", assigned_employee=rule_employee)
	suggestion = domain_matches[0] if domain_matches and len(domain_matches) == 1 else None
	return Route(UNASSIGNED, "unknown sender", suggested_customer=suggestion)
