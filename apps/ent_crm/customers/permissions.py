"""Permission hooks of customers and suppliers (hooks.py: permission_query_conditions, has_permission).

Thin adapters: the rule itself is ent_crm.core.visibility's (one SQL condition for lists, link search,
reports and the REST API, and the same rule for one document), shared with follow-up, statistics and
the workbench, so the hooks and the packages that filter by it cannot drift apart.
"""

from ent_crm.core import visibility


def customer_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	return visibility.customer_query_conditions(user, doctype)


def customer_has_permission(doc, ptype: str | None = None, user: str | None = None, debug=False):
	return visibility.customer_has_permission(doc, ptype, user, debug)


def supplier_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	return visibility.supplier_query_conditions(user, doctype)


def supplier_has_permission(doc, ptype: str | None = None, user: str | None = None, debug=False):
	return visibility.supplier_has_permission(doc, ptype, user, debug)
