"""The recycle bin empties itself (B5, D5): mail deleted to the recycle bin, or stored there because its
sender is blocked, is removed for good once it has stayed longer than ECRM Settings' *Recycle Bin
Retention (Days)* (0 keeps it for ever), with its Communication and attachments — as "delete for good"
does. The time counts from the mail's last change, which is its move to the bin (or its arrival, for a
blocked sender's mail); a mail restored and binned again starts over. Deleting keeps the mailbox's record
of where the mail was read (ECRM Mail on_trash), so the pull never fetches it again.
"""

import frappe
from frappe.utils import add_days, cint, now_datetime

from ent_crm.mail import routing

MAIL = "ECRM Mail"
BATCH = 200  # mails deleted per commit
MAX_PER_RUN = 20000  # one daily run's share; the rest goes next day


def retention_days() -> int:
	return cint(frappe.db.get_single_value("ECRM Settings", "recycle_bin_days"))


def expired(days: int, limit: int) -> list[str]:
	"""Mails in the recycle bin untouched for more than `days` days, oldest first."""
	cutoff = add_days(now_datetime(), -days)
	return frappe.get_all(
		MAIL,
		filters={"queue": routing.RECYCLE_BIN, "modified": ("<", cutoff)},
		pluck="name",
		order_by="modified asc",
		limit=limit,
	)


def delete_mail(name: str) -> None:
	communication = frappe.db.get_value(MAIL, name, "communication")
	frappe.delete_doc(MAIL, name, ignore_permissions=True, delete_permanently=True)
	if communication and frappe.db.exists("Communication", communication):
		frappe.delete_doc("Communication", communication, ignore_permissions=True, delete_permanently=True)


def purge(limit: int = MAX_PER_RUN) -> int:
	"""Daily job: delete the recycle bin's expired mail; returns how many. A mail that cannot be deleted is
	left for the next run and logged, and does not stop the others."""
	days = retention_days()
	if days <= 0:
		return 0
	deleted = 0
	while deleted < limit:
		names = expired(days, min(BATCH, limit - deleted))
		if not names:
			break
		failed = 0
		for name in names:
			try:
				frappe.db.savepoint("ecrm_purge")
				delete_mail(name)
				deleted += 1
			except Exception:
				frappe.db.rollback(save_point="ecrm_purge")
				frappe.log_error(title="ent_crm recycle bin", reference_doctype=MAIL, reference_name=name)
				failed += 1
		frappe.db.commit()  # nosemgrep: a long job frees what it deleted batch by batch
		if failed == len(names):
			break  # nothing in this batch can be deleted: leave it for a person, do not loop on it
	return deleted
