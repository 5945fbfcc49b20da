// Copyright (c) 2026, ent_crm developers
// License: MIT. See LICENSE

// Customer follow-up (F2, F4, F5): the reminders due (postpone, cancel, answer by mail, fax or other),
// customers handled in the last 7 days, all my customers, the search box over codes, names, phones,
// e-mails, faxes and contacts, quick query (type, level, source, product) and detailed query (region
// tree, salesperson); a customer's detail shows the whole history with folders.
// Server: ent_crm.followup.reminders (get_due, postpone, cancel, close), ent_crm.followup.search.search.

frappe.pages["ecrm-follow-up"].on_page_load = function (wrapper) {
	const page = frappe.ui.make_app_page({ parent: wrapper, title: __("Customer Follow-up"), single_column: false });
	wrapper.follow_up = new EcrmFollowUp(page);
};

frappe.pages["ecrm-follow-up"].on_page_show = function (wrapper) {
	const customer = frappe.route_options && frappe.route_options.customer;
	frappe.route_options = null;
	if (wrapper.follow_up) {
		if (customer) wrapper.follow_up.show_customer(customer);
		else wrapper.follow_up.refresh();
	}
};

class EcrmFollowUp {
	constructor(page) {
		this.page = page;
		this.view = "due";
		this.start = 0;
		this.page_length = 50;
		this.esc = frappe.utils.escape_html;
		this.make_sidebar();
		this.make_filters();
		this.$body = $('<div class="ecrm-follow-up" style="padding: 10px 0"></div>').appendTo(page.main);
		this.$pager = $(`<div style="padding-bottom: 15px">
			<button class="btn btn-default btn-sm ecrm-prev">${this.esc(__("Previous Page"))}</button>
			<button class="btn btn-default btn-sm ecrm-next">${this.esc(__("Next Page"))}</button></div>`).appendTo(page.main);
		this.$pager.find(".ecrm-prev").on("click", () => this.load(Math.max(0, this.start - this.page_length)));
		this.$pager.find(".ecrm-next").on("click", () => this.load(this.start + this.page_length));
		page.set_primary_action(__("New Contact Log"), () => frappe.new_doc("ECRM Contact Log", { direction: "Outbound" }), "add");
	}

	make_sidebar() {
		const views = [
			["due", __("Follow-up Reminders")],
			["recent", __("Recently Handled (7 Days)")],
			["all", __("All My Customers")],
		];
		this.$views = $('<ul class="list-unstyled sidebar-menu ecrm-views"></ul>').appendTo(this.page.sidebar);
		views.forEach(([value, label]) => {
			$(`<li class="sidebar-item"><a href="#" class="ecrm-view" data-view="${value}">${this.esc(label)}
				${value === "due" ? '<span class="badge ecrm-due-count" style="margin-left:6px"></span>' : ""}</a></li>`)
				.appendTo(this.$views)
				.find("a")
				.on("click", (e) => {
					e.preventDefault();
					this.set_view(value);
				});
		});
	}

	make_filters() {
		const add = (df) => this.page.add_field({ ...df, change: () => this.on_filter_change(df.fieldname) });
		this.filters = {
			text: add({
				fieldname: "text",
				label: __("Code, name, phone, e-mail, fax, mnemonic or contact"),
				fieldtype: "Data",
			}),
			customer_type: add({ fieldname: "customer_type", label: __("Customer Type"), fieldtype: "Link", options: "ECRM Customer Type" }),
			customer_level: add({ fieldname: "customer_level", label: __("Customer Level"), fieldtype: "Link", options: "ECRM Customer Level" }),
			customer_source: add({ fieldname: "customer_source", label: __("Customer Source"), fieldtype: "Link", options: "ECRM Customer Source" }),
			product: add({ fieldname: "product", label: __("Product"), fieldtype: "Link", options: "ECRM Product" }),
			region: add({ fieldname: "region", label: __("Region"), fieldtype: "Link", options: "ECRM Region" }),
			employee: add({ fieldname: "employee", label: __("Salesperson"), fieldtype: "Link", options: "ECRM Employee" }),
		};
		// search as the user types (the server answers from an index), after a short pause
		this.filters.text.$input.on("input", () => {
			clearTimeout(this.typing);
			this.typing = setTimeout(() => this.on_filter_change("text"), 300);
		});
	}

