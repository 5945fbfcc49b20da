// Copyright (c) 2026, ent_crm developers
// License: MIT. See LICENSE

// Messages (J1, J2): received and sent messages, write a new one (chosen people, a group, everyone
// online, everyone, the administrators; one file up to 5 MB; in the system and/or by e-mail; receipt;
// a live character counter), read, confirm a receipt, delete for me. Server: ent_crm.messages.api (it checks
// every right again). ?message=NAME opens one message.

const ECRM_MSG = "ent_crm.messages.api.";

frappe.pages["ecrm-messages"].on_page_load = function (wrapper) {
	// ent_crm.messages (the pop-ups, .show) comes with ent_crm.bundle.js on every desk page
	const page = frappe.ui.make_app_page({ parent: wrapper, title: __("Messages"), single_column: true });
	wrapper.messages_page = new EcrmMessages(page);
	wrapper.messages_page.on_show();
};

frappe.pages["ecrm-messages"].on_page_show = function (wrapper) {
	if (wrapper.messages_page) wrapper.messages_page.on_show();
};

class EcrmMessages {
	constructor(page) {
		this.page = page;
		this.box = "inbox";
		this.rows = [];
		this.options = null;
		this.page.set_primary_action(__("New Message"), () => this.compose(), "add");
		this.page.add_inner_button(__("Refresh"), () => this.load());
		this.page.add_inner_button(__("Delete Selected"), () => this.delete_selected());
		this.box_field = this.page.add_field({
			fieldname: "box",
			fieldtype: "Select",
			label: __("Show"),
			options: [
				{ value: "inbox", label: __("Received Messages") },
				{ value: "sent", label: __("Sent Messages") },
			],
			default: "inbox",
			change: () => {
				this.box = this.box_field.get_value() || "inbox";
				this.load();
			},
		});
		this.$body = $(`<div class="ecrm-messages">
			<div class="ecrm-messages-list"></div>
			<div class="ecrm-messages-foot text-muted small" style="margin-top: 12px;"></div>
		</div>`).appendTo(this.page.main);
		this.$list = this.$body.find(".ecrm-messages-list");
		$(document).on("ecrm_messages_changed", () => this.load());
	}

	on_show() {
		const opts = this.options
			? Promise.resolve(this.options)
			: frappe.xcall(ECRM_MSG + "options").then((o) => (this.options = o));
		opts.then((o) => {
			this.$body
				.find(".ecrm-messages-foot")
				.text(__("Messages older than {0} days are deleted automatically.", [o.retention_days]));
			this.reply_from_route();
			this.load().then(() => {
				const wanted = frappe.utils.get_query_params().message;
				if (wanted) {
					this.open(wanted);
					window.history.replaceState(null, null, "/app/ecrm-messages");
				}
			});
		});
	}

	// "Reply" in a message's pop-up comes here with frappe.route_options.reply_to
	reply_from_route() {
		const reply_to = frappe.route_options && frappe.route_options.reply_to;
		if (!reply_to) return;
		frappe.route_options = null;
		frappe.xcall(ECRM_MSG + "get_message", { name: reply_to }).then((msg) =>
			this.compose({
				recipients: [msg.sender],
				subject: /^re:/i.test(msg.subject) ? msg.subject : __("Re: {0}", [msg.subject]),
			})
		);
	}

	load() {
		const method = this.box === "sent" ? "sent" : "inbox";
		return frappe.xcall(ECRM_MSG + method, { page_length: 200 }).then((rows) => {
			this.rows = rows || [];
			this.render();
		});
	}

	render() {
		const esc = frappe.utils.escape_html;
		if (!this.rows.length) {
			this.$list.html(
				`<div class="text-muted" style="padding: 30px; text-align: center;">${__("No messages.")}</div>`
			);
			return;
		}
		const sent = this.box === "sent";
		const head = `<tr>
			<th style="width: 30px;"><input type="checkbox" class="ecrm-msg-all"></th>
			<th>${sent ? __("Recipients") : __("Sender")}</th>
			<th>${__("Subject")}</th>
			<th>${sent ? __("Read / Confirmed") : __("Status")}</th>
			<th>${__("Sent On")}</th></tr>`;
		const body = this.rows
			.map((r) => {
				const who = sent
					? this.audience_label(r)
					: esc(r.sender_name || r.sender);
				let status;
				if (sent) {
					status = `${r.read_count} / ${r.recipient_count}` + (r.request_receipt ? ` · ${__("Receipts")}: ${r.receipt_count}` : "");
				} else if (!r.read_on) {
					status = `<span class="indicator-pill blue">${__("Unread")}</span>`;
				} else if (r.request_receipt && !r.receipt_on) {
					status = `<span class="indicator-pill orange">${__("Receipt Requested")}</span>`;
				} else {
					status = `<span class="indicator-pill gray">${__("Already Read")}</span>`;
				}
				const clip = r.attachment ? ` ${frappe.utils.icon("attachment", "xs")}` : "";
				const weight = !sent && !r.read_on ? "font-weight: bold;" : "";
				return `<tr data-name="${esc(r.name)}" style="cursor: pointer; ${weight}">
					<td><input type="checkbox" class="ecrm-msg-check" data-name="${esc(r.name)}"></td>
					<td>${who}</td>
					<td>${esc(r.subject)}${clip}<div class="text-muted small text-truncate" style="max-width: 480px;">${esc(
						(r.body || "").slice(0, 120)
					)}</div></td>
					<td>${status}</td>
					<td class="text-muted small">${esc(frappe.datetime.str_to_user(r.sent_on))}</td>
				</tr>`;
			})
			.join("");
		this.$list.html(`<table class="table table-hover table-bordered" style="background: var(--card-bg);">
			<thead>${head}</thead><tbody>${body}</tbody></table>`);
		this.$list.find(".ecrm-msg-all").on("change", (e) => {
			this.$list.find(".ecrm-msg-check").prop("checked", $(e.target).prop("checked"));
		});
		this.$list.find(".ecrm-msg-check").on("click", (e) => e.stopPropagation());
		this.$list.find("tbody tr").on("click", (e) => this.open($(e.currentTarget).attr("data-name")));
	}

