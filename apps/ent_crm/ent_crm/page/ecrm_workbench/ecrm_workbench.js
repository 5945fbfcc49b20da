// Copyright (c) 2026, ent_crm developers
// License: MIT. See LICENSE

// The workbench (ch.1 §6–8, D8, H1, H2): queues with live counts on the left, the chosen queue in the
// middle, the mail reader with every triage action on the right. With ?employee=EMP a manager inspects
// that salesperson's workbench. Server: ent_crm.workbench.api; actions: ent_crm.mail.api (the server
// checks every right again). Keys: j/k next/previous mail, f mark followed, r reply, h HTML/text.

const ECRM_WB = "ent_crm.workbench.api.";
const ECRM_WB_COLOURS = {
	Unassigned: "orange",
	"Known Pending": "blue",
	"Stranger Pending": "purple",
	Handled: "green",
	Trash: "gray",
	"Recycle Bin": "gray",
};

frappe.pages["ecrm-workbench"].on_page_load = function (wrapper) {
	const page = frappe.ui.make_app_page({ parent: wrapper, title: __("Workbench"), single_column: true });
	wrapper.workbench = new EcrmWorkbench(page, wrapper);
};

frappe.pages["ecrm-workbench"].on_page_show = function (wrapper) {
	const wb = wrapper.workbench;
	if (!wb) return;
	// /app/ecrm-workbench?employee=EMP inspects EMP's workbench; without it, one's own
	const options = Object.assign({}, frappe.utils.get_query_params(), frappe.route_options || {});
	frappe.route_options = null;
	const wanted = options.employee || null;
	if (wanted !== wb.employee || !wb.loaded) wb.load(wanted, options.queue);
	else {
		wb.refresh_counts();
		// mail that arrived while another page was open: the list too, not only the counts
		if (wb.missed_mail && wb.kind === "mail" && wb.start === 0) wb.load_list(wb.queue, 0);
	}
	wb.missed_mail = false;
};

class EcrmWorkbench {
	constructor(page, wrapper) {
		this.page = page;
		this.wrapper = wrapper;
		this.employee = null;
		this.queue = null;
		this.region = null;
		this.rows = [];
		this.current = null;
		this.mode = "html";
		this.make_layout();
		this.make_toolbar();
		this.bind_keys();
		frappe.realtime.on("ecrm_new_mail", (data) => this.on_new_mail(data));
	}

	// --- layout -----------------------------------------------------------------------------------

	make_layout() {
		this.$health = $(`<div class="ecrm-wb-health-banner" style="display: none"></div>`).appendTo(this.page.main);
		this.$health.on("click", "a", () => this.show_mailbox_health());
		this.$body = $(`
			<div class="ecrm-wb">
				<div class="ecrm-wb-side">
					<div class="ecrm-wb-whose"></div>
					<div class="ecrm-wb-queues"></div>
					<div class="ecrm-wb-regions-head">${__("My Customers by Region")}</div>
					<div class="ecrm-wb-regions"></div>
				</div>
				<div class="ecrm-wb-list">
					<div class="ecrm-wb-list-head"></div>
					<div class="ecrm-wb-rows"></div>
					<div class="ecrm-wb-more"></div>
				</div>
				<div class="ecrm-wb-reader"><div class="ecrm-wb-empty">${__("Choose a mail to read it.")}</div></div>
			</div>`).appendTo(this.page.main);
		this.$whose = this.$body.find(".ecrm-wb-whose");
		this.$queues = this.$body.find(".ecrm-wb-queues");
		this.$regions = this.$body.find(".ecrm-wb-regions");
		this.$regions_head = this.$body.find(".ecrm-wb-regions-head");
		this.$list_head = this.$body.find(".ecrm-wb-list-head");
		this.$rows = this.$body.find(".ecrm-wb-rows");
		this.$more = this.$body.find(".ecrm-wb-more");
		this.$reader = this.$body.find(".ecrm-wb-reader");

		this.$queues.on("click", ".ecrm-wb-queue", (e) => this.show_queue($(e.currentTarget).attr("data-queue")));
		this.$regions.on("click", ".ecrm-wb-region", (e) => {
			e.stopPropagation();
			this.show_queue("region", $(e.currentTarget).attr("data-region"));
		});
		this.$regions.on("click", ".ecrm-wb-country-toggle", (e) => {
			e.stopPropagation();
			$(e.currentTarget).closest(".ecrm-wb-country").toggleClass("open");
		});
		this.$rows.on("click", ".ecrm-wb-row", (e) => this.open_row(cint($(e.currentTarget).attr("data-idx"))));
		this.$more.on("click", "button", () => this.load_list(this.queue, this.start + 20, true));
	}

