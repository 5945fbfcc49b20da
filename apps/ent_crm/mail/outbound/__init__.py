"""Sending mail (E1–E5), one module per concern (lowest first):

- mailboxes: the states of an outgoing mail, the mailboxes a user may send from, the rights to write;
- checks: what stops a mail; compose: what the composer opens with, templates filled in;
- drafts: saving the author's draft and its files;
- delivery: following a queued mail to Sent or Failed (doc_event, hourly backstop);
- sending: send, release, schedule, cancel, reopen, and the Communication + Email Queue row;
- decisions: the approver's approve / reject; templates: stock phrases and personal templates.

The whitelisted entry points are in ent_crm.mail.api. The names below stay importable from here for the
app's own callers (mass mail, demo, tests).
"""

from ent_crm.mail.outbound.checks import attachment_limit_mb, check_sendable
from ent_crm.mail.outbound.compose import (
	attachment_urls,
	compose_defaults,
	fill_in,
	original_of,
	render,
	render_template,
)
from ent_crm.mail.outbound.decisions import approve, reject
from ent_crm.mail.outbound.delivery import (
	delivery_changed,
	follow_delivery,
	mailing_delivery,
	recount_mailing,
	server_answer,
	sync_delivery,
)
from ent_crm.mail.outbound.drafts import (
	attach_files,
	attach_original,
	draft_attachments,
	original_message,
	parse_attachments,
	parse_date,
	save_draft,
	upsert_draft,
)
from ent_crm.mail.outbound.mailboxes import (
	CANCELLED,
	CUSTOMER,
	DRAFT,
	EDITABLE,
	FAILED,
	MAIL,
	MODES,
	PENDING,
	QUEUED,
	REJECTED,
	SCHEDULED,
	SENT,
	default_mailbox,
	readable_customer,
	readable_mail,
	require_mail_rights,
	sending_mailboxes,
)
from ent_crm.mail.outbound.sending import (
	add_references,
	cancel,
	close_loop,
	dispatch,
	release,
	release_due,
	reopen,
	schedule_next_contact,
	send,
	thread_headers,
)
from ent_crm.mail.outbound.templates import (
	delete_personal_template,
	get_email_template,
	phrases_and_templates,
	save_personal_template,
)

__all__ = [
	"CANCELLED",
	"CUSTOMER",
	"DRAFT",
	"EDITABLE",
	"FAILED",
	"MAIL",
	"MODES",
	"PENDING",
	"QUEUED",
	"REJECTED",
	"SCHEDULED",
	"SENT",
	"add_references",
	"approve",
	"attach_files",
	"attach_original",
	"attachment_limit_mb",
	"attachment_urls",
	"cancel",
	"check_sendable",
	"close_loop",
	"compose_defaults",
	"default_mailbox",
	"delete_personal_template",
	"delivery_changed",
	"dispatch",
	"draft_attachments",
	"fill_in",
	"follow_delivery",
	"get_email_template",
	"mailing_delivery",
	"original_message",
	"original_of",
	"parse_attachments",
	"parse_date",
	"phrases_and_templates",
	"readable_customer",
	"readable_mail",
	"recount_mailing",
	"reject",
	"release",
	"release_due",
	"render",
	"render_template",
	"reopen",
	"require_mail_rights",
	"save_draft",
	"save_personal_template",
	"schedule_next_contact",
	"send",
	"sending_mailboxes",
	"server_answer",
	"sync_delivery",
	"thread_headers",
	"upsert_draft",
]
