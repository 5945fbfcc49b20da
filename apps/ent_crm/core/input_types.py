"""Values of the wrong kind in a record sent by a client (REST, frappe.client.insert/save) are refused with
a clear message (a ValidationError), instead of crashing deep inside Frappe with an HTTP 500: a text or a
single object where a table (a list of rows) is expected, a row that is not a set of fields, an object or a
list where a field holds a single value. Mixed into the controllers of records users create by hand.
"""

import datetime
import decimal

import frappe
from frappe import _
from frappe.model.base_document import BaseDocument
from frappe.utils import escape_html

SINGLE = (
	str,
	int,
	float,
	bool,
	type(None),
	datetime.date,
	datetime.time,
	datetime.timedelta,
	decimal.Decimal,
)
ROWS = (list, tuple)


class CheckedInput:
	def set(self, key, value, as_value=False):
		if not as_value and (not isinstance(value, SINGLE) or key in getattr(self, "_table_fieldnames", ())):
			self.check_input(key, value)
		return super().set(key, value, as_value=as_value)

	def append(self, key, value=None, position=-1):
		if value is not None and not isinstance(value, BaseDocument):
			if not isinstance(value, dict):
				frappe.throw(
					_("Each row of {0} must be a set of fields.").format(self.input_label(key)),
					title=_("Invalid Input"),
				)
			for field, cell in value.items():
				if not isinstance(cell, SINGLE) and not field.startswith("__"):
					frappe.throw(
						_("{0} in a row of {1} must be a single value.").format(
							escape_html(str(field)), self.input_label(key)
						),
						title=_("Invalid Input"),
					)
		return super().append(key, value, position)

	def check_input(self, key, value) -> None:
		if key in getattr(self, "_table_fieldnames", ()):
			if value and not isinstance(value, ROWS):
				frappe.throw(
					_("{0} must be a list of rows.").format(self.input_label(key)), title=_("Invalid Input")
				)
			return
		df = self.meta.get_field(key) if isinstance(key, str) else None
		if df and df.fieldtype != "JSON" and isinstance(value, dict | list | tuple | set):
			frappe.throw(
				_("{0} must be a single value.").format(self.input_label(key)), title=_("Invalid Input")
			)

	def input_label(self, key) -> str:
		df = self.meta.get_field(key)
		return escape_html(_(df.label) if df and df.label else str(key))
