// Copyright (c) 2026, ent_crm developers
// License: MIT. See LICENSE

// Online Users (A3): who is online now, since when and from which address; an administrator may end a
// session. Server: ent_crm.admin.sessions (get_online_users, end_session; both check the caller's role).

frappe.pages["ecrm-online-users"].on_page_load = function (wrapper) {
	const page = frappe.ui.make_app_page({ parent: wrapper, title: __("Online Users"), single_column: true });
	page.set_secondary_action(__("Refresh"), () => wrapper.online.load(), "refresh");
	wrapper.online = new EcrmOnlineUsers(page);
};

frappe.pages["ecrm-online-users"].on_page_show = function (wrapper) {
	wrapper.online && wrapper.online.load();
};

class EcrmOnlineUsers {
	constructor(page) {
		this.page = page;
		this.$summary = $('<div class="text-muted" style="margin: 10px 0"></div>').appendTo(page.main);
		this.$table = $('<div class="ecrm-online-table"></div>').appendTo(page.main);
	}

	load() {
		frappe
			.call({ method: "ent_crm.admin.api.get_online_users", type: "GET" })
			.then((r) => this.render(r.message || { sessions: [] }));
	}

	render(data) {
		const esc = frappe.utils.escape_html;
		const cap = data.cap
			? __("Licence: at most {0} users online at the same time.", [data.cap])
			: __("No cap on users online.");
		this.$summary.text(
			__("{0} users online (active in the last {1} minutes; Administrator is not counted).", [data.users_online, data.idle_minutes]) +
				" " +
				cap
		);
		if (!data.sessions.length) {
			this.$table.html(`<p class="text-muted">${__("Nobody is online.")}</p>`);
			return;
		}
		const rows = data.sessions
			.map(
				(s) => `<tr>
				<td>${esc(s.full_name)} <span class="text-muted">${esc(s.user)}</span></td>
				<td>${s.login_time ? frappe.datetime.str_to_user(s.login_time) : ""}</td>
				<td>${esc(s.ip_address || "")}</td>
				<td>${frappe.datetime.comment_when(s.last_active)}</td>
				<td>${
					s.is_current
						? `<span class="text-muted">${__("This session")}</span>`
						: `<button class="btn btn-xs btn-default" data-key="${esc(s.key)}" data-user="${esc(
								s.user
						  )}">${__("End Session")}</button>`
				}</td></tr>`
			)
			.join("");
		this.$table.html(`<table class="table table-bordered">
			<thead><tr><th>${__("User")}</th><th>${__("Login Time")}</th><th>${__("Address")}</th>
			<th>${__("Last Active")}</th><th></th></tr></thead><tbody>${rows}</tbody></table>`);
		this.$table.find("button[data-key]").on("click", (e) => {
			const $b = $(e.currentTarget);
			frappe.confirm(__("Log {0} out of this session?", [esc($b.data("user"))]), () =>
				frappe
					.call({ method: "ent_crm.admin.api.end_session", args: { key: $b.data("key") } })
					.then(() => this.load())
			);
		});
	}
}
