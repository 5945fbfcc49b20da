// Copyright (c) 2026, ent_crm developers
// License: MIT. See LICENSE

// Questions and answers (K: the manual's chapter 4, rewritten for this product), in the user's language.
// The same text is in the README's FAQ chapter. A search box narrows the list.

const ECRM_FAQ = () => [
	[
		__("Why did a customer's mail land in *Unassigned* instead of the salesperson's *Known Pending*?"),
		__("Mail is routed by the sender's address (From, not Reply-To). If the address is on no customer or supplier record (primary, backup or contact address), the mail goes to *Unassigned* for a mail admin. The mail admin opens it and chooses **Merge** → *the address*: the address is added to the customer's backup e-mails, and earlier and later mail from it follows the customer."),
	],
	[
		__("Mail arrives late or not at all — what now?"),
		__("The CRM pulls mail every 10 minutes; **Receive Now** in the mail list pulls at once. If mail still does not come, have the administrator check the mailbox's server parameters (for a personal mailbox: *Personal Settings → My Mailbox → Check and Save*, which refuses wrong parameters with the server's answer). A message that cannot be read is never lost: it is kept whole under *Mail Failure* (处理失败的邮件), where a mail admin can **Process Again**."),
	],
	[
		__("Does the CRM still receive mail I already opened in webmail or Outlook?"),
		__("Yes. CRM mailboxes read every message on the server (not only unread ones), leave its read flag as it was, and store each mail once."),
	],
	[
		__("Why can't I see a customer? Why is an address “taken” when I create one?"),
		__("A salesperson sees only the customers they own. Each address belongs to exactly one customer or supplier; when it belongs to one you cannot see, you are only told that it is taken. Ask your manager to add you as an owner (Customer list → *Actions → Change Owners*) or move the customer to you."),
	],
	[
		__("Login refused: “only from the office networks”?"),
		__("The administrator limited logins to the *Office Networks* in CRM Settings. Users without the role *ECRM Remote Access* (外网访问) log in only from there; ask for that role to work from outside."),
	],
	[
		__("Login refused because too many users are online?"),
		__("The product is licensed by users online at once; the cap is *Maximum Users Online* in CRM Settings and the refusal names it. Log out (avatar → *Log out*) when you finish, so your place is freed. Administrators see who is online, since when and from where, on the *Online Users* page and can **End Session**."),
	],
	[
		__("Login refused: “browser not approved”?"),
		__("Your account has *Only From Approved Browsers* (machine binding). The first login from a new computer or browser registers that browser and tells the administrators; once one approves it under *CRM Devices* (已登记浏览器), that browser can log in. Clearing the browser's cookies makes it a new browser, to be approved again."),
	],
	[
		__("How do I change my password? I forgot it."),
		__("*Personal Settings → Change Password*: your current password and the new one twice. If you forgot it, use *Forgot Password?* on the login page (needs an outgoing mailbox on the site) or ask an administrator to set a new one on your User record."),
	],
	[
		__("How do I switch the screens to Chinese or English? Where is my signature?"),
		__("*Personal Settings → My Options*: choose the language and save; the page reloads in it. The signature is set there too and is added below the mail you write."),
	],
	[
		__("Where did my messages go? Why is my attachment refused?"),
		__("Internal messages are kept for *Message Retention (Days)* in CRM Settings (7 by default) and then deleted; keep what matters elsewhere. A message carries at most 5 MB; mail attachments follow *Attachment Size Limit (MB)* in CRM Settings (25 MB by default). Share bigger files another way."),
	],
	[
		__("How do I bring old Outlook/Foxmail mail into the CRM?"),
		__("Export the mail as .eml files (inbox and sent apart) and hand them to an administrator, who imports a .zip of them as a background job with a progress bar (`ent_crm.mail.api.start_eml_import`, optionally marked followed) or, on the server, runs `bench --site SITE ent-crm-import-eml FOLDER --mailbox MAILBOX [--sent] [--followed]`. Imported mail is routed like new mail; importing again adds nothing."),
	],
	[
		__("A salesperson left — what happens to their customers and mail?"),
		__("Set the employee's status to *Left Company*: their account is disabled. Then create an *ECRM Handover* (业务员客户交接) that revokes their customers or transfers them to another salesperson; it runs in the background with a progress bar, and their routing rules and stranger mail go along; the customers' mail follows the new owners."),
	],
	[
		__("I deleted a mail or blocked an address by mistake — can I undo it?"),
		__("Deleted mail stays in the *Recycle Bin* for *Recycle Bin Retention (Days)* (30 by default) and can be **Restored**. Blocked addresses and domains are listed under *Blocked Sender* (拒收发件人); delete the entry and later mail is routed normally again."),
	],
	[
		__("Where are my follow-up reminders? Can they come by e-mail?"),
		__("The *Customer Follow-up* page lists the reminders due; postpone, cancel or answer them there. A daily digest rings your bell; tick *Reminder Digest by E-mail* in *Personal Settings* to get it by e-mail too. Reminders falling on a weekend move to Monday when *Skip Weekends* is on in CRM Settings."),
	],
	[
		__("Who changed a customer record? Are there backups?"),
		__("On the *CRM Logs* page (操作日志) administrators see logins and logouts, every field each user changed (old and new value), exports and prints, and the list of backups with their times. Frappe makes the backups (or run `bench --site SITE backup` on the server)."),
	],
];

frappe.pages["ecrm-help"].on_page_load = function (wrapper) {
	const page = frappe.ui.make_app_page({
		parent: wrapper,
		title: __("Questions and Answers"),
		single_column: true,
	});
	const search = page.add_field({
		fieldname: "search",
		fieldtype: "Data",
		label: __("Search"),
		change: () => render(),
	});
	const $list = $(`<div class="ecrm-faq"></div>`).appendTo(page.main);
	const items = ECRM_FAQ();
	function render() {
		const words = (search.get_value() || "").toLowerCase().split(/\s+/).filter(Boolean);
		const shown = items.filter(([q, a]) => words.every((w) => (q + " " + a).toLowerCase().includes(w)));
		$list.html(
			shown.length
				? shown
						.map(
							([q, a], i) => `<details class="ecrm-faq-item" ${shown.length === 1 ? "open" : ""}
								style="background: var(--card-bg); border: 1px solid var(--border-color);
								border-radius: var(--border-radius-md); padding: 12px 16px; margin-bottom: 10px;">
								<summary class="bold" style="cursor: pointer;">${i + 1}. ${frappe.utils.escape_html(q)}</summary>
								<div style="margin-top: 8px;">${frappe.markdown(a)}</div></details>`
						)
						.join("")
				: `<div class="text-muted" style="padding: 20px;">${__("No question matches.")}</div>`
		);
	}
	search.$input.on("input", frappe.utils.debounce(render, 200));
	render();
};
