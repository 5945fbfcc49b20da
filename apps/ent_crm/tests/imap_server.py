"""The tests' IMAP server (dovecot on loopback) lives in ent_crm.devmail.imap, shared with the demo mail host."""

from ent_crm.devmail.imap import DOVECOT, ImapServer, ImapServerError  # noqa: F401
