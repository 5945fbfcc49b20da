app_name = "ent_crm"
app_title = "Ent CRM"
app_publisher = "ent_crm developers"
app_description = "Email-centred CRM for foreign-trade companies"
app_email = "dev@ent-crm.example"
app_license = "MIT"
app_icon = "octicon octicon-mail"
app_color = "blue"

export_python_type_annotations = True

# Install and migrate: roles, role profiles and base data are seeded in code, insert-only, so that an
# administrator's edits survive every migrate (fixtures would be deleted and re-imported each time).
# (+ the app's composite indexes, declared in ent_crm.setup.indexes)
after_install = ["ent_crm.setup.install.after_install", "ent_crm.setup.indexes.apply_indexes"]
after_migrate = ["ent_crm.setup.install.after_migrate", "ent_crm.setup.indexes.apply_indexes"]
before_uninstall = "ent_crm.setup.install.before_uninstall"

# Translations of the seeded names (regions, departments, code lists) live in Frappe's Translation
# doctype, so an administrator can correct them; the app's UI strings are in translations/zh.csv.

# Link filters on regions and departments pick from the tree ("descendants of").
treeviews = ["ECRM Region", "ECRM Department"]

# A5(2): users without the role "ECRM Remote Access" log in only from the office networks in ECRM Settings.
# A3/A7: registered addresses (User.restrict_ip, refusals logged), approved browsers, cap on users online.
on_login = ["ent_crm.admin.login.check_office_network", "ent_crm.admin.login.check_login"]

# A2/A4: the role profile ECRM Salesperson brings its module profile along.
doc_events = {
	"User": {"before_validate": "ent_crm.admin.accounts.apply_module_profile"},
	# C2: a personal mailbox's server login is tried when it is saved, with a clear message when it fails.
	# Mailbox health: a deleted mailbox takes its health record along.
	"Email Account": {
		"before_validate": "ent_crm.personal.settings.check_personal_mailbox",
		"on_trash": "ent_crm.mail.health.forget_mailbox",
	},
	# F4: the follow-up search box finds customers through prefix keys kept on every save.
	"ECRM Customer": {
		"on_update": "ent_crm.followup.search.on_customer_update",
		"on_trash": "ent_crm.followup.search.on_customer_trash",
		"after_rename": "ent_crm.followup.search.on_customer_rename",
	},
	# E5: no outgoing mail of a salesperson with an approver leaves unapproved (every route queues here);
	# E1: replies carry References for threading.
	"Email Queue": {
		"before_insert": [
			"ent_crm.mail.approval.guard_email_queue",
			"ent_crm.mail.outbound.sending.add_references",
		],
	},
	# Issue 19 (1): a personal template holds only the fixed placeholders (never run as a template).
	"Email Template": {"validate": "ent_crm.mail.placeholders.validate_personal_template"},
	# E6: an outgoing mail is Queued until its Email Queue row is Sent (a server accepted it), or Failed.
	"Communication": {"on_change": "ent_crm.mail.outbound.delivery.delivery_changed"},
}

# G3: salespeople see their own customers, merchandisers their own suppliers (lists, search, REST, forms).
permission_query_conditions = {
	"ECRM Customer": "ent_crm.customers.permissions.customer_query_conditions",
	"ECRM Supplier": "ent_crm.customers.permissions.supplier_query_conditions",
	"ECRM Mail": "ent_crm.mail.permissions.mail_query_conditions",
	"ECRM Contact Log": "ent_crm.followup.permissions.contact_log_query_conditions",
	"ECRM Customer Folder": "ent_crm.followup.permissions.folder_query_conditions",
	"ECRM Ownership Query": "ent_crm.ent_crm.doctype.ecrm_ownership_query.ecrm_ownership_query.get_permission_query_conditions",
	"ECRM Personal Settings": "ent_crm.personal.permissions.query_conditions",
	"ECRM Message": "ent_crm.messages.permissions.query_conditions",
	"Email Template": "ent_crm.mail.permissions.template_query_conditions",
}
has_permission = {
	"ECRM Customer": "ent_crm.customers.permissions.customer_has_permission",
	"ECRM Supplier": "ent_crm.customers.permissions.supplier_has_permission",
	"ECRM Mail": "ent_crm.mail.permissions.mail_has_permission",
	"ECRM Contact Log": "ent_crm.followup.permissions.contact_log_has_permission",
	"ECRM Customer Folder": "ent_crm.followup.permissions.folder_has_permission",
	"ECRM Ownership Query": "ent_crm.ent_crm.doctype.ecrm_ownership_query.ecrm_ownership_query.has_permission",
	"ECRM Personal Settings": "ent_crm.personal.permissions.has_permission",
	"ECRM Message": "ent_crm.messages.permissions.has_permission",
	"Email Template": "ent_crm.mail.permissions.template_has_permission",
}

