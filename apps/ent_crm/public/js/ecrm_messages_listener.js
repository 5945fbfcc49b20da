// Internal messages (J1): a pop-up for every message that arrives while the desk is open, and the
// unread ones once after login (kept for later otherwise). Part of ent_crm.bundle.js (hooks.app_include_js,
// every desk page); the Messages page (/app/ecrm-messages) uses ent_crm.messages.show as well.
frappe.provide("ent_crm.messages");

(function () {
	if (ent_crm.messages.listening) return;
	ent_crm.messages.listening = true;

	const esc = (text) => frappe.utils.escape_html(text || "");

	ent_crm.messages.body_html = function (msg) {
		let html = `<div class="ecrm-message-meta text-muted small">${__("From {0}", [
			esc(msg.sender_name || msg.sender),
		])} · ${esc(frappe.datetime.str_to_user(msg.sent_on))}</div>
			<div class="ecrm-message-body" style="white-space: pre-wrap; margin-top: 8px;">${esc(msg.body)}</div>`;
		if (msg.attachment) {
			const name = decodeURIComponent(msg.attachment.split("/").pop());
			html += `<div style="margin-top: 8px;"><a href="${encodeURI(msg.attachment)}" target="_blank">
				${frappe.utils.icon("attachment", "sm")} ${esc(name)}</a></div>`;
		}
		if (msg.reference_doctype && msg.reference_name) {
			html += `<div style="margin-top: 8px;"><a href="/app/${frappe.router.slug(
				msg.reference_doctype
			)}/${encodeURIComponent(msg.reference_name)}">${__("Open {0}", [esc(__(msg.reference_doctype))])}</a></div>`;
		}
		return html;
	};

	// One message in a dialog; reading it marks it read, a requested receipt is one click.
	ent_crm.messages.show = function (msg, on_change) {
		const dialog = new frappe.ui.Dialog({
			title: frappe.utils.escape_html(msg.subject),
			fields: [{ fieldtype: "HTML", fieldname: "body" }],
		});
		dialog.fields_dict.body.$wrapper.html(ent_crm.messages.body_html(msg));
		const done = () => on_change && on_change();
		if (msg.request_receipt && !msg.receipt_on) {
			dialog.set_primary_action(__("Confirm Receipt"), () => {
				frappe
					.xcall("ent_crm.messages.api.confirm_receipt", { name: msg.name })
					.then(() => {
						msg.receipt_on = frappe.datetime.now_datetime();
						frappe.show_alert({ message: __("Receipt confirmed"), indicator: "green" });
						dialog.hide();
						done();
					});
			});
		} else {
			dialog.set_primary_action(__("Close"), () => dialog.hide());
		}
		dialog.set_secondary_action_label(__("All Messages"));
		dialog.set_secondary_action(() => {
			dialog.hide();
			frappe.set_route("ecrm-messages");
		});
		if (msg.sender && msg.sender !== frappe.session.user) {
			dialog.add_custom_action(__("Reply"), () => {
				dialog.hide();
				frappe.route_options = { reply_to: msg.name };
				const here = document.getElementById("page-ecrm-messages");
				if ((frappe.get_route() || [])[0] === "ecrm-messages" && here && here.messages_page) {
					here.messages_page.reply_from_route();
				} else {
					frappe.set_route("ecrm-messages");
				}
			});
		}
		dialog.show();
		if (!msg.read_on) {
			frappe.xcall("ent_crm.messages.api.mark_read", { names: [msg.name] }).then(() => {
				done();
				$(document).trigger("ecrm_messages_changed");
			});
			msg.read_on = frappe.datetime.now_datetime();
		}
		return dialog;
	};

	// Each message pops up once per browser; later it waits, unread, in the Messages page.
	const POPPED_KEY = "ent_crm_messages_popped";
	function popped() {
		try {
			return JSON.parse(localStorage.getItem(POPPED_KEY) || "[]");
		} catch (e) {
			return [];
		}
	}
	function remember(names) {
		const all = popped().concat(names);
		localStorage.setItem(POPPED_KEY, JSON.stringify(all.slice(-300)));
	}

	function show_unread_once() {
		frappe.xcall("ent_crm.messages.api.unread").then((all) => {
			const seen = popped();
			const rows = (all || []).filter((r) => !seen.includes(r.name));
			if (!rows.length) return;
			remember(rows.map((r) => r.name));
			if ((frappe.get_route() || [])[0] === "ecrm-messages") return; // the page lists them already
			if (rows.length === 1) {
				ent_crm.messages.show(rows[0]);
				return;
			}
			frappe.msgprint({
				title: __("Unread Messages"),
				indicator: "blue",
				message:
					`<p>${__("You have {0} unread messages.", [rows.length])}</p><ul>` +
					rows
						.map(
							(r) =>
								`<li><a href="/app/ecrm-messages?message=${encodeURIComponent(r.name)}">${esc(
									r.subject
								)}</a> <span class="text-muted">${esc(r.sender_name)}</span></li>`
						)
						.join("") +
					"</ul>",
			});
		});
	}

	// A messages button with the unread count, left of the notification bell.
	function refresh_badge() {
		let $button = $(".ecrm-messages-nav");
		if (!$button.length) {
			const $bell = $(".navbar .dropdown-notifications").first();
			if (!$bell.length) return;
			$button = $(`<li class="nav-item ecrm-messages-nav">
				<a class="nav-link text-muted" href="/app/ecrm-messages" title="${esc(__("Messages"))}"
					style="position: relative;">
					<svg class="es-icon icon-sm"><use href="#es-line-chat-alt"></use></svg>
					<span class="ecrm-messages-count badge badge-pill badge-danger hidden"
						style="position: absolute; top: 2px; right: -4px; font-size: 10px; padding: 2px 5px;"></span>
				</a></li>`).insertBefore($bell);
		}
		frappe.xcall("ent_crm.messages.api.unread").then((rows) => {
			const n = (rows || []).length;
			$button
				.find(".ecrm-messages-count")
				.text(n >= 20 ? "20+" : String(n))
				.toggleClass("hidden", !n);
		});
	}

	// A new mail for this user while they work on another page: a toast that opens the workbench and
	// the number of such mails in the tab title, until the workbench is opened (it moves its own list).
	let new_mails = 0;
	function show_new_mail_count() {
		const title = document.title.replace(/^\(\d+\) /, "");
		document.title = new_mails ? `(${new_mails}) ${title}` : title;
	}
	function on_workbench() {
		return (frappe.get_route() || [])[0] === "ecrm-workbench";
	}
	ent_crm.messages.on_new_mail = function (data) {
		if (on_workbench()) return;
		new_mails += 1;
		show_new_mail_count();
		const subject = data && data.subject ? esc(data.subject) : esc(__(data && data.queue));
		frappe.show_alert(
			{
				message: `<a class="ecrm-new-mail-notice" href="/app/ecrm-workbench">${__("New mail: {0}", [
					subject,
				])}</a>`,
				indicator: "blue",
			},
			15
		);
	};
	function on_route_change() {
		if (on_workbench()) new_mails = 0;
		setTimeout(show_new_mail_count, 300); // after the page has set its own title
	}

	$(document).on("app_ready", function () {
		if (!frappe.session || frappe.session.user === "Guest") {
			return;
		}
		frappe.realtime.on("ecrm_new_mail", ent_crm.messages.on_new_mail);
		frappe.router.on("change", on_route_change);
		refresh_badge();
		$(document).on("ecrm_messages_changed", frappe.utils.debounce(refresh_badge, 500));
		frappe.realtime.on("ecrm_message", (msg) => {
			remember([msg.name]);
			frappe.utils.play_sound("alert");
			ent_crm.messages.show(msg, () => $(document).trigger("ecrm_messages_changed"));
			$(document).trigger("ecrm_messages_changed");
		});
		frappe.realtime.on("ecrm_message_receipt", (data) => {
			frappe.show_alert({
				message: __("{0} confirmed receiving: {1}", [esc(data.full_name), esc(data.subject)]),
				indicator: "green",
			});
			$(document).trigger("ecrm_messages_changed");
		});
		show_unread_once();
	});
})();
