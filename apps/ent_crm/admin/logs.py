"""Logs in one place for administrators (A8), read from Frappe's own records:

- logins and logouts (and refused logins): Activity Log, operation Login/Logout/Impersonate;
- every change a user made: Version (document, field, old and new value), rendered field by field;
- exports and prints: Access Log;
- backups: the files under the site's private/backups, with their times and sizes.

One paged reader, `get_logs`, newest first. Each query orders by `modified` (indexed in all three
tables; a log row is written once, so modified is its time) and reads one page plus one row.
"""

import json
import os
from datetime import datetime
from zoneinfo import ZoneInfo

import frappe
from frappe import _
from frappe.utils import cint, flt, get_datetime, get_system_timezone, getdate

LOG_TYPES = ("login", "change", "access", "backup")
MAX_PAGE = 200
MAX_VALUE = 140  # characters of an old or new value shown in the list


def get_logs(log_type="login", user=None, from_date=None, to_date=None, start=0, page_length=50) -> dict:
	"""One page of one kind of log: {"rows": [...], "has_more": bool}. Each row has time, user, what and
	details (for changes: a list of {field, old, new}). ent_crm.admin.api checks the caller first."""
	if log_type not in LOG_TYPES:
		frappe.throw(_("Unknown kind of log: {0}").format(log_type))
	start, page_length = max(cint(start), 0), min(max(cint(page_length), 1), MAX_PAGE)
	reader = {"login": login_logs, "change": change_logs, "access": access_logs, "backup": backup_logs}[
		log_type
	]
	rows = reader(user or None, date_range(from_date, to_date), start, page_length + 1)
	return {"rows": rows[:page_length], "has_more": len(rows) > page_length}


def date_range(from_date, to_date) -> tuple:
	low = get_datetime(f"{getdate(from_date)} 00:00:00") if from_date else None
	high = get_datetime(f"{getdate(to_date)} 23:59:59.999999") if to_date else None
	return low, high


def conditions(user_column: str, user, dates) -> tuple[str, dict]:
	where, values = [], {}
	if user:
		where.append(f"{user_column} = %(user)s")
		values["user"] = user
	if dates[0]:
		where.append("modified >= %(low)s")
		values["low"] = dates[0]
	if dates[1]:
		where.append("modified <= %(high)s")
		values["high"] = dates[1]
	return "".join(f" and {w}" for w in where), values


def login_logs(user, dates, start, limit) -> list[dict]:
	where, values = conditions("user", user, dates)
	rows = frappe.db.sql(
		f"""select modified as time, user, full_name, operation, status, subject, ip_address
		from `tabActivity Log` where operation in ('Login', 'Logout', 'Impersonate'){where}
		order by modified desc limit {cint(start)}, {cint(limit)}""",
		values,
		as_dict=True,
	)
	return [
		{
			"time": r.time,
			"user": r.user,
			"full_name": r.full_name,
			"what": _(r.operation),
			"status": _(r.status) if r.status else "",
			"failed": r.status == "Failed",
			"details": frappe.utils.strip_html(r.subject or ""),
			"ip_address": r.ip_address,
		}
		for r in rows
	]


def change_logs(user, dates, start, limit) -> list[dict]:
	where, values = conditions("owner", user, dates)
	rows = frappe.db.sql(
		f"""select modified as time, owner as user, ref_doctype, docname, data
		from `tabVersion` where 1=1{where}
		order by modified desc limit {cint(start)}, {cint(limit)}""",
		values,
		as_dict=True,
	)
	return [
		{
			"time": r.time,
			"user": r.user,
			"what": _(r.ref_doctype),
			"doctype": r.ref_doctype,
			"docname": r.docname,
			"changes": describe_version(r.ref_doctype, r.data),
		}
		for r in rows
	]


def describe_version(doctype: str, data: str | None) -> list[dict]:
	"""Version.data as a list of {field, old, new} with the fields' labels; created, added and removed
	table rows are one line each."""
	try:
		diff = json.loads(data or "{}")
	except ValueError:
		return []
	try:
		meta = frappe.get_meta(doctype)
	except frappe.DoesNotExistError:
		meta = None

	def label(fieldname, parent_meta=meta):
		df = parent_meta.get_field(fieldname) if parent_meta else None
		return _(df.label) if df and df.label else fieldname

	def table_meta(fieldname):
		df = meta.get_field(fieldname) if meta else None
		try:
			return frappe.get_meta(df.options) if df and df.options else None
		except frappe.DoesNotExistError:
			return None

	out = []
	if diff.get("created_by") and not diff.get("changed"):
		out.append({"field": _("Created"), "old": "", "new": ""})
	for fieldname, old, new in diff.get("changed") or []:
		out.append({"field": label(fieldname), "old": short(old), "new": short(new)})
	for table, _row in diff.get("added") or []:
		out.append({"field": label(table), "old": "", "new": _("row added")})
	for table, _row in diff.get("removed") or []:
		out.append({"field": label(table), "old": _("row removed"), "new": ""})
	for table, idx, _name, changes in diff.get("row_changed") or []:
		child = table_meta(table)
		for fieldname, old, new in changes:
			out.append(
				{
					"field": f"{label(table)} #{idx + 1 if isinstance(idx, int) else idx}: {label(fieldname, child)}",
					"old": short(old),
					"new": short(new),
				}
			)
	return out


def short(value) -> str:
	text = frappe.utils.strip_html(str(value)) if value not in (None, "") else ""
	return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def access_logs(user, dates, start, limit) -> list[dict]:
	where, values = conditions("user", user, dates)
	rows = frappe.db.sql(
		f"""select modified as time, user, export_from, reference_document, file_type, report_name, page, method
		from `tabAccess Log` where 1=1{where}
		order by modified desc limit {cint(start)}, {cint(limit)}""",
		values,
		as_dict=True,
	)
	out = []
	for r in rows:
		if r.method == "Print" or (r.file_type == "PDF" and r.reference_document):
			what = _("Print")
		elif r.report_name or r.file_type:
			what = _("Export")
		else:
			what = _(r.method) if r.method else _("Access")
		target = " ".join(
			filter(None, [_(r.export_from) if r.export_from else "", r.reference_document, r.report_name])
		)
		out.append(
			{
				"time": r.time,
				"user": r.user,
				"what": what,
				"details": " · ".join(filter(None, [target, r.file_type, r.page])),
			}
		)
	return out


def backup_logs(user, dates, start, limit) -> list[dict]:
	"""Backup files (database, files, private files, site config) of this site, newest first. Backups are
	made by the system, so a user filter shows none."""
	if user:
		return []
	folder = frappe.get_site_path("private", "backups")
	if not os.path.isdir(folder):
		return []
	zone = ZoneInfo(get_system_timezone())
	files = []
	for entry in os.scandir(folder):
		if not entry.is_file():
			continue
		stat = entry.stat()
		when = datetime.fromtimestamp(stat.st_mtime, tz=zone).replace(tzinfo=None)
		if (dates[0] and when < dates[0]) or (dates[1] and when > dates[1]):
			continue
		files.append(
			{
				"time": when,
				"user": "",
				"what": _("Backup"),
				"details": entry.name,
				"size_mb": flt(stat.st_size / 1048576, 2),
			}
		)
	files.sort(key=lambda f: f["time"], reverse=True)
	return files[start : start + limit]
