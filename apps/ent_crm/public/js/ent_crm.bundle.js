// Copyright (c) 2026, ent_crm developers
// License: MIT. See LICENSE

// The desk JS that several screens share, built by `bench build` (Frappe's esbuild) into
// /assets/ent_crm/dist/js/ent_crm.bundle.[hash].js and loaded on every desk page through
// hooks.app_include_js = ["ent_crm.bundle.js"]. Each module defines its ent_crm.* namespace as a side effect,
// so pages, forms and query report scripts (evaluated after app_include_js) find it at once:
//   ent_crm.statistics  the statistics reports' shared filters
//   ent_crm.history     a customer's contact history (customer form, follow-up page)
//   ent_crm.compose     the mail composer (mail and customer forms, workbench, follow-up page)
//   ent_crm.triage_dialogs  the triage actions' dialogs (mail form, workbench)
//   ent_crm.messages    internal messages: pop-ups on every desk page, the Messages page
//   ent_crm.record_form the customer and supplier forms' duplicate check
// Page styles are in public/css/ent_crm.bundle.css (hooks.app_include_css).

import "./ecrm_statistics.js";
import "./ecrm_history.js";
import "./ecrm_compose.js";
import "./ecrm_triage_dialogs.js";
import "./ecrm_messages_listener.js";
import "./ecrm_record_form.js";
