// Copyright (c) 2026, ent_crm developers
// License: MIT. See LICENSE

// G6: a manager hands all customers of a salesperson over at once. The work runs in a background job
// (ent_crm.customers.handover.run_handover); its progress shows in Frappe's progress bar and the form reloads
// when the job has finished.

const STARTABLE = ["Draft", "Failed"];

frappe.ui.form.on("ECRM Handover", {
	setup(frm) {
		frm.set_query("from_employee", () => ({ filters: { is_salesperson: 1 } }));
		frm.set_query("to_employee", () => ({
			filters: {
				is_salesperson: 1,
				status: "In Service",
				name: ["!=", frm.doc.from_employee || ""],
			},
		}));
	},

	refresh(frm) {
		const startable = STARTABLE.includes(frm.doc.status);
		for (const field of ["from_employee", "mode", "to_employee"]) {
			frm.set_df_property(field, "read_only", startable ? 0 : 1);
		}
		if (["Queued", "Running"].includes(frm.doc.status)) {
			frm.set_intro(
				__("The handover is running in the background; this form refreshes when it has finished."),
				"blue"
			);
		} else if (frm.doc.status === "Failed") {
			frm.set_intro(
				__("The last run failed and changed nothing. Correct the cause and start the handover again."),
				"red"
			);
		}
		if (!frm.is_new() && startable && frm.has_perm("write")) {
			frm.add_custom_button(__("Start Handover"), () => start_handover(frm));
			frm.change_custom_button_type(__("Start Handover"), null, "primary");
		}
	},

	mode(frm) {
		if (frm.doc.mode !== "Transfer") {
			frm.set_value("to_employee", null);
		}
	},
});

function start_handover(frm) {
	const ask = () =>
		frappe
			.call({
				method: "ent_crm.customers.api.count_customers",
				type: "GET",
				args: { employee: frm.doc.from_employee },
			})
			.then(({ message: count }) => {
				frappe.confirm(confirmation(frm, count), () => {
					frappe
						.call({
							method: "ent_crm.customers.api.start_handover",
							args: { name: frm.doc.name },
							freeze: true,
							freeze_message: __("Starting the handover…"),
						})
						.then(() => frm.reload_doc());
				});
			});
	if (frm.is_dirty()) {
		frm.save().then(ask);
	} else {
		ask();
	}
}

function confirmation(frm, count) {
	const name = (employee) =>
		frappe.utils.escape_html(frappe.utils.get_link_title("ECRM Employee", employee) || employee);
	const giver = name(frm.doc.from_employee);
	if (!count) {
		return __("{0} owns no customers; the handover will change nothing. Start it anyway?", [giver]);
	}
	if (frm.doc.mode === "Transfer") {
		return __(
			"{0} customers of {1} will be transferred to {2}; where {2} already owns a customer, {1} is simply removed. Start the handover?",
			[count, giver, name(frm.doc.to_employee)]
		);
	}
	return __(
		"{0} customers of {1} will be revoked: {1} is removed from their owners, and customers that {1} owned alone will have no owner. Start the handover?",
		[count, giver]
	);
}