	make_toolbar() {
		this.page.set_secondary_action(__("Refresh"), () => this.load(this.employee), "refresh");
		this.page.add_inner_button(__("Receive Now"), () =>
			frappe.call({ method: "ent_crm.mail.api.receive_now", freeze: true }).then((r) => {
				frappe.show_alert({ message: __("Receiving {0} mailbox(es)…", [(r.message || []).length]), indicator: "green" });
			})
		);
		this.page.add_menu_item(__("Mail List"), () => frappe.set_route("List", "ECRM Mail"));
		this.page.add_menu_item(__("Keyboard Shortcuts"), () => this.show_keys());
	}

	add_inspection_picker(salespeople) {
		if (this.picker || !this.can_inspect) return;
		this.picker = this.page.add_field({
			fieldname: "inspect_employee",
			label: __("Inspect Salesperson"),
			fieldtype: "Select",
			options: [{ value: "", label: __("Inspect Salesperson") }].concat(
				salespeople.map((s) => ({ value: s.name, label: frappe.utils.escape_html(`${s.employee_name} (${s.name})`) }))
			),
			change: () => {
				// only a person's pick opens another workbench, not the value the page sets itself
				const value = this.picker.get_value() || null;
				if (value === this.picker_value) return;
				this.picker_value = value;
				if (value !== this.employee) this.open_employee(value);
			},
		});
		this.picker_value = null;
	}

	open_employee(employee) {
		window.history.replaceState(null, "", "/app/ecrm-workbench" + (employee ? "?employee=" + encodeURIComponent(employee) : ""));
		this.load(employee);
	}

	// --- data -------------------------------------------------------------------------------------

	load(employee, queue) {
		this.employee = employee || null;
		this.loaded = true;
		return frappe
			.call({ method: ECRM_WB + "first_paint", args: { employee: this.employee, queue: queue || null }, type: "GET" })
			.then((r) => {
				const data = r.message;
				this.target = data.target;
				this.can_inspect = data.can_inspect;
				this.default_days = data.default_followup_days || 0;
				this.add_inspection_picker(data.salespeople || []);
				if (this.picker && (this.picker.get_value() || null) !== this.employee) {
					this.picker_value = this.employee;
					this.picker.set_value(this.employee || "");
				}
				this.render_whose();
				this.render_mailbox_warnings(data);
				this.render_queues(data.queues);
				this.render_list(data.list);
				this.load_regions();
			})
			.catch(() => this.render_refused());
	}

	// --- mailbox health (mail admins and System Managers) --------------------------------------------

	render_mailbox_warnings(data) {
		if (data.sees_mailbox_health && !this.health_button) {
			this.health_button = this.page.add_inner_button(__("Mailbox Health"), () => this.show_mailbox_health());
		}
		const lines = data.mailbox_warnings || [];
		if (!lines.length) {
			this.$health.hide().empty();
			return;
		}
		const esc = frappe.utils.escape_html;
		this.$health
			.html(
				`<b>${__("Mail may not be arriving")}</b>
				<ul>${lines.map((l) => `<li>${esc(l)}</li>`).join("")}</ul>
				<a>${__("Open Mailbox Health")}</a>`
			)
			.show();
	}

