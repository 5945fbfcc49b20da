"""A small local mail host for the demo and for development — never for production.

`bench --site SITE ent-crm-mailhost` runs it in the foreground (a Procfile line:
`mailhost: bench --site SITE ent-crm-mailhost`) on loopback only:

- SMTP on 127.0.0.1:1025 (aiosmtpd, no TLS, login with the shared password) stores every mail it accepts in the IMAP mailbox of
  each recipient;
- IMAP on 127.0.0.1:1143 (dovecot, run as the bench user, no root needed) serves those mailboxes: every
  address logs in with the shared password `ent-crm-devmail`;
- a demo customer answers the mail a salesperson sent ("Re: ..."), into the mailbox that sent it, so the
  answer comes back with the next pull into the salesperson's Known Pending queue.

`bench --site SITE ent-crm-demo` points the demo's mailboxes (the system mailbox sales@ent-crm.example and
each salesperson's personal mailbox) at these ports and turns the scheduler on, so mail is pulled every few
minutes and queued mail leaves within one. The mail is kept in sites/SITE/private/devmail/ (delete the
folder to start afresh). dovecot comes from Debian's dovecot-imapd package (`apt-get install
dovecot-imapd`, then stop the system's own dovecot service: this one runs privately).

Modules: `imap` (ImapServer, dovecot), `smtp` (SmtpServer, aiosmtpd), `host` (MailHost, both together);
the tests use the same servers (ent_crm.devmail.imap, ent_crm.devmail.smtp).
"""
