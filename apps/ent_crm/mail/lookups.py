"""What routing needs to know about senders, read one way for live mail and for the .eml import (C5).

Live mail looks up its one sender, the import a whole batch: either way one round trip to the database
(all indexed reads), and ent_crm.mail.routing applies the rules. So an imported mail is routed exactly
like the same mail arriving live: the same address index row, blocked list, routing rule (ignored when
its salesperson is no longer in service) and customer suggestion by company domain (made only when
exactly one customer has addresses at the sender's domain).
"""

import dataclasses

import frappe

from ent_crm.core.addresses import company_domain, domain_of
from ent_crm.mail import routing

KNOWN = """select 'known', a.name, a.reference_doctype, a.reference_name, a.contact_name,
		coalesce(c.customer_name, s.supplier_name)
	from `tabECRM Email Address` a
	left join `tabECRM Customer` c on a.reference_doctype = 'ECRM Customer' and c.name = a.reference_name
	left join `tabECRM Supplier` s on a.reference_doctype = 'ECRM Supplier' and s.name = a.reference_name
	where a.name in %(addresses)s"""
BLOCKED = """select 'blocked', name, null, null, null, null from `tabECRM Blocked Sender`
	where name in %(blocked)s"""
RULE = """select 'rule', r.name, r.employee, e.user, null, null from `tabECRM Routing Rule` r
	join `tabECRM Employee` e on e.name = r.employee and e.status = 'In Service'
	where r.name in %(addresses)s"""
# two distinct customers are enough to know that the domain does not point at one
DOMAIN = """(select distinct 'domain', %(domain{i})s, reference_name, null, null, null
	from `tabECRM Email Address` where domain = %(domain{i})s and reference_doctype = 'ECRM Customer'
	limit 2)"""


def personal_employee_of(account) -> str | None:
	"""The salesperson whose personal mailbox `account` is (their mail stays theirs), else None."""
	return account.get("ecrm_employee") if account.get("ecrm_mailbox_kind") == "Personal Mailbox" else None


class SenderLookup:
	"""The routing facts of a set of addresses, read in one query."""

	def __init__(self, addresses: list[str | None], account):
		self.personal = personal_employee_of(account)
		self.free = (frappe.get_cached_doc("ECRM Settings").free_mail_domains or "").split()
		self.known: dict[str, dict] = {}
		self.blocked: set[str] = set()
		self.rules: dict[str, tuple[str, str]] = {}
		self.domain_matches: dict[str, list[str]] = {}
		self.users: dict[str, str | None] = {}
		addresses = sorted({a for a in addresses if a})
		if addresses:
			self.read(addresses)

	def read(self, addresses: list[str]) -> None:
		domains = sorted({domain_of(a) for a in addresses} - {""})
		company = sorted({d for d in (company_domain(a, self.free) for a in addresses) if d})
		params = {"addresses": addresses, "blocked": addresses + domains}
		parts = [KNOWN, BLOCKED, RULE]
		for i, domain in enumerate(company):
			params[f"domain{i}"] = domain
			parts.append(DOMAIN.format(i=i))
		for kind, key, a, b, c, d in frappe.db.sql("\nunion all ".join(parts), params):
			key = key.lower()  # addresses are stored normalised; the database compares without case anyway
			if kind == "known":
				self.known[key] = {"reference_doctype": a, "reference_name": b, "contact_name": c, "title": d}
			elif kind == "blocked":
				self.blocked.add(key)
			elif kind == "rule":
				self.rules[key] = (a, b)
			elif kind == "domain" and a not in self.domain_matches.setdefault(key, []):
				self.domain_matches[key].append(a)

	def route(self, address: str | None) -> routing.Route:
		"""Where mail from `address` goes, with the assigned salesperson's user filled in."""
		if not address:
			route = routing.decide(
				None, blocked=False, known=None, rule_employee=None, personal_employee=self.personal
			)
			return self.with_user(route)
		rule = self.rules.get(address)
		domain = company_domain(address, self.free)
		route = routing.decide(
			address,
			blocked=address in self.blocked or domain_of(address) in self.blocked,
			known=self.known.get(address),
			rule_employee=rule[0] if rule else None,
			domain_matches=self.domain_matches.get(domain, []) if domain else [],
			personal_employee=self.personal,
		)
		return self.with_user(route, rule)

	def route_outbound(self, address: str | None) -> routing.Route:
		"""Sent mail is filed with the record of its recipient, if there is one."""
		known = self.known.get(address) if address else None
		if known:
			return routing.Route(
				routing.KNOWN,
				"sent to a known address",
				known["reference_doctype"],
				known["reference_name"],
				known["contact_name"],
				known["title"],
			)
		return routing.Route(routing.UNASSIGNED, "sent to an unknown address")

	def with_user(self, route: routing.Route, rule=None) -> routing.Route:
		"""The route with the assigned salesperson's user (from the rule row when it has it)."""
		employee = route.assigned_employee
		if not employee:
			return route
		if rule and rule[0] == employee:
			return dataclasses.replace(route, assigned_user=rule[1])
		if employee not in self.users:
			self.users[employee] = frappe.db.get_value("ECRM Employee", employee, "user")
		return dataclasses.replace(route, assigned_user=self.users[employee])
