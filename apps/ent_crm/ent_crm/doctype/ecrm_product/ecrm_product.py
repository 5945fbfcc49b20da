# Copyright (c) 2026, ent_crm developers
# License: MIT. See LICENSE

from frappe.model.document import Document

from ent_crm.core.local_names import LocalNameMixin


class ECRMProduct(LocalNameMixin, Document):
	"""A code-list entry (B4): its key is the English name, its Chinese name is shown to zh users."""
