"""Which index answers each part of a queue's mail (the indexes themselves are declared, with the queries
they serve, in `ent_crm.setup.indexes`); the optimizer alone picks received_at or a one-column index and
reads hundreds of thousands of rows."""

import frappe

# (part of the mail rule, queue) -> index on `tabECRM Mail`
INDEX_FOR = {
	("all_system", "unassigned"): "wb_queue_flags_received",
	("all_system", "known"): "wb_queue_flags_received",
	("all_system", "stranger"): "wb_queue_flags_received",
	("all_system", "handled"): "wb_queue_followed",
	("all_personal", "unassigned"): "wb_queue_flags_received",
	("all_personal", "known"): "wb_queue_flags_received",
	("all_personal", "stranger"): "wb_queue_flags_received",
	("all_personal", "handled"): "wb_queue_followed",
	("assigned", "known"): "wb_user_queue_received",
	("assigned", "stranger"): "wb_user_queue_received",
	("assigned", "handled"): "wb_queue_followed",
	("assigned", "all"): "wb_user_direction_received",
	("assigned", "sent"): "wb_user_direction_received",
	("assigned", "trash"): "wb_user_queue_received",
	("customers", "known"): "wb_ref_queue_received",
	("customers", "stranger"): "wb_ref_queue_received",
	("customers", "handled"): "wb_queue_followed",
	("customers", "trash"): "wb_ref_queue_received",
}


def index_hint(part: str, queue: str) -> str:
	"""`force index (...)` for this part of this queue, when the index exists ("" otherwise)."""
	name = INDEX_FOR.get((part, queue))
	if not name:
		return ""
	cache = getattr(frappe.local, "ecrm_workbench_indexes", None)
	if cache is None:
		cache = frappe.local.ecrm_workbench_indexes = {}
	if name not in cache:
		cache[name] = bool(frappe.db.has_index("tabECRM Mail", name))
	return f"force index (`{name}`)" if cache[name] else ""
