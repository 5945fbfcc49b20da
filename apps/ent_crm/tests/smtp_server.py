"""The tests' SMTP server (aiosmtpd on loopback) lives in ent_crm.devmail.smtp, shared with the demo mail host."""

from ent_crm.devmail.smtp import Delivery, SmtpServer, free_port  # noqa: F401