	show_mailbox_health() {
		frappe
			.call({ method: "ent_crm.mail.api.get_mailbox_health", type: "GET" })
			.then((r) => {
				const data = r.message || {};
				const esc = frappe.utils.escape_html;
				const when = (v) => (v ? esc(frappe.datetime.str_to_user(v)) : "—");
				const rows = (data.mailboxes || [])
					.map(
						(m) => `<tr>
						<td><b>${esc(m.name)}</b><br><span class="text-muted">${esc(m.kind_label || "")}${m.receiving ? "" : " · " + __("Receiving Off")}</span></td>
						<td>${when(m.last_success_at)}${m.last_success_at ? "<br>" + __("{0} stored", [m.last_stored]) : ""}</td>
						<td>${m.total}<br><span class="text-muted">${__("{0} in the last 24 hours", [m.last_24h])}</span></td>
						<td>${m.last_error ? `${esc(m.last_error)}<br><span class="text-muted">${when(m.last_error_at)}</span>` : "—"}
							${m.error_detail ? `<details><summary>${__("Error Detail")}</summary><pre style="white-space: pre-wrap">${esc(m.error_detail)}</pre></details>` : ""}</td>
						<td>${m.warning ? `<span class="indicator-pill orange">${__("Warning")}</span><br>${esc(m.warning)}` : m.receiving ? `<span class="indicator-pill green">${__("OK")}</span>` : `<span class="indicator-pill gray">${__("Off")}</span>`}</td>
					</tr>`
					)
					.join("");
				const scheduler = data.scheduler_off
					? `<p class="text-danger">${__("The site's scheduler is off: mailboxes do not pull mail by themselves.")}</p>`
					: "";
				const d = new frappe.ui.Dialog({ title: __("Mailbox Health"), size: "extra-large" });
				d.$body.html(`${scheduler}
					<p class="text-muted">${__("A mailbox that has not pulled successfully for {0} minutes is shown with a warning (ECRM Settings).", [data.stale_minutes])}</p>
					<table class="table table-bordered ecrm-wb-health-table"><thead><tr>
						<th>${__("Mailbox")}</th><th>${__("Last Successful Pull")}</th><th>${__("Mails Stored")}</th>
						<th>${__("Last Error")}</th><th>${__("Status")}</th>
					</tr></thead><tbody>${rows || `<tr><td colspan="5">${__("No CRM mailboxes yet.")}</td></tr>`}</tbody></table>`);
				d.show();
			});
	}

	render_refused() {
		this.$queues.empty();
		this.$whose.empty();
		this.$regions.empty();
		this.$regions_head.text("");
		this.$rows.empty();
		this.$list_head.text("");
		this.$reader.html(`<div class="ecrm-wb-empty">${__("You cannot open this workbench.")}</div>`);
	}

	render_whose() {
		const t = this.target;
		this.page.set_title(t.inspecting ? __("Work Inspection: {0}", [frappe.utils.escape_html(t.employee_name || "")]) : __("Workbench"));
		this.$whose.html(
			t.inspecting
				? `${__("Inspecting")} <b>${frappe.utils.escape_html(t.employee_name || t.user)}</b> · <a class="ecrm-wb-mine">${__("My Workbench")}</a>`
				: `<b>${frappe.utils.escape_html(t.employee_name || t.user)}</b>`
		);
		this.$whose.find(".ecrm-wb-mine").on("click", () => this.open_employee(null));
		this.$regions_head.text(t.inspecting ? __("Customers by Region") : __("My Customers by Region"));
	}

	refresh_counts() {
		return frappe
			.call({ method: ECRM_WB + "queue_counts", args: { employee: this.employee }, type: "GET" })
			.then((r) => this.render_queues(r.message));
	}

	render_queues(queues) {
		this.queues = queues;
		this.$queues.html(
			queues
				.map((q) => {
					const hot = q.count && ["unassigned", "known", "stranger", "reminders"].includes(q.key);
					const count = q.count === null || q.count === undefined ? "" : `<span class="ecrm-wb-count ${hot ? "hot" : ""}">${q.count}</span>`;
					return `<div class="ecrm-wb-queue ${q.key === this.queue ? "active" : ""}" data-queue="${q.key}">
						<span>${frappe.utils.escape_html(q.label)}</span>${count}</div>`;
				})
				.join("")
		);
	}

	count_of(key) {
		const q = (this.queues || []).find((q) => q.key === key);
		return q ? q.count : null;
	}

	load_regions() {
		frappe.call({ method: ECRM_WB + "regions", args: { employee: this.employee }, type: "GET" }).then((r) => {
			const countries = r.message || [];
			if (!countries.length) {
				this.$regions.html(`<div class="ecrm-wb-empty" style="padding: 8px">${__("No customers")}</div>`);
				return;
			}
			this.$regions.html(
				countries
					.map(
						(c) => `<div class="ecrm-wb-country">
						<div class="ecrm-wb-country-toggle"><span>${frappe.utils.escape_html(c.label)}</span><span class="ecrm-wb-count">${c.count}</span></div>
						<div class="ecrm-wb-country-regions">
							<div class="ecrm-wb-region" data-region="${frappe.utils.escape_html(c.country)}"><span>${__("All of {0}", [frappe.utils.escape_html(c.label)])}</span></div>
							${c.regions
								.map(
									(g) =>
										`<div class="ecrm-wb-region" data-region="${frappe.utils.escape_html(g.region)}"><span>${frappe.utils.escape_html(g.label)}</span><span class="ecrm-wb-count">${g.count}</span></div>`
								)
								.join("")}
						</div></div>`
					)
					.join("")
			);
		});
	}

