"""Every composite index the app adds, per table, each with the query it serves: the one place they are
declared. `apply_indexes` creates the missing ones (and drops an earlier version's) on install and on every
migrate (hooks.py); it does nothing when they are there. One-column indexes stay on the DocType's field
(`search_index`). Code that forces an index by name (workbench, statistics) names one from this list;
tests/integration/test_indexes.py checks that each exists.

Measured with bench/ (workbench.py, statistics*.py, reminders_and_search.py, admin_logs.py): without
them the pages and reports read hundreds of thousands of rows on a large data set.
"""

import frappe

# doctype -> {index name: columns}; the comment above each says what reads by it
INDEXES: dict[str, dict[str, list[str]]] = {
	"ECRM Mail": {
		# --- workbench (ent_crm.workbench.indexes.INDEX_FOR) ---
		# a queue's page, newest first, for those who see all mail; the counts of a queue from the index alone
		"wb_queue_flags_received": ["queue", "is_personal", "is_auto_reply", "is_bounce", "received_at"],
		# handled in the last 7 days, counted from the index alone for every kind of viewer
		"wb_queue_followed": [
			"queue",
			"followed_at",
			"is_personal",
			"assigned_user",
			"reference_doctype",
			"reference_name",
		],
		# mail assigned to one salesperson (stranger, personal mailbox, sent) by queue, newest first
		"wb_user_queue_received": ["assigned_user", "queue", "received_at"],
		# mail assigned to one salesperson, received or sent, newest first (all mail, sent)
		"wb_user_direction_received": ["assigned_user", "direction", "received_at"],
		# mail of one customer by queue, newest first (the salesperson's own customers)
		"wb_ref_queue_received": ["reference_name", "queue", "received_at"],
		# --- statistics (ent_crm.statistics.reports.mail_index): the reports scan a period of mail and read
		# only these columns, so the scan never visits the rows ---
		# mail volume, sent mail per salesperson, inbound customer mail of a period (first response)
		"stats_direction_period": [
			"direction",
			"received_at",
			"reference_name",
			"queue",
			"is_auto_reply",
			"is_bounce",
			"outbound_status",
			"assigned_employee",
			"followed_at",
		],
		# first response: the first sent mail to a customer at or after a moment
		"stats_answers": ["reference_name", "direction", "received_at", "outbound_status"],
		# one salesperson's sent mail of a period
		"stats_sender": [
			"assigned_employee",
			"received_at",
			"direction",
			"reference_name",
			"outbound_status",
		],
		# --- follow-up: the customer history and "last contact" read one customer's mail newest first ---
		"reference_name_received_at_index": ["reference_name", "received_at"],
		# --- inbound mail: each pull asks for the highest message number read so far from one folder ---
		"email_account_imap_folder_imap_uid_index": ["email_account", "imap_folder", "imap_uid"],
	},
	"ECRM Mail Copy": {
		# inbound mail: where else a mail arrived, by folder and message number (each folder's progress)
		"email_account_imap_folder_imap_uid_index": ["email_account", "imap_folder", "imap_uid"],
	},
	"ECRM Customer Owner": {
		# statistics: customers of a salesperson (salesperson/department filters)
		"employee_parent_index": ["employee", "parent"],
		# statistics: a salesperson's own customers
		"user_parent_index": ["user", "parent"],
		# statistics: the owners of a customer (first response per owner)
		"parent_employee_index": ["parent", "employee"],
		# follow-up search: a salesperson's own customers (the rule of core.visibility) from the index alone
		"user_parenttype_parent_index": ["user", "parenttype", "parent"],
	},
	"ECRM Customer": {
		# statistics: customers counted by one field without visiting the rows
		"stats_region": ["is_hidden", "region"],
		"stats_customer_type": ["is_hidden", "customer_type"],
		"stats_customer_source": ["is_hidden", "customer_source"],
		"stats_industry": ["is_hidden", "industry"],
	},
	"ECRM Product Item": {
		# statistics: products of customers (product reports), read from the index alone
		"stats_product": ["parent", "parenttype", "product"],
	},
	"ECRM Contact Log": {
		# follow-up: the history of one customer and the "last contact" of many customers
		"customer_contact_date_index": ["customer", "contact_date"],
		# statistics: follow-ups per salesperson, the period scan reads everything it groups by from the index
		"contact_date_stats": ["contact_date", "employee", "method", "direction", "customer"],
		# statistics: ... and one salesperson's
		"contact_employee_stats": ["employee", "contact_date", "method", "direction", "customer"],
	},
	"ECRM Customer Search Key": {
		# follow-up search: the keys of a salesperson's own customers by prefix, (customer, head) one range
		"customer_head_search_key_index": ["customer", "head", "search_key"],
	},
	"ECRM Customer Folder": {
		# follow-up: a customer's folders by name
		"customer_folder_name_index": ["customer", "folder_name"],
	},
	"ToDo": {
		# follow-up: the daily reminder job and the due list read open reminders by type, state and day
		"reference_type_status_date_index": ["reference_type", "status", "date"],
		"allocated_to_status_date_index": ["allocated_to", "status", "date"],
	},
	"Activity Log": {
		# admin logs page: one user's entries by time (a user's month in 100,000 rows: ~150 ms to a few ms)
		"ecrm_user_modified": ["user", "modified"],
	},
	"Version": {
		# admin logs page: one user's changes by time
		"ecrm_owner_modified": ["owner", "modified"],
	},
	"Access Log": {
		# admin logs page: one user's exports and prints by time
		"ecrm_user_modified": ["user", "modified"],
	},
}

# doctype -> indexes of an earlier version, superseded by the ones above
OBSOLETE = {
	"ECRM Mail": [
		"received_at_direction_index",
		"reference_name_direction_received_at_index",
		"stats_period",
	],
	"ECRM Product Item": ["parenttype_product_parent_index"],
}


def apply_indexes() -> None:
	"""after_install and after_migrate: drop the obsolete indexes, add the missing ones (idempotent)."""
	for doctype, names in OBSOLETE.items():
		table = f"tab{doctype}"
		for name in names:
			if frappe.db.table_exists(doctype) and frappe.db.has_index(table, name):
				frappe.db.sql_ddl(f"alter table `{table}` drop index `{name}`")
	for doctype, indexes in INDEXES.items():
		if not frappe.db.table_exists(doctype):
			continue
		for name, fields in indexes.items():
			if all(frappe.db.has_column(doctype, field) for field in fields):
				frappe.db.add_index(doctype, fields, name)
