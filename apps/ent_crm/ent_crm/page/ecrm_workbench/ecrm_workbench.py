# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

"""The workbench page (/app/ecrm-workbench). Its server side is ent_crm.workbench (api.py: queues, lists, the mail
reader, work inspection); the triage actions are ent_crm.mail.triage's."""