	show_queue(queue, region) {
		this.load_list(queue, 0, false, region);
	}

	load_list(queue, start, append, region) {
		region = region === undefined ? this.region : region;
		return frappe
			.call({ method: ECRM_WB + "list_queue", args: { queue, employee: this.employee, start: start || 0, region }, type: "GET" })
			.then((r) => this.render_list(r.message, append));
	}

	render_list(data, append) {
		const queue_changed = data.queue !== this.queue || data.region !== this.region;
		this.queue = data.queue;
		this.region = data.region || null;
		this.kind = data.kind;
		this.start = data.start;
		this.rows = append ? this.rows.concat(data.rows) : data.rows;
		this.$queues.find(".ecrm-wb-queue").removeClass("active").filter(`[data-queue="${this.queue}"]`).addClass("active");
		this.$regions.find(".ecrm-wb-region").removeClass("active");
		if (this.region) this.$regions.find(`.ecrm-wb-region[data-region="${CSS.escape(this.region)}"]`).addClass("active");
		const q = (this.queues || []).find((q) => q.key === this.queue);
		this.$list_head.text(this.region ? __("Customers in {0}", [__(this.region)]) : q ? q.label : "");
		this.$rows.html(this.rows.length ? this.rows.map((row, idx) => this.row_html(row, idx)).join("") : `<div class="ecrm-wb-empty">${__("Nothing here.")}</div>`);
		this.$more.html(data.more ? `<button class="btn btn-xs btn-default">${__("More")}</button>` : "");
		if (queue_changed && !append) {
			this.current = null;
			this.$reader.html(`<div class="ecrm-wb-empty">${this.kind === "mail" ? __("Choose a mail to read it.") : __("Choose a row to open it.")}</div>`);
		} else if (this.current) {
			this.$rows.find(`.ecrm-wb-row[data-name="${CSS.escape(this.current)}"]`).addClass("active");
		}
	}

	row_html(row, idx) {
		const esc = frappe.utils.escape_html;
		let who, when, subject;
		if (this.kind === "mail") {
			who = row.reference_title ? (row.contact_name ? `${row.contact_name} · ${row.reference_title}` : row.reference_title) : row.sender_name || row.sender || __("(no sender)");
			when = row.received_at;
			subject = row.subject || __("(no subject)");
		} else if (this.kind === "reminders") {
			who = row.customer_name || row.customer;
			when = row.due_date;
			subject = row.last_contact_date
				? __("Last contact: {0} ({1})", [frappe.datetime.str_to_user(row.last_contact_date), row.last_contact_kind || ""])
				: __("No contact yet");
		} else if (this.kind === "contacts") {
			who = row.customer_name || row.customer;
			when = row.contact_date;
			subject = [row.method ? __(row.method) : "", row.subject || ""].filter(Boolean).join(" · ");
		} else {
			who = row.customer_name;
			when = null;
			subject = [row.primary_email, row.owner_names].filter(Boolean).join(" · ");
		}
		const name = row.name || row.todo;
		const badge = this.kind === "mail" && ["all", "sent", "trash"].includes(this.queue)
			? ` <span class="indicator-pill ${ECRM_WB_COLOURS[row.queue] || "gray"}" style="font-size: 10px">${__(row.queue)}</span>`
			: "";
		return `<div class="ecrm-wb-row" data-idx="${idx}" data-name="${esc(name || "")}">
			<div class="who"><span>${esc(who || "")}</span><span class="when" title="${when ? esc(frappe.datetime.str_to_user(when)) : ""}">${when ? esc(this.when(when)) : ""}</span></div>
			<div class="subject">${esc(subject || "")}${badge}</div></div>`;
	}

