"""Follow-up (F1–F5, E8): contact logs, reminders, the customer search box and the customer history."""