	values() {
		const v = {};
		Object.entries(this.filters).forEach(([k, f]) => (v[k] = f.get_value() || ""));
		return v;
	}

	on_filter_change(fieldname) {
		const v = this.values();
		const key = JSON.stringify(v);
		if (key === this.last_key) return;
		this.last_key = key;
		// a search or query shows customers; only the salesperson filter applies to the due list
		if (this.view === "due" && fieldname !== "employee") this.view = "all";
		this.load(0);
	}

	set_view(view) {
		this.view = view;
		this.load(0);
	}

	refresh() {
		this.load(this.start);
	}

	mark_view() {
		this.$views.find(".ecrm-view").each((_, a) => $(a).toggleClass("selected", a.dataset.view === this.view));
	}

	load(start) {
		this.start = start || 0;
		this.mark_view();
		this.update_count();
		if (this.view === "due") return this.load_due();
		if (this.view === "customer") return;
		const args = { ...this.values(), view: this.view, start: this.start, page_length: this.page_length };
		return frappe.call({ method: "ent_crm.followup.api.search", type: "GET", args }).then((r) => {
			const { customers = [], has_more, too_short } = r.message || {};
			this.$pager.show().find(".ecrm-prev").prop("disabled", this.start === 0);
			this.$pager.find(".ecrm-next").prop("disabled", !has_more);
			if (too_short) {
				this.$body.html(`<p class="text-muted">${this.esc(__("Type at least two letters (or one Chinese character)."))}</p>`);
				return;
			}
			this.render_customers(customers);
		});
	}

	update_count() {
		const employee = this.filters.employee.get_value() || "";
		frappe
			.call({ method: "ent_crm.followup.api.get_due", type: "GET", args: { employee } })
			.then((r) => {
				this.due = r.message || { count: 0, reminders: [] };
				this.$views.find(".ecrm-due-count").text(this.due.count || "");
				if (this.view === "due") this.render_due(this.due.reminders);
			});
	}

	load_due() {
		this.$pager.hide();
		this.$body.html(`<p class="text-muted">${this.esc(__("Loading..."))}</p>`);
	}

	last_contact_html(row) {
		if (!row.last_contact_date) return `<span class="text-muted">${this.esc(__("No contact yet"))}</span>`;
		const link = row.last_contact_doctype
			? `<a href="${this.esc(frappe.utils.get_form_link(row.last_contact_doctype, row.last_contact_name))}">${this.esc(row.last_contact_subject || __("(no subject)"))}</a>`
			: "";
		return `${this.esc(frappe.datetime.str_to_user(row.last_contact_date))} · ${this.esc(__(row.last_contact_kind || ""))} ${link}`;
	}

	customer_link(name, title) {
		return `<a href="#" class="ecrm-open-customer" data-customer="${this.esc(name)}">${this.esc(title || name)}</a>
			<span class="text-muted">${this.esc(name)}</span>`;
	}