	when(value) {
		// today: the time; this year: month and day; older: the date
		const m = moment(value);
		if (m.isSame(moment(), "day")) return m.format("HH:mm");
		if (m.isSame(moment(), "year")) return frappe.datetime.str_to_user(value).replace(/[ T].*$/, "").replace(/^\d{4}[-./]|[-./]\d{4}$/, "");
		return frappe.datetime.str_to_user(value).replace(/[ T].*$/, "");
	}

	open_row(idx) {
		const row = this.rows[idx];
		if (!row) return;
		this.index = idx;
		if (this.kind === "mail") return this.read(row.name);
		if (this.kind === "reminders") return frappe.set_route("Form", "ECRM Customer", row.customer);
		if (this.kind === "contacts") return frappe.set_route("Form", "ECRM Contact Log", row.name);
		return frappe.set_route("Form", "ECRM Customer", row.name);
	}

	// --- reader -----------------------------------------------------------------------------------

	read(name) {
		this.current = name;
		this.$rows.find(".ecrm-wb-row").removeClass("active");
		const $row = this.$rows.find(`.ecrm-wb-row[data-name="${CSS.escape(name)}"]`).addClass("active");
		if ($row.length) $row[0].scrollIntoView({ block: "nearest" });
		return frappe
			.call({ method: ECRM_WB + "read_mail", args: { mail: name, employee: this.employee }, type: "GET" })
			.then((r) => this.render_mail(r.message));
	}

	render_mail(mail) {
		const esc = frappe.utils.escape_html;
		this.mail = mail;
		const from = mail.sender_name ? `${esc(mail.sender_name)} &lt;${esc(mail.sender || "")}&gt;` : esc(mail.sender || __("(no sender)"));
		const record = mail.reference_name
			? `<a href="/app/${frappe.router.slug(mail.reference_doctype)}/${encodeURIComponent(mail.reference_name)}">${esc(mail.reference_title || mail.reference_name)}</a>${mail.contact_name ? " · " + esc(mail.contact_name) : ""}`
			: mail.suggested_customer
			? `${__("Suggested customer: {0}", [`<a href="/app/ecrm-customer/${encodeURIComponent(mail.suggested_customer)}">${esc(mail.suggested_customer)}</a>`])}`
			: "";
		const flags = [
			mail.is_personal ? __("Personal Mailbox") : "",
			mail.is_auto_reply ? __("Auto-reply") : "",
			mail.is_bounce ? __("Bounce") : "",
		].filter(Boolean).join(" · ");
		this.$reader.html(`
			<div class="ecrm-wb-subject">${esc(mail.subject || __("(no subject)"))}</div>
			<div class="ecrm-wb-meta">
				<span class="indicator-pill ${ECRM_WB_COLOURS[mail.queue] || "gray"} ecrm-wb-queue-pill">${esc(mail.queue_label)}</span>
				${flags ? `<span style="margin-left: 8px">${esc(flags)}</span>` : ""}<br>
				${__("Sender")}: <b>${from}</b><br>
				${mail.recipients ? `${__("Mail To")}: ${esc(mail.recipients)}<br>` : ""}
				${mail.cc ? `${__("CC")}: ${esc(mail.cc)}<br>` : ""}
				${__("Date")}: ${esc(frappe.datetime.str_to_user(mail.received_at) || "")}
				${record ? `<br>${__("Customer")}: ${record}` : ""}
				${mail.followed_at ? `<br>${__("Followed by {0} on {1}", [esc(frappe.user.full_name(mail.followed_by)), esc(frappe.datetime.str_to_user(mail.followed_at))])}` : ""}
				${mail.read_receipt_at ? `<br>${__("Read by the recipient at {0}", [esc(frappe.datetime.str_to_user(mail.read_receipt_at))])}` : ""}
				${mail.notes ? `<br>${__("Remarks")}: ${esc(mail.notes)}` : ""}
			</div>
			<div class="ecrm-wb-actions"></div>
			<iframe class="ecrm-wb-body" sandbox="allow-same-origin allow-modals allow-popups" referrerpolicy="no-referrer"></iframe>
			<div class="ecrm-wb-attachments">${(mail.attachments || [])
				.map((a) => `<a href="${esc(a.file_url)}" target="_blank">📎 ${esc(a.file_name)}</a>`)
				.join("")}</div>
			<div class="ecrm-wb-keys">${__("Keys: j/k next/previous, f mark followed, r reply, h HTML/text")}</div>`);
		this.render_actions(mail);
		this.show_body();
	}

