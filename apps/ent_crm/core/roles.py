"""The app's roles (A4, A5) and the role profiles that bundle them."""

MANAGER = "ECRM Manager"
SALESPERSON = "ECRM Salesperson"
MAIL_ADMIN = "ECRM Mail Admin"
ALL_CUSTOMERS = "ECRM All Customers"
PERSONAL_MAIL_READER = "ECRM Personal Mail Reader"
REMOTE_ACCESS = "ECRM Remote Access"

# who administers people: sees who is online and ends sessions, approves browsers, is an audience of messages
ADMIN_ROLES = ("System Manager", "ECRM Manager")

# role -> what it grants (the README and the role's desk page say the same)
ROLES = {
	MANAGER: "Every module of the CRM: base data, settings, statistics, work inspection.",
	SALESPERSON: "Customer management (new, maintain, query), follow-up (workbench, contact entry, query) and personal functions.",
	MAIL_ADMIN: "Distributes unassigned mail and reads all system mail.",
	ALL_CUSTOMERS: "Reads and modifies every customer and inspects every salesperson's work.",
	PERSONAL_MAIL_READER: "Reads the mail of salespeople's personal mailboxes.",
	REMOTE_ACCESS: "May log in from outside the office networks set in ECRM Settings.",
}

# Role Profile -> roles; an administrator gives a new account its modules in one click.
ROLE_PROFILES = {
	MANAGER: [MANAGER, SALESPERSON, MAIL_ADMIN, ALL_CUSTOMERS, PERSONAL_MAIL_READER, REMOTE_ACCESS],
	SALESPERSON: [SALESPERSON],
}

# Module Profile -> modules hidden from its users. A salesperson's desk shows the CRM and nothing of
# Frappe's website, automation or integration tools. Core modules are never blocked: the desk needs them.
MODULE_PROFILES = {
	SALESPERSON: ["Website", "Automation", "Integrations"],
}

# Frappe's own workspaces that only system managers need; everyone else no longer sees them in the
# sidebar (through Frappe's Custom Role, which an administrator can edit or delete).
SYSTEM_MANAGER_WORKSPACES = ["Users", "Build"]