	render_due(rows) {
		if (!rows.length) {
			this.$body.html(`<p class="text-muted">${this.esc(__("No customer is due for follow-up."))}</p>`);
			return;
		}
		const esc = this.esc;
		const body = rows
			.map(
				(r) => `<tr data-todo="${esc(r.todo)}" data-customer="${esc(r.customer)}">
				<td>${this.customer_link(r.customer, r.customer_name)}</td>
				<td style="white-space:nowrap">${esc(frappe.datetime.str_to_user(r.due_date))}</td>
				<td>${this.last_contact_html(r)}</td>
				<td style="white-space:nowrap">
					<button class="btn btn-xs btn-default ecrm-mail">${esc(__("Reply by Mail"))}</button>
					<button class="btn btn-xs btn-default ecrm-fax">${esc(__("By Fax"))}</button>
					<button class="btn btn-xs btn-default ecrm-other">${esc(__("Other Way"))}</button>
					<button class="btn btn-xs btn-default ecrm-postpone">${esc(__("Postpone"))}</button>
					<button class="btn btn-xs btn-default ecrm-cancel">${esc(__("Cancel Reminder"))}</button>
				</td></tr>`
			)
			.join("");
		this.$body.html(`<p>${esc(__("{0} customers are due for follow-up", [this.due.count]))}</p>
			<table class="table table-bordered"><thead><tr><th>${esc(__("Customer"))}</th><th>${esc(__("Due"))}</th>
			<th>${esc(__("Last Contact"))}</th><th></th></tr></thead><tbody>${body}</tbody></table>`);
		this.bind_rows();
		const row_of = (e) => $(e.currentTarget).closest("tr").data();
		this.$body.find(".ecrm-postpone").on("click", (e) => this.postpone(row_of(e).todo));
		this.$body.find(".ecrm-cancel").on("click", (e) => {
			const { todo } = row_of(e);
			frappe.confirm(__("Cancel this reminder without contacting the customer?"), () =>
				frappe.call({ method: "ent_crm.followup.api.cancel", args: { todo } }).then(() => this.refresh())
			);
		});
		this.$body.find(".ecrm-mail").on("click", (e) => this.reply_by_mail(row_of(e)));
		this.$body.find(".ecrm-fax").on("click", (e) =>
			frappe.new_doc("ECRM Contact Log", { customer: row_of(e).customer, method: "By Fax", direction: "Outbound" })
		);
		this.$body.find(".ecrm-other").on("click", (e) =>
			frappe.new_doc("ECRM Contact Log", { customer: row_of(e).customer, direction: "Outbound" })
		);
	}

	postpone(todo) {
		frappe.prompt(
			[
				{
					fieldname: "new_date",
					label: __("Remind Me On"),
					fieldtype: "Date",
					reqd: 1,
					default: frappe.datetime.add_days(frappe.datetime.get_today(), 1),
				},
			],
			(v) =>
				frappe
					.call({ method: "ent_crm.followup.api.postpone", args: { todo, new_date: v.new_date } })
					.then(() => this.refresh()),
			__("Postpone Reminder"),
			__("Postpone")
		);
	}

	reply_by_mail({ todo, customer }) {
		ent_crm.compose.open({
			mode: "new",
			customer,
			on_sent: () =>
				frappe.call({ method: "ent_crm.followup.api.close", args: { todo } }).then(() => this.refresh()),
		});
	}

	render_customers(rows) {
		const esc = this.esc;
		if (!rows.length) {
			this.$body.html(`<p class="text-muted">${esc(__("No customer found."))}</p>`);
			return;
		}
		const body = rows
			.map(
				(r) => `<tr data-customer="${esc(r.name)}">
				<td>${this.customer_link(r.name, r.customer_name)}</td>
				<td>${esc(r.phone || "")}<br><span class="text-muted">${esc(r.primary_email || "")}</span></td>
				<td>${esc(r.region ? __(r.region) : "")}</td>
				<td>${esc(r.owner_names || "")}</td>
				<td>${this.last_contact_html(r)}</td>
				<td style="white-space:nowrap">
					<button class="btn btn-xs btn-default ecrm-mail">${esc(__("Reply by Mail"))}</button>
					<button class="btn btn-xs btn-default ecrm-other">${esc(__("Other Way"))}</button>
					<a class="btn btn-xs btn-default" href="${esc(frappe.utils.get_form_link("ECRM Customer", r.name))}">${esc(__("Record"))}</a>
				</td></tr>`
			)
			.join("");
		this.$body.html(`<table class="table table-bordered"><thead><tr><th>${esc(__("Customer"))}</th>
			<th>${esc(__("Phone and E-mail"))}</th><th>${esc(__("Region"))}</th><th>${esc(__("Owned By"))}</th>
			<th>${esc(__("Last Contact"))}</th><th></th></tr></thead><tbody>${body}</tbody></table>`);
		this.bind_rows();
		this.$body.find(".ecrm-mail").on("click", (e) =>
			ent_crm.compose.open({ mode: "new", customer: $(e.currentTarget).closest("tr").data("customer") })
		);
		this.$body.find(".ecrm-other").on("click", (e) =>
			frappe.new_doc("ECRM Contact Log", { customer: $(e.currentTarget).closest("tr").data("customer"), direction: "Outbound" })
		);
	}

