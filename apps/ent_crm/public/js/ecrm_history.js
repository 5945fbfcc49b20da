// Copyright (c) 2026, ent_crm developers
// License: MIT. See LICENSE

// A customer's whole contact history (F5), shared by the customer form and the follow-up page:
// mail received and sent and contact logs, newest first, filtered by kind and custom folder; mail can be
// moved into folders (by project or contract). Server: ent_crm.followup.history / .folders.
// Part of ent_crm.bundle.js (every desk page):
// ent_crm.history.render($container, customer, {page_length}).

window.ent_crm = window.ent_crm || {};

ent_crm.history = {
	KINDS: [
		{ value: "", label: __("Everything") },
		{ value: "received", label: __("Mail Received") },
		{ value: "sent", label: __("Mail Sent") },
		{ value: "contact_log", label: __("Contact Logs") },
	],

	render($container, customer, opts = {}) {
		const state = { customer, kind: "", folder: "", start: 0, page_length: opts.page_length || 20 };
		const esc = frappe.utils.escape_html;
		$container.empty().addClass("ecrm-history");
		const $bar = $(`<div class="ecrm-history-bar" style="display:flex; flex-wrap:wrap; gap:8px; align-items:center; margin-bottom:8px">
			<select class="form-control input-xs ecrm-kind" style="width:auto"></select>
			<select class="form-control input-xs ecrm-folder" style="width:auto"></select>
			<button class="btn btn-xs btn-default ecrm-new-folder">${esc(__("New Folder"))}</button>
			<button class="btn btn-xs btn-default ecrm-move">${esc(__("Move to Folder"))}</button>
			<button class="btn btn-xs btn-default ecrm-new-log">${esc(__("New Contact Log"))}</button>
		</div>`).appendTo($container);
		const $list = $('<div class="ecrm-history-list"></div>').appendTo($container);
		const $pager = $(`<div style="margin-top:8px">
			<button class="btn btn-xs btn-default ecrm-newer">${esc(__("Newer"))}</button>
			<button class="btn btn-xs btn-default ecrm-older">${esc(__("Older"))}</button></div>`).appendTo($container);
		const $kind = $bar.find(".ecrm-kind");
		this.KINDS.forEach((k) => $kind.append($("<option>").val(k.value).text(k.label)));
		const $folder = $bar.find(".ecrm-folder");

		const load_folders = () =>
			frappe
				.call({ method: "ent_crm.followup.api.folders_of", type: "GET", args: { customer } })
				.then((r) => {
					state.folders = r.message || [];
					$folder.empty().append($("<option>").val("").text(__("All Folders")));
					state.folders.forEach((f) =>
						$folder.append(
							$("<option>")
								.val(f.name)
								.text(`${f.folder_name} (${__(f.folder_kind || "Other")}, ${f.mail_count || 0})`)
						)
					);
					$folder.val(state.folder);
				});

		const load = () =>
			frappe
				.call({
					method: "ent_crm.followup.api.get_history",
					type: "GET",
					args: {
						customer,
						kinds: state.kind || "",
						folder: state.folder,
						start: state.start,
						page_length: state.page_length,
					},
				})
				.then((r) => {
					const { entries = [], has_more } = r.message || {};
					$pager.find(".ecrm-newer").prop("disabled", state.start === 0);
					$pager.find(".ecrm-older").prop("disabled", !has_more);
					if (!entries.length) {
						$list.html(`<p class="text-muted">${esc(__("No contact with this customer yet."))}</p>`);
						return;
					}
					const folder_name = (name) => (state.folders || []).find((f) => f.name === name)?.folder_name;
					const rows = entries.map((e) => {
						const kind =
							e.doctype === "ECRM Mail"
								? e.direction === "Outbound"
									? __("Mail Sent")
									: __("Mail Received")
								: __(e.method || "Contact Log");
						const who = e.doctype === "ECRM Mail" ? e.sender_name || e.sender || "" : "";
						return `<tr>
							<td><input type="checkbox" class="ecrm-pick" data-doctype="${esc(e.doctype)}" data-name="${esc(e.name)}"></td>
							<td class="text-muted" style="white-space:nowrap">${esc(frappe.datetime.str_to_user(e.at))}</td>
							<td><span class="indicator-pill ${e.doctype === "ECRM Mail" ? (e.direction === "Outbound" ? "green" : "blue") : "orange"}">${esc(kind)}</span></td>
							<td><a href="${esc(frappe.utils.get_form_link(e.doctype, e.name))}">${esc(e.subject || __("(no subject)"))}</a>
								${who ? `<span class="text-muted"> · ${esc(who)}</span>` : ""}</td>
							<td class="text-muted">${esc(folder_name(e.folder) || "")}</td>
						</tr>`;
					});
					$list.html(`<table class="table table-condensed" style="margin:0"><thead><tr>
						<th></th><th>${esc(__("Date"))}</th><th>${esc(__("Kind"))}</th><th>${esc(__("Subject"))}</th><th>${esc(__("Folder"))}</th>
						</tr></thead><tbody>${rows.join("")}</tbody></table>`);
				});

		$kind.on("change", () => {
			state.kind = $kind.val();
			state.start = 0;
			load();
		});
		$folder.on("change", () => {
			state.folder = $folder.val();
			state.start = 0;
			load();
		});
		$pager.find(".ecrm-newer").on("click", () => {
			state.start = Math.max(0, state.start - state.page_length);
			load();
		});
		$pager.find(".ecrm-older").on("click", () => {
			state.start += state.page_length;
			load();
		});
		$bar.find(".ecrm-new-folder").on("click", () => {
			frappe.prompt(
				[
					{ fieldname: "folder_name", label: __("Folder Name"), fieldtype: "Data", reqd: 1 },
					{
						fieldname: "folder_kind",
						label: __("Folder Kind"),
						fieldtype: "Select",
						options: [
							{ value: "Project", label: __("Project") },
							{ value: "Contract", label: __("Contract") },
							{ value: "Other", label: __("Other") },
						],
						default: "Project",
					},
				],
				(v) =>
					frappe
						.call({ method: "ent_crm.followup.api.create_folder", args: { customer, ...v } })
						.then(() => load_folders()),
				__("New Folder"),
				__("Create")
			);
		});
		$bar.find(".ecrm-move").on("click", () => {
			const items = $list
				.find(".ecrm-pick:checked")
				.toArray()
				.map((el) => ({ doctype: el.dataset.doctype, name: el.dataset.name }));
			if (!items.length) {
				frappe.msgprint(__("Tick the mail to move first."));
				return;
			}
			const options = [{ value: "", label: __("(no folder)") }].concat(
				(state.folders || []).map((f) => ({ value: f.name, label: f.folder_name }))
			);
			frappe.prompt(
				[{ fieldname: "folder", label: __("Folder"), fieldtype: "Select", options }],
				(v) =>
					frappe
						.call({
							method: "ent_crm.followup.api.move_to_folder",
							args: { items: JSON.stringify(items), folder: v.folder || "" },
						})
						.then((r) => {
							frappe.show_alert({ message: __("{0} moved", [r.message]), indicator: "green" });
							load_folders().then(load);
						}),
				__("Move to Folder"),
				__("Move")
			);
		});
		$bar.find(".ecrm-new-log").on("click", () => ent_crm.history.new_contact_log({ customer }));
		load_folders().then(load);
		return { reload: () => load_folders().then(load) };
	},

	// a contact by phone, fax, chat, visit or other (F1, E8), prefilled
	new_contact_log(values) {
		frappe.new_doc("ECRM Contact Log", { direction: "Outbound", ...values });
	},
};
