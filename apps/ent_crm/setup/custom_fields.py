"""Fields the CRM adds to Frappe's own doctypes (kept in step on install and every migrate)."""

from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

CUSTOM_FIELDS = {
	# E1: a personal template is seen by its author only (ent_crm.mail.permissions.template_query_conditions).
	"Email Template": [
		{
			"fieldname": "ecrm_personal",
			"label": "Personal Template",
			"fieldtype": "Check",
			"default": "0",
			"insert_after": "subject",
			"read_only": 1,
			"search_index": 1,
			"description": "Only its author sees and uses it (saved from the mail composer).",
		},
	],
	# A7: browser binding (ent_crm.admin.devices), beside Frappe's own "Restrict IP" on the User form.
	"User": [
		{
			"fieldname": "ecrm_device_binding",
			"label": "Only From Approved Browsers",
			"fieldtype": "Check",
			"insert_after": "restrict_ip",
			"description": "The user logs in only from browsers an administrator approved under CRM Devices. "
			"The first login from a new browser files an approval request and is refused.",
		},
	],
	"Email Account": [
		{
			"fieldname": "ecrm_mailbox_kind",
			"label": "CRM Mailbox",
			"fieldtype": "Select",
			"options": "\nSystem Mailbox\nPersonal Mailbox",
			"insert_after": "email_id",
			"description": "System Mailbox: the company's public address, its unknown senders wait for a mail admin. "
			"Personal Mailbox: a salesperson's own address, its mail stays with them. Empty: not routed by the CRM.",
		},
		{
			"fieldname": "ecrm_employee",
			"label": "Salesperson",
			"fieldtype": "Link",
			"options": "ECRM Employee",
			"insert_after": "ecrm_mailbox_kind",
			"depends_on": "eval:doc.ecrm_mailbox_kind=='Personal Mailbox'",
			"mandatory_depends_on": "eval:doc.ecrm_mailbox_kind=='Personal Mailbox'",
		},
		{
			# written by ent_crm.mail.email_account when a pull had to stop before a mail (it is read
			# again next time); emptied by the next pull that gets through. For the mailbox health panel.
			"fieldname": "last_pull_error",
			"label": "Last Pull Error",
			"fieldtype": "Small Text",
			"insert_after": "ecrm_employee",
			"read_only": 1,
			"no_copy": 1,
			"depends_on": "eval:doc.last_pull_error",
			"description": "Why the last pull of this CRM mailbox stopped early. The mail it stopped at is read again on the next pull.",
		},
	],
}


def sync_custom_fields() -> None:
	create_custom_fields(CUSTOM_FIELDS, ignore_validate=True, update=True)


def remove_custom_fields() -> None:
	"""On uninstall: Frappe's doctypes lose the fields the app gave them."""
	import frappe

	for doctype, fields in CUSTOM_FIELDS.items():
		for field in fields:
			name = frappe.db.get_value("Custom Field", {"dt": doctype, "fieldname": field["fieldname"]})
			if name:
				frappe.delete_doc("Custom Field", name, ignore_permissions=True, force=True)