	bind_rows() {
		this.$body.find(".ecrm-open-customer").on("click", (e) => {
			e.preventDefault();
			this.show_customer(e.currentTarget.dataset.customer);
		});
	}

	// F5: the customer's record, contacts and whole history
	show_customer(customer) {
		this.back_to = this.view === "customer" ? this.back_to : this.view;
		this.view = "customer";
		this.mark_view();
		this.$pager.hide();
		const esc = this.esc;
		frappe.call({ method: "frappe.client.get", type: "GET", args: { doctype: "ECRM Customer", name: customer } }).then((r) => {
			const c = r.message;
			const contacts = (c.contacts || [])
				.map(
					(p) => `<tr><td>${esc(p.contact_name || "")}</td><td>${esc(p.job_title || "")}</td>
					<td>${esc(p.email || "")}</td><td>${esc(p.phone || p.mobile_no || "")}</td><td>${esc(p.fax || "")}</td></tr>`
				)
				.join("");
			this.$body.html(`<div>
				<button class="btn btn-xs btn-default ecrm-back">${esc(__("Back"))}</button>
				<h4 style="margin-top:12px">${esc(c.customer_name)} <span class="text-muted">${esc(c.name)}</span></h4>
				<p>${[
					c.primary_email,
					c.phone,
					c.fax ? `${__("Fax")} ${c.fax}` : "",
					c.region ? __(c.region) : "",
					c.owner_names ? `${__("Owned By")}: ${c.owner_names}` : "",
				]
					.filter(Boolean)
					.map(esc)
					.join(" · ")}</p>
				<p>
					<button class="btn btn-xs btn-primary ecrm-mail">${esc(__("Reply by Mail"))}</button>
					<button class="btn btn-xs btn-default ecrm-fax">${esc(__("By Fax"))}</button>
					<a class="btn btn-xs btn-default" href="${esc(frappe.utils.get_form_link("ECRM Customer", c.name))}">${esc(__("Record"))}</a>
					<a class="btn btn-xs btn-default" href="${esc(frappe.utils.get_form_link("ECRM Customer", c.name))}#contacts">${esc(__("Add Contact"))}</a>
				</p>
				<h5>${esc(__("Contacts"))}</h5>
				${contacts ? `<table class="table table-condensed"><tbody>${contacts}</tbody></table>` : `<p class="text-muted">${esc(__("No contacts"))}</p>`}
				<h5>${esc(__("Contact History"))}</h5>
				<div class="ecrm-history-here"></div></div>`);
			this.$body.find(".ecrm-back").on("click", () => this.set_view(this.back_to || "due"));
			this.$body.find(".ecrm-fax").on("click", () => frappe.new_doc("ECRM Contact Log", { customer, method: "By Fax", direction: "Outbound" }));
			this.$body.find(".ecrm-mail").on("click", () => ent_crm.compose.open({ mode: "new", customer }));
			ent_crm.history.render(this.$body.find(".ecrm-history-here"), customer, { page_length: 30 });
		});
	}
}
