// Copyright (c) 2026, ent_crm developers
// License: MIT. See LICENSE

// CRM Logs (A8): logins and logouts, changes (document, field, old and new value), exports and prints,
// backups — one page, a filter for the kind of log, user and dates, paged newest first.
// Server: ent_crm.admin.api.get_logs (checks the caller's role).

const ECRM_LOG_PAGE = 50;

frappe.pages["ecrm-logs"].on_page_load = function (wrapper) {
	const page = frappe.ui.make_app_page({ parent: wrapper, title: __("CRM Logs"), single_column: true });
	wrapper.logs = new EcrmLogs(page);
};

class EcrmLogs {
	constructor(page) {
		this.page = page;
		this.start = 0;
		this.log_type = page.add_field({
			fieldname: "log_type",
			label: __("Kind of Log"),
			fieldtype: "Select",
			options: [
				{ value: "login", label: __("Logins and Logouts") },
				{ value: "change", label: __("Changes") },
				{ value: "access", label: __("Exports and Prints") },
				{ value: "backup", label: __("Backups") },
			],
			default: "login",
			change: () => this.reload(),
		});
		this.user = page.add_field({
			fieldname: "user",
			label: __("User"),
			fieldtype: "Link",
			options: "User",
			change: () => this.reload(),
		});
		this.from_date = page.add_field({
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			change: () => this.reload(),
		});
		this.to_date = page.add_field({
			fieldname: "to_date",
			label: __("Until Date"),
			fieldtype: "Date",
			change: () => this.reload(),
		});
		this.$body = $('<div class="ecrm-logs" style="padding: 10px 0"></div>').appendTo(page.main);
		this.$pager = $(`<div class="ecrm-logs-pager" style="padding-bottom: 15px">
			<button class="btn btn-default btn-sm ecrm-prev">${__("Newer")}</button>
			<span class="text-muted ecrm-where" style="margin: 0 10px"></span>
			<button class="btn btn-default btn-sm ecrm-next">${__("Older")}</button></div>`).appendTo(page.main);
		this.$pager.find(".ecrm-prev").on("click", () => this.load(Math.max(0, this.start - ECRM_LOG_PAGE)));
		this.$pager.find(".ecrm-next").on("click", () => this.load(this.start + ECRM_LOG_PAGE));
		this.load(0);
	}

	reload() {
		this.load(0);
	}

	load(start) {
		frappe
			.call({
				method: "ent_crm.admin.api.get_logs",
				type: "GET",
				args: {
					log_type: this.log_type.get_value() || "login",
					user: this.user.get_value() || null,
					from_date: this.from_date.get_value() || null,
					to_date: this.to_date.get_value() || null,
					start: start,
					page_length: ECRM_LOG_PAGE,
				},
			})
			.then((r) => {
				this.start = start;
				this.render(r.message || { rows: [] });
			});
	}

	render(data) {
		const esc = frappe.utils.escape_html;
		const kind = this.log_type.get_value() || "login";
		const when = (t) => (t ? frappe.datetime.str_to_user(t) : "");
		let head, rows;
		if (kind === "change") {
			head = [__("Time"), __("User"), __("Document"), __("Changes")];
			rows = data.rows.map((r) => {
				const changes = (r.changes || [])
					.map(
						(c) =>
							`<div><b>${esc(c.field)}</b>: <span class="text-muted">${esc(
								c.old
							)}</span> → ${esc(c.new)}</div>`
					)
					.join("");
				const link = `/app/${frappe.router.slug(r.doctype)}/${encodeURIComponent(r.docname)}`;
				return [when(r.time), esc(r.user), `${esc(r.what)} <a href="${link}">${esc(r.docname)}</a>`, changes];
			});
		} else if (kind === "backup") {
			head = [__("Time"), __("File"), __("Size (MB)")];
			rows = data.rows.map((r) => [when(r.time), esc(r.details), esc(String(r.size_mb))]);
		} else if (kind === "login") {
			head = [__("Time"), __("User"), __("Event"), __("Address"), __("Details")];
			rows = data.rows.map((r) => [
				when(r.time),
				esc(r.user),
				`${esc(r.what)}${r.failed ? ` <span class="indicator-pill red">${esc(r.status)}</span>` : ""}`,
				esc(r.ip_address || ""),
				esc(r.details || ""),
			]);
		} else {
			head = [__("Time"), __("User"), __("Event"), __("Details")];
			rows = data.rows.map((r) => [when(r.time), esc(r.user), esc(r.what), esc(r.details || "")]);
		}
		if (!rows.length) {
			this.$body.html(`<p class="text-muted">${__("Nothing logged for these filters.")}</p>`);
		} else {
			this.$body.html(`<table class="table table-bordered table-condensed">
				<thead><tr>${head.map((h) => `<th>${h}</th>`).join("")}</tr></thead>
				<tbody>${rows.map((cells) => `<tr>${cells.map((c) => `<td>${c}</td>`).join("")}</tr>`).join("")}</tbody>
			</table>`);
		}
		this.$pager.find(".ecrm-prev").prop("disabled", this.start === 0);
		this.$pager.find(".ecrm-next").prop("disabled", !data.has_more);
		this.$pager
			.find(".ecrm-where")
			.text(rows.length ? __("Rows {0} to {1}", [this.start + 1, this.start + rows.length]) : "");
	}
}
