"""Machine binding by browser (A7, beyond the manual's network-card binding).

A user whose account has "Only From Approved Browsers" (User.ecrm_device_binding) logs in only from a
browser an administrator approved. The first login attempt from a browser gives it a long-lived random
cookie and files an ECRM Device row (Pending) with the address and browser seen; the login is refused
and logged. Once an administrator sets the row to Approved, logins from that browser pass.
Only a SHA-256 fingerprint of the cookie is stored, so the table cannot be used to forge a device.
"""

import hashlib

import frappe
from frappe import _
from frappe.utils import now_datetime

from ent_crm.admin.refusals import refuse, write_after_rollback
from ent_crm.core.roles import ADMIN_ROLES

COOKIE = "ecrm_device"
COOKIE_MAX_AGE = 10 * 365 * 24 * 3600  # ten years: the browser keeps its identity
BINDING_FIELD = "ecrm_device_binding"
PENDING, APPROVED, REJECTED = "Pending Approval", "Approved", "Rejected"


def fingerprint(token: str) -> str:
	return hashlib.sha256(token.encode()).hexdigest()


def binding_required(user: str) -> bool:
	if user in ("Administrator", "Guest") or not frappe.get_meta("User").has_field(BINDING_FIELD):
		return False
	return bool(frappe.db.get_value("User", user, BINDING_FIELD))


def device_token() -> str | None:
	request = getattr(frappe.local, "request", None)
	token = request.cookies.get(COOKIE) if request else None
	return token if token and len(token) >= 32 else None


def check_device(login_manager) -> None:
	"""on_login (through ent_crm.admin.login.check_login): refuse a bound user on a browser not yet approved."""
	user = login_manager.user
	if not binding_required(user):
		return
	token = device_token()
	device = None
	if token:
		device = frappe.db.get_value(
			"ECRM Device", {"user": user, "device_hash": fingerprint(token)}, ["name", "status"], as_dict=True
		)
	if device and device.status == APPROVED:
		frappe.db.set_value(
			"ECRM Device",
			device.name,
			{"last_ip": frappe.local.request_ip, "last_login": now_datetime()},
			update_modified=False,
		)
		return
	if not token:
		token = frappe.generate_hash(length=48)
		if getattr(frappe.local, "cookie_manager", None):
			frappe.local.cookie_manager.set_cookie(COOKIE, token, max_age=COOKIE_MAX_AGE, httponly=True)
	if device and device.status == REJECTED:
		refuse(
			user,
			_("This browser was rejected for your account. Ask your administrator."),
			_("Browser Not Approved"),
		)
	if not device:
		device = request_approval(user, token)
	refuse(
		user,
		_(
			"This browser is not yet approved for your account. Your administrator has been asked to approve it (request {0}); log in again once it is approved."
		).format(device.name),
		_("Browser Not Approved"),
	)


def request_approval(user: str, token: str):
	"""File a pending ECRM Device for this browser; written after the refused request's rollback."""
	request = getattr(frappe.local, "request", None)
	values = {
		"doctype": "ECRM Device",
		"user": user,
		"status": PENDING,
		"device_hash": fingerprint(token),
		"requested_on": now_datetime(),
		"first_ip": frappe.local.request_ip,
		"last_ip": frappe.local.request_ip,
		"user_agent": (request.headers.get("User-Agent") if request else "") or "",
	}
	name = frappe.generate_hash(length=10)

	def write():
		frappe.get_doc({**values, "name": name}).db_insert()
		tell_administrators(user, name)

	write_after_rollback(write)
	return frappe._dict(name=name, status=PENDING)


def on_status_change(doc) -> None:
	"""ECRM Device.validate: remember who approved a browser and when."""
	if doc.status == APPROVED and (doc.is_new() or doc.has_value_changed("status")):
		doc.approved_by = frappe.session.user
		doc.approved_on = now_datetime()
	elif doc.status != APPROVED:
		doc.approved_by = doc.approved_on = None


def tell_administrators(user: str, device: str) -> None:
	"""A bell notification for every system manager and CRM manager: a browser waits for approval."""
	admins = frappe.get_all(
		"Has Role",
		filters={
			"role": ("in", ADMIN_ROLES),
			"parenttype": "User",
			"parent": ("not in", ("Administrator", "Guest")),
		},
		pluck="parent",
		distinct=True,
	)
	enabled = set(
		frappe.get_all("User", filters={"name": ("in", admins or [""]), "enabled": 1}, pluck="name")
	)
	for admin in sorted(enabled | {"Administrator"}):
		frappe.get_doc(
			{
				"doctype": "Notification Log",
				"for_user": admin,
				"type": "Alert",
				"subject": _("{0} asks to log in from a new browser").format(user),
				"document_type": "ECRM Device",
				"document_name": device,
				"from_user": user,
			}
		).insert(ignore_permissions=True)