# C1–C3: CRM mailboxes receive through ent_crm.mail.inbound (routing by From, nothing lost).
override_doctype_class = {
	"Email Account": "ent_crm.mail.email_account.ECRMEmailAccount",
	"Communication": "ent_crm.mail.communication.ECRMCommunication",  # one contact lookup per mail
}

# Issue 19 (1): Frappe's e-mail dialog fills templates in through ours (personal ones never run as Jinja).
# Issue 19 (7): a colleague's personal-mailbox mail is left out of a record's form timeline.
override_whitelisted_methods = {
	"frappe.email.doctype.email_template.email_template.get_email_template": "ent_crm.mail.outbound.templates.get_email_template",
	"frappe.desk.form.load.getdoc": "ent_crm.mail.form_load.getdoc",
	"frappe.desk.form.load.get_docinfo": "ent_crm.mail.form_load.get_docinfo",
	"frappe.desk.form.load.get_communications": "ent_crm.mail.form_load.get_communications",
}

# Domain events (ent_crm.core.events): customers announce, mail acts (mail sits above customers).
# A customer or supplier gained addresses: the mail waiting from them joins the record (D4).
ecrm_addresses_added = ["ent_crm.mail.triage.adopt_waiting_mail"]
# A salesperson's customers were handed over: their routing rules and stranger mail follow (G6).
ecrm_routing_handed_over = ["ent_crm.mail.triage.hand_over_routing"]

# `bench --site SITE ent-crm-demo` (frappe.utils.bench_helper imports ent_crm.commands)

# The desk JS several screens share (statistics filters, contact history, composer, triage dialogs, the
# internal messages' pop-ups, J1/J2) and the pages' styles: public/js/ent_crm.bundle.js and
# public/css/ent_crm.bundle.css, built by `bench build`. Old messages go daily.
app_include_js = ["ent_crm.bundle.js"]
app_include_css = ["ent_crm.bundle.css"]
scheduler_events = {
	# E4: scheduled mail is handed to the Email Queue when due.
	"all": ["ent_crm.mail.outbound.sending.release_due"],
	# E6: mail the queue finally could not deliver is marked Failed (also in its mass mailing's report).
	"hourly": ["ent_crm.mail.outbound.delivery.sync_delivery"],
	"daily": [
		"ent_crm.messages.retention.purge_old_messages",
		"ent_crm.followup.reminders.send_daily_reminders",
		# B5/D5: the recycle bin keeps mail for ECRM Settings' retention days, then deletes it for good
		"ent_crm.mail.recycle_bin.purge",
	],
	# Mailbox health: a CRM mailbox that stopped pulling rings the mail admins' bell, once per incident.
	"cron": {"*/10 * * * *": ["ent_crm.mail.health.notify_stale_mailboxes"]},
}

# Issue 19 (items 2–5, 11, 12): Frappe's generic routes obey the row rules (ent_crm.core.route_guards).
# Child tables listed with `parent=` follow their parent's list rule; private files follow their record.
_CHILD_TABLES = (
	"ECRM Backup Email",
	"ECRM Contact Person",
	"ECRM Customer Owner",
	"ECRM Mass Mailing Recipient",
	"ECRM Message Recipient",
	"ECRM Ownership Query Condition",
	"ECRM Product Item",
	"ECRM Region Employee",
)
permission_query_conditions.update(
	{child: "ent_crm.core.route_guards.child_query_conditions" for child in _CHILD_TABLES}
)
permission_query_conditions["File"] = "ent_crm.core.route_guards.file_query_conditions"
has_permission["File"] = "ent_crm.core.route_guards.file_has_permission"
doc_events.setdefault("File", {})["before_validate"] = "ent_crm.core.route_guards.guard_file_change"
override_doctype_class["File"] = "ent_crm.core.route_guards.ECRMFile"  # downloads use the full check
override_whitelisted_methods.update(
	{
		"frappe.desk.search.search_link": "ent_crm.core.route_guards.search_link",
		"frappe.desk.search.search_widget": "ent_crm.core.route_guards.search_widget",
		"frappe.client.get_count": "ent_crm.core.route_guards.get_count",
		"frappe.desk.listview.get_group_by_count": "ent_crm.core.route_guards.get_group_by_count",
		"frappe.desk.like.toggle_like": "ent_crm.core.route_guards.toggle_like",
		"frappe.desk.form.document_follow.follow_document": "ent_crm.core.route_guards.follow_document",
		"frappe.desk.form.document_follow.update_follow": "ent_crm.core.route_guards.update_follow",
		"frappe.desk.form.document_follow.unfollow_document": "ent_crm.core.route_guards.unfollow_document",
		"frappe.desk.form.document_follow.get_follow_users": "ent_crm.core.route_guards.get_follow_users",
		"frappe.core.api.file.zip_files": "ent_crm.core.route_guards.zip_files",
		"frappe.core.doctype.file.file.zip_files": "ent_crm.core.route_guards.zip_files",
		"frappe.core.doctype.communication.email.make": "ent_crm.core.route_guards.make_communication",
	}
)
