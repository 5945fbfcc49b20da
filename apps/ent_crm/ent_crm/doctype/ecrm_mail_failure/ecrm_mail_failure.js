// Copyright (c) 2026, ent_crm developers
// License: MIT. See LICENSE

frappe.ui.form.on("ECRM Mail Failure", {
	refresh(frm) {
		frm.disable_save();
		if (frm.doc.status === "To Process") {
			frm.add_custom_button(__("Process Again"), () =>
				frappe.call({
					method: "ent_crm.mail.api.process_again",
					args: { failure: frm.doc.name },
					freeze: true,
					callback: (r) => {
						frappe.show_alert(
							r.message
								? { message: __("Routed again."), indicator: "green" }
								: { message: __("Still failing; the reason is updated."), indicator: "red" }
						);
						frm.reload_doc();
					},
				})
			);
		}
		if (frm.doc.mail) {
			frm.add_custom_button(__("Open Mail"), () => frappe.set_route("Form", "ECRM Mail", frm.doc.mail));
		}
	},
});
