"""Chinese display names of base data.

Preset regions, departments and code lists are keyed by an English name. Their Chinese name is kept in
the record's `local_name` field and mirrored into Frappe's Translation doctype, so Frappe shows it
wherever the doctype is translated (`translated_doctype`): link fields, search, tree and list views.
"""

import frappe

LANGUAGE = "zh"


def sync_local_name(doc, method=None):
	"""Create, update or remove the zh Translation of `doc.name` to match `doc.local_name`."""
	set_translation(doc.name, (doc.get("local_name") or "").strip())


def remove_local_name(doc, method=None):
	set_translation(doc.name, "")


def set_translation(source: str, translated: str) -> None:
	existing = frappe.db.get_value("Translation", {"language": LANGUAGE, "source_text": source}, "name")
	if translated and translated != source:
		if existing:
			frappe.db.set_value("Translation", existing, "translated_text", translated)
		else:
			frappe.get_doc(
				{
					"doctype": "Translation",
					"language": LANGUAGE,
					"source_text": source,
					"translated_text": translated,
				}
			).insert(ignore_permissions=True)
	elif existing:
		frappe.delete_doc("Translation", existing, ignore_permissions=True, force=True)
	clear_translation_cache()


def clear_translation_cache() -> None:
	from frappe.core.doctype.translation.translation import clear_user_translation_cache

	clear_user_translation_cache(LANGUAGE)


class LocalNameMixin:
	"""For controllers of base data with a `local_name` field."""

	def on_update(self):
		if parent := getattr(super(), "on_update", None):
			parent()
		sync_local_name(self)

	def on_trash(self):
		if parent := getattr(super(), "on_trash", None):
			parent()
		remove_local_name(self)

	def after_rename(self, old, new, merge=False):
		set_translation(old, "")
		sync_local_name(self)