	audience_label(r) {
		const labels = {
			"Chosen People": __("{0} people", [r.recipient_count]),
			Group: __("Group {0}", [frappe.utils.escape_html(r.user_group || "")]),
			"Everyone Online": __("Everyone Online"),
			Everyone: __("Everyone"),
			Administrators: __("Administrators"),
		};
		return labels[r.audience] || frappe.utils.escape_html(r.audience);
	}

	open(name) {
		frappe.xcall(ECRM_MSG + "get_message", { name }).then((msg) => {
			if (msg.recipients) {
				this.show_sent(msg);
			} else {
				ent_crm.messages.show(msg, () => this.load());
				this.load();
			}
		});
	}

	show_sent(msg) {
		const esc = frappe.utils.escape_html;
		const when = (v) => (v ? esc(frappe.datetime.str_to_user(v)) : "—");
		const rows = msg.recipients
			.map(
				(r) => `<tr><td>${esc(r.full_name || r.user)}</td><td>${when(r.read_on)}</td>
				${msg.request_receipt ? `<td>${when(r.receipt_on)}</td>` : ""}
				${msg.deliver_by_email ? `<td>${r.emailed ? __("Yes") : __("No")}</td>` : ""}
				${msg.deliver_by_sms ? `<td>${r.texted ? __("Yes") : __("No")}</td>` : ""}</tr>`
			)
			.join("");
		const dialog = new frappe.ui.Dialog({
			title: frappe.utils.escape_html(msg.subject),
			size: "large",
			fields: [{ fieldtype: "HTML", fieldname: "body" }],
		});
		dialog.fields_dict.body.$wrapper.html(`${ent_crm.messages.body_html(msg)}
			<table class="table table-bordered small" style="margin-top: 15px;"><thead><tr>
				<th>${__("Recipient")}</th><th>${__("Read On")}</th>
				${msg.request_receipt ? `<th>${__("Receipt Confirmed On")}</th>` : ""}
				${msg.deliver_by_email ? `<th>${__("Sent by E-mail")}</th>` : ""}
				${msg.deliver_by_sms ? `<th>${__("Sent by SMS")}</th>` : ""}
			</tr></thead><tbody>${rows}</tbody></table>`);
		dialog.set_primary_action(__("Close"), () => dialog.hide());
		dialog.show();
	}

	delete_selected() {
		const names = this.$list
			.find(".ecrm-msg-check:checked")
			.map((i, el) => $(el).attr("data-name"))
			.get();
		if (!names.length) {
			frappe.msgprint(__("Tick the messages to delete first."));
			return;
		}
		frappe.confirm(__("Delete {0} messages? Only your copy is deleted.", [names.length]), () => {
			frappe
				.xcall(ECRM_MSG + "delete_messages", { names, box: this.box }, "POST")
				.then((count) => {
					frappe.show_alert({ message: __("{0} messages deleted", [count]), indicator: "green" });
					this.load();
				});
		});
	}

