"""Everything that would stop an outgoing mail, each with a clear message (E1–E4)."""

import frappe
from frappe import _
from frappe.utils import cint, escape_html

from ent_crm.core.addresses import is_valid, split_line
from ent_crm.mail.outbound.mailboxes import MAIL


def attachment_limit_mb() -> int:
	return cint(frappe.db.get_single_value("ECRM Settings", "attachment_size_limit_mb"))


def check_sendable(doc) -> None:
	"""Everything that would stop the mail, each with a clear message (the draft is kept by the caller)."""
	for problem in doc.flags.problems or []:
		frappe.throw(problem, title=_("Mail Not Sent"))
	if not doc.email_account:
		frappe.throw(_("Choose the mailbox to send from."), title=_("Mail Not Sent"))
	to = split_line(doc.recipients)
	if not to:
		frappe.throw(_("Enter at least one recipient."), title=_("Mail Not Sent"))
	wrong = [a for a in to + split_line(doc.cc) + split_line(doc.bcc) if not is_valid(a)]
	if wrong:
		frappe.throw(
			_("These addresses are not valid e-mail addresses: {0}").format(escape_html(", ".join(wrong))),
			title=_("Mail Not Sent"),
		)
	if not (doc.subject or "").strip():
		frappe.throw(_("Enter a subject."), title=_("Mail Not Sent"))
	limit = attachment_limit_mb()
	if limit:
		size = sum(
			cint(s)
			for s in frappe.get_all(
				"File", filters={"attached_to_doctype": MAIL, "attached_to_name": doc.name}, pluck="file_size"
			)
		)
		if size > limit * 1024 * 1024:
			frappe.throw(
				_(
					"The attachments are {0} MB together, more than the limit of {1} MB. Remove some and send again."
				).format(round(size / 1024 / 1024, 1), limit),
				title=_("Mail Not Sent"),
			)
