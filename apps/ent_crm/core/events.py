"""Domain events: a lower package announces what happened; a higher one, listed in hooks.py, acts on it.

Dependencies point one way (core ← admin ← personal ← messages ← customers ← followup ← mail ←
workbench, statistics). Where a lower package's action must reach a higher one — a customer gains an
address, so the mail waiting from it is adopted — the lower one emits an event and hooks.py names the
listeners, as Frappe's own doc_events do.
"""

import frappe


def emit(event: str, *args, **kwargs) -> None:
	"""Call every listener of `event` (a hooks.py key), in order, inside the caller's transaction."""
	for method in frappe.get_hooks(event):
		frappe.get_attr(method)(*args, **kwargs)