	compose(prefill) {
		const o = this.options || { max_length: 2000, max_attachment_bytes: 5 * 1024 * 1024, online_count: 0 };
		let file = null;
		let count = () => {}; // the live counter, set once the dialog exists
		const dialog = new frappe.ui.Dialog({
			title: __("New Message"),
			size: "large",
			fields: [
				{
					fieldname: "audience",
					fieldtype: "Select",
					label: __("Send To"),
					reqd: 1,
					default: "Chosen People",
					options: [
						{ value: "Chosen People", label: __("Chosen People") },
						{ value: "Group", label: __("A Group") },
						{ value: "Everyone Online", label: __("Everyone Online ({0} now)", [o.online_count]) },
						{ value: "Everyone", label: __("Everyone") },
						{ value: "Administrators", label: __("Administrators") },
					],
				},
				{
					fieldname: "recipients",
					fieldtype: "MultiSelectPills",
					label: __("People"),
					depends_on: "eval:doc.audience=='Chosen People'",
					mandatory_depends_on: "eval:doc.audience=='Chosen People'",
					get_data: (txt) =>
						frappe.db.get_link_options("User", txt, { user_type: "System User", enabled: 1 }),
				},
				{
					fieldname: "user_group",
					fieldtype: "Link",
					options: "User Group",
					label: __("User Group"),
					depends_on: "eval:doc.audience=='Group'",
					mandatory_depends_on: "eval:doc.audience=='Group'",
				},
				{ fieldname: "subject", fieldtype: "Data", label: __("Subject"), reqd: 1, length: 140 },
				{ fieldname: "body", fieldtype: "Small Text", label: __("Message Text"), reqd: 1, onchange: () => count() },
				{ fieldname: "file_html", fieldtype: "HTML" },
				{ fieldname: "section_delivery", fieldtype: "Section Break" },
				{ fieldname: "deliver_in_system", fieldtype: "Check", label: __("Deliver in the System"), default: 1 },
				{ fieldname: "column_break_delivery", fieldtype: "Column Break" },
				{
					fieldname: "deliver_by_email",
					fieldtype: "Check",
					label: __("Also by E-mail"),
					read_only: o.can_email ? 0 : 1,
					description: o.can_email ? "" : __("No outgoing mailbox is set up."),
				},
				{ fieldname: "column_break_sms", fieldtype: "Column Break" },
				{
					fieldname: "deliver_by_sms",
					fieldtype: "Check",
					label: __("Also by SMS"),
					read_only: o.can_sms ? 0 : 1,
					description: o.can_sms
						? __("To the mobile numbers of the recipients' user accounts.")
						: __("No SMS gateway is set up."),
				},
				{ fieldname: "column_break_receipt", fieldtype: "Column Break" },
				{ fieldname: "request_receipt", fieldtype: "Check", label: __("Request a Receipt") },
			],
			primary_action_label: __("Send"),
			primary_action: (values) => {
				const text = values.body || "";
				if (text.length > o.max_length) {
					frappe.msgprint(
						__("The message is {0} characters long; at most {1} are allowed.", [text.length, o.max_length])
					);
					return;
				}
				const args = {
					subject: values.subject,
					body: text,
					audience: values.audience,
					recipients: values.recipients || [],
					user_group: values.user_group,
					deliver_in_system: values.deliver_in_system,
					deliver_by_email: values.deliver_by_email,
					deliver_by_sms: values.deliver_by_sms,
					request_receipt: values.request_receipt,
				};
				if (file) args.attachment = file;
				dialog.get_primary_btn().prop("disabled", true);
				frappe
					.xcall(ECRM_MSG + "send_message", args, "POST")
					.then(() => {
						dialog.hide();
						frappe.show_alert({ message: __("Message sent"), indicator: "green" });
						if (this.box === "sent") this.load();
					})
					.finally(() => dialog.get_primary_btn().prop("disabled", false));
			},
		});

		if (prefill) {
			dialog.set_value("recipients", prefill.recipients || []);
			dialog.set_value("subject", (prefill.subject || "").slice(0, 140));
		}

		// live counter under the message
		const $body = dialog.fields_dict.body.$input;
		const $counter = $(`<div class="small" style="margin-top: 4px;"></div>`).insertAfter($body);
		count = () => {
			const left = o.max_length - ($body.val() || "").length;
			$counter
				.text(
					left >= 0
						? __("{0} characters left", [left])
						: __("{0} characters too many", [-left])
				)
				.toggleClass("text-danger", left < 0)
				.toggleClass("text-muted", left >= 0);
		};
		$body.on("input keyup", count);
		count();

		// one file up to 5 MB, checked before it is read
		const limit_mb = Math.round(o.max_attachment_bytes / 1024 / 1024);
		const $file = dialog.fields_dict.file_html.$wrapper;
		$file.html(`<div class="form-group">
			<label class="control-label">${__("Attachment (at most {0} MB)", [limit_mb])}</label>
			<input type="file" class="form-control ecrm-msg-file">
			<div class="ecrm-msg-file-info small text-muted" style="margin-top: 4px;"></div></div>`);
		$file.find(".ecrm-msg-file").on("change", (e) => {
			const chosen = e.target.files && e.target.files[0];
			file = null;
			$file.find(".ecrm-msg-file-info").text("");
			if (!chosen) return;
			if (chosen.size > o.max_attachment_bytes) {
				frappe.msgprint({
					title: __("File Too Large"),
					indicator: "red",
					message: __(
						"The file {0} is {1} MB; a message can carry at most 5 MB. Send a smaller file or share it another way.",
						[frappe.utils.escape_html(chosen.name), (chosen.size / 1024 / 1024).toFixed(1)]
					),
				});
				e.target.value = "";
				return;
			}
			const reader = new FileReader();
			reader.onload = () => {
				file = { filename: chosen.name, content: reader.result };
				$file.find(".ecrm-msg-file-info").text(frappe.form.formatters.FileSize(chosen.size));
			};
			reader.readAsDataURL(chosen);
		});
		dialog.show();
	}
}
