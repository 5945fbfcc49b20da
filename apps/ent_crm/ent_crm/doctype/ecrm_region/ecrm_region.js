// Copyright (c) 2026, ent_crm developers
// License: MIT. See LICENSE

// Region form (G4): where the region's customer rules come from, and pushing its own rules down.

frappe.provide("ent_crm.region");

frappe.ui.form.on("ECRM Region", {
	refresh(frm) {
		if (frm.is_new()) return;
		// only a region with regions below it has anything to push down
		const has_children = frm.doc.rgt - frm.doc.lft > 1;
		if (frm.doc.has_own_rules && has_children && frm.has_perm("write")) {
			frm.add_custom_button(__("Push Rules Down"), () =>
				ent_crm.region.push_rules_down(frm)
			);
		}
		ent_crm.region.show_rules_source(frm);
	},
	has_own_rules(frm) {
		ent_crm.region.show_rules_source(frm);
	},
});

ent_crm.region.show_rules_source = function (frm) {
	frm.set_intro();
	if (frm.is_new() || frm.doc.has_own_rules) return;
	const region = frm.doc.name;
	// Without rules of its own a region follows its parent's effective rules; asking for the parent
	// also gives the right answer while the box has just been unticked and not yet saved.
	const parent = frm.doc.parent_ecrm_region;
	const ask = parent
		? frappe.call({
				method: "ent_crm.customers.api.get_rules_source",
				type: "GET",
				args: { region: parent },
		  })
		: Promise.resolve({ message: null });
	ask.then((r) => {
		// the form may show another region, or the box may have been ticked meanwhile
		if (frm.doc.name !== region || frm.doc.has_own_rules) return;
		frm.set_intro();
		const source = r.message;
		if (source) {
			const link =
				'<a style="text-decoration: underline;" href="' +
				frappe.utils.escape_html(frappe.utils.get_form_link("ECRM Region", source)) +
				'">' +
				frappe.utils.escape_html(__(source)) +
				"</a>";
			frm.set_intro(
				__(
					"This region has no customer rules of its own: the effective rules come from {0}.",
					[link]
				),
				"blue"
			);
		} else {
			frm.set_intro(
				frappe.utils.escape_html(
					__(
						"Neither this region nor any region above it has customer rules of its own: in strict region mode only managers may create customers here."
					)
				),
				"yellow"
			);
		}
	});
};

ent_crm.region.push_rules_down = function (frm) {
	if (frm.is_dirty()) {
		frappe.msgprint(__("Save the region first; then push its rules down."));
		return;
	}
	frappe.confirm(
		__(
			"Copy the authorised creators and default owners of {0} to every region below it? Their own rules are replaced.",
			[frappe.utils.escape_html(__(frm.doc.name))]
		),
		() => {
			frappe
				.call({
					method: "ent_crm.customers.api.push_down_rules",
					args: { region: frm.doc.name },
					freeze: true,
					freeze_message: __("Pushing rules down…"),
				})
				.then((r) => {
					const count = r.message || 0;
					frappe.msgprint({
						title: __("Rules Pushed Down"),
						indicator: "green",
						message: count
							? __("{0} regions below {1} now have the same rules.", [
									count,
									frappe.utils.escape_html(__(frm.doc.name)),
							  ])
							: __("{0} has no regions below it; nothing was changed.", [
									frappe.utils.escape_html(__(frm.doc.name)),
							  ]),
					});
				});
		}
	);
};