	show_body() {
		const mail = this.mail;
		if (!mail) return;
		const frame = this.$reader.find("iframe.ecrm-wb-body")[0];
		const text = `<pre style="white-space: pre-wrap; font: 13px/1.6 sans-serif; margin: 0">${frappe.utils.escape_html(mail.text || "")}</pre>`;
		const body = this.mode === "text" ? text : mail.html || text;
		frame.srcdoc = `<!doctype html><html><head><meta charset="utf-8"><base target="_blank">
			<style>body { font: 13px/1.6 -apple-system, "Segoe UI", "Noto Sans CJK SC", sans-serif; margin: 12px; color: #1f272e; word-wrap: break-word; } img { max-width: 100%; }</style>
			</head><body>${body}</body></html>`;
		this.$reader.find(".ecrm-wb-toggle").text(this.mode === "text" ? __("Show HTML") : __("Show Text"));
	}

	render_actions(mail) {
		const $bar = this.$reader.find(".ecrm-wb-actions");
		const can = (a) => mail.actions.includes(a);
		const button = (label, handler, cls) =>
			$(`<button class="btn btn-xs ${cls || "btn-default"}">${label}</button>`).on("click", handler).appendTo($bar);
		if (can("reply")) {
			button(__("Reply"), () => this.compose("reply"), "btn-primary ecrm-wb-act-reply");
			button(__("Reply All"), () => this.compose("reply_all"));
			button(__("Forward Mail"), () => this.compose("forward"));
			button(__("Forward as Attachment"), () => this.compose("forward_attachment"));
		}
		if (can("mark_followed")) button(__("Mark Followed"), () => this.mark_followed(), "btn-primary ecrm-wb-act-followed");
		if (can("distribute")) button(__("Distribute"), () => this.distribute(), "btn-primary ecrm-wb-act-distribute");
		if (can("forward_to_salesperson")) button(__("Hand to Salesperson"), () => this.hand_over());
		if (can("merge")) button(__("Merge into Customer"), () => this.merge());
		if (can("new_customer")) button(__("New Customer"), () => this.new_record("ECRM Customer"));
		if (can("new_supplier")) button(__("New Supplier"), () => this.new_record("ECRM Supplier"));
		if (can("contact_log")) button(__("New Contact Log"), () => this.contact_log());
		if (can("copy_to_colleagues")) button(__("Copy to Colleagues"), () => this.copy());
		if (can("trash")) button(__("Trash"), () => this.act("move_to", { queue: "Trash" }));
		if (can("recycle_bin")) button(__("Recycle Bin"), () => this.act("move_to", { queue: "Recycle Bin" }));
		if (can("block_address")) button(__("Block Address"), () => ent_crm.triage_dialogs.block_address(mail.name, this.done(), mail.sender));
		if (can("block_domain")) button(__("Block Domain"), () => ent_crm.triage_dialogs.block_domain(mail.name, this.done()));
		if (can("restore")) button(__("Restore"), () => this.act("restore", {}));
		if (can("delete_forever")) button(__("Delete for Good"), () => ent_crm.triage_dialogs.delete_forever(mail.name, this.done()), "btn-danger");
		button(this.mode === "text" ? __("Show HTML") : __("Show Text"), () => this.toggle_mode(), "btn-default ecrm-wb-toggle");
		button(__("Print"), () => this.print());
		button(__("Open Form"), () => frappe.set_route("Form", "ECRM Mail", mail.name));
	}

	toggle_mode() {
		this.mode = this.mode === "text" ? "html" : "text";
		this.show_body();
	}

	print() {
		const frame = this.$reader.find("iframe.ecrm-wb-body")[0];
		if (frame && frame.contentWindow) frame.contentWindow.print();
	}

	// --- actions ----------------------------------------------------------------------------------

	act(method, args) {
		const name = this.mail.name;
		return ent_crm.triage_dialogs.run(name, method, args).then(() => this.after_action(name));
	}

	// what a triage dialog calls once its action is done: the mail may have left the queue
	done() {
		const name = this.mail.name;
		return () => this.after_action(name);
	}

	after_action(name) {
		// the mail may have left the queue: counts move, the list reloads and the next mail opens
		const idx = this.rows.findIndex((r) => r.name === name);
		return Promise.all([this.refresh_counts(), this.load_list(this.queue, 0)]).then(() => {
			const still = this.rows.findIndex((r) => r.name === name);
			if (still >= 0) return this.read(name);
			const next = this.rows[Math.min(Math.max(idx, 0), this.rows.length - 1)];
			if (next) return this.read(next.name);
			this.current = null;
			this.$reader.html(`<div class="ecrm-wb-empty">${__("Nothing left in this queue.")}</div>`);
		});
	}

	// the triage dialogs are ent_crm.triage_dialogs (public/js/ecrm_triage_dialogs.js), shared with the mail form

	distribute() {
		ent_crm.triage_dialogs.distribute(this.mail.name, this.done());
	}

	hand_over() {
		ent_crm.triage_dialogs.hand_over(this.mail.name, this.done());
	}

	merge() {
		ent_crm.triage_dialogs.merge(this.mail.name, this.done(), this.mail.suggested_customer);
	}

	new_record(doctype) {
		ent_crm.triage_dialogs.new_record(this.mail.name, doctype);
	}

	mark_followed() {
		if (!this.mail || !this.mail.actions.includes("mark_followed")) return;
		ent_crm.triage_dialogs.mark_followed(this.mail.name, this.done(), {
			default_days: this.default_days,
			css_class: "ecrm-wb-followed-dialog",
		});
	}

	copy() {
		ent_crm.triage_dialogs.copy(this.mail.name, this.done());
	}

	contact_log() {
		const mail = this.mail;
		frappe.new_doc("ECRM Contact Log", {
			customer: mail.reference_name,
			mail: mail.name,
			subject: mail.subject,
			employee: this.target && !this.target.inspecting ? this.target.employee : undefined,
		});
	}

	compose(mode) {
		const mail = this.mail;
		if (!mail || !mail.actions.includes(mode)) return;
		ent_crm.compose.open({
			mail: mail.name,
			mode: mode,
			customer: mail.reference_doctype === "ECRM Customer" ? mail.reference_name : undefined,
			on_sent: () => this.after_action(mail.name),
		});
	}

	// --- keys and realtime ------------------------------------------------------------------------

	bind_keys() {
		$(document).on("keydown.ecrm_wb", (e) => {
			if (frappe.get_route_str() !== "ecrm-workbench") return;
			if (e.ctrlKey || e.metaKey || e.altKey) return;
			if ($(e.target).is("input, textarea, select, [contenteditable=true]")) return;
			if ($(".modal.show").length) return;
			const key = e.key;
			if (key === "j" || key === "k") {
				e.preventDefault();
				this.step(key === "j" ? 1 : -1);
			} else if (key === "f") {
				e.preventDefault();
				this.mark_followed();
			} else if (key === "r") {
				e.preventDefault();
				this.compose("reply");
			} else if (key === "h") {
				e.preventDefault();
				if (this.mail) this.toggle_mode();
			}
		});
	}

	step(delta) {
		if (!this.rows.length) return;
		const at = this.rows.findIndex((r) => (r.name || r.todo) === this.current);
		const idx = at < 0 ? 0 : Math.min(Math.max(at + delta, 0), this.rows.length - 1);
		if (this.kind === "mail") this.read(this.rows[idx].name);
		else {
			this.current = this.rows[idx].name || this.rows[idx].todo;
			this.$rows.find(".ecrm-wb-row").removeClass("active").eq(idx).addClass("active");
		}
	}

	show_keys() {
		frappe.msgprint(
			`<table class="table table-bordered"><tbody>
			<tr><td><kbd>j</kbd> / <kbd>k</kbd></td><td>${__("Next / previous mail")}</td></tr>
			<tr><td><kbd>f</kbd></td><td>${__("Mark Followed")}</td></tr>
			<tr><td><kbd>r</kbd></td><td>${__("Reply")}</td></tr>
			<tr><td><kbd>h</kbd></td><td>${__("Switch between HTML and text")}</td></tr>
			</tbody></table>`,
			__("Keyboard Shortcuts")
		);
	}

	on_new_mail(data) {
		if (frappe.get_route_str() !== "ecrm-workbench" || !this.loaded) {
			this.missed_mail = true; // shown when the workbench is opened again (on_page_show)
			return;
		}
		clearTimeout(this._new_mail_timer);
		// a burst of mail moves the counts once
		this._new_mail_timer = setTimeout(() => {
			this.refresh_counts();
			if (this.kind === "mail" && this.start === 0) this.load_list(this.queue, 0);
		}, 500);
	}
}
