// Privacy requests: platforms' requests to answer, a customer's export and erasure (with a typed
// confirmation and a receipt), recent receipts, and the store's retention settings. Admins only.
import { api, ApiError, errorBox, h, header, pill, table, when } from "../lib.js";
import { num, tabs } from "../widgets.js";

const KIND_LABELS = {
  customer_data_request: "Data request",
  customer_redact: "Erase customer",
  shop_redact: "Erase shop",
};

const STATUS_TONES = { received: "warn", completed: "ok", failed: "bad" };

/** A count and what it counts, in the singular for one: "1 address", "3 payment methods". */
function counted(n, what) {
  const words = what.replaceAll("_", " ").split(" ");
  if (n === 1) words[0] = words[0].replace(/ies$/, "y").replace(/sses$/, "ss").replace(/([^s])s$/, "$1");
  return `${num(n)} ${words.join(" ")}`;
}

/** Counts of a receipt as short text: "orders 2 anonymised · 1 conversation · 4 events". */
function countsText(counts) {
  const parts = [];
  for (const [area, value] of Object.entries(counts || {})) {
    if (value && typeof value === "object") {
      for (const [what, n] of Object.entries(value)) {
        if (!n) continue;
        parts.push(["anonymised", "deleted"].includes(what) ? `${area.replaceAll("_", " ")} ${n} ${what}` : counted(n, what));
      }
    } else if (value) {
      parts.push(counted(value, area));
    }
  }
  return parts.join(" · ") || "nothing held";
}

function receiptBox(receipt, id) {
  return h("div", { class: "notice receipt", id },
    h("div", {}, h("strong", {}, receipt.kind === "erasure" ? "Erased. " : "Done. "), "Receipt ", h("span", { class: "mono", "data-receipt": receipt.id }, receipt.id), ` · ${when(receipt.completed_at || receipt.requested_at)}`),
    h("div", { class: "small-text muted" }, countsText(receipt.counts)),
    receipt.detail ? h("div", { class: "small-text" }, receipt.detail) : null,
  );
}

/** Save a JSON document as a file the browser downloads. */
function saveJson(document_, name) {
  const blob = new Blob([JSON.stringify(document_, null, 2) + "\n"], { type: "application/json" });
  const url = URL.createObjectURL(blob);
  const link = h("a", { href: url, download: name, style: "display:none" });
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

async function downloadExport(customerId, status) {
  status.replaceChildren();
  try {
    const data = await api.get(`/v1/customers/${customerId}/export`);
    saveJson(data, `customer-${customerId}-export.json`);
    status.replaceChildren(h("div", { class: "notice", id: "export-done" }, `Export of customer ${customerId} downloaded (recorded with a receipt).`));
    return true;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) throw err;
    status.replaceChildren(errorBox(err));
    return false;
  }
}

export async function render(root) {
  const [settings, receipts] = await Promise.all([api.get("/v1/privacy/settings"), api.get("/v1/privacy/receipts?limit=20")]);
  let view = "received";

  // ---- platform requests
  const requestsBox = h("div", { id: "platform-requests" });
  const requestStatus = h("div", { id: "request-outcome" });
  const requestTabs = h("div");
  async function drawRequests() {
    let page;
    try {
      page = await api.get(`/v1/privacy/requests?limit=200${view ? `&status=${view}` : ""}`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) throw err;
      requestsBox.replaceChildren(errorBox(err));
      return;
    }
    const items = view ? page.items : [...page.items].reverse();
    requestTabs.replaceChildren(tabs([{ key: "received", label: "Pending" }, { key: "", label: "All" }], view, (key) => { view = key; drawRequests(); }));
    requestsBox.replaceChildren(
      table(
        [
          { label: "Received", render: (r) => h("span", { class: "nowrap" }, when(r.received_at)) },
          { label: "Request", render: (r) => KIND_LABELS[r.kind] || r.kind },
          {
            label: "Customer",
            render: (r) => r.customer_id
              ? h("button", { type: "button", class: "link", onclick: () => find(String(r.customer_id)) }, `#${r.customer_id}`)
              : h("span", { class: "muted" }, r.customer_external_id ? `platform id ${r.customer_external_id}` : "—"),
          },
          { label: "Status", render: (r) => pill(r.status === "received" ? "pending" : r.status, STATUS_TONES[r.status]) },
          {
            label: "Outcome",
            render: (r) => r.status === "received"
              ? h("span", { class: "muted small-text" }, r.detail)
              : h("span", { class: "small-text" }, when(r.completed_at), r.receipt_id ? [" · ", h("span", { class: "mono" }, r.receipt_id)] : null, h("span", { class: "block muted" }, r.detail)),
          },
          {
            label: "",
            render: (r) => r.status === "received"
              ? h("button", { class: r.kind === "customer_data_request" ? "small" : "small danger", "data-answer": r.id, onclick: (event) => answer(r, event.currentTarget) }, r.kind === "customer_data_request" ? "Answer" : "Answer (erase)")
              : null,
          },
        ],
        items,
        { empty: view ? "No requests waiting. Shopify's privacy webhooks arrive here." : "No requests from platforms yet." },
      ),
    );
  }
  async function answer(request, button) {
    const what = request.kind === "customer_data_request"
      ? "Answer this data request? You then send the shopper their export through the platform."
      : "Answer this request by erasing the customer's data? This cannot be undone.";
    if (!confirm(what)) return;
    button.disabled = true;
    requestStatus.replaceChildren();
    try {
      const outcome = await api.post(`/v1/privacy/requests/${request.id}/answer`);
      const exportButton = outcome.kind === "customer_data_request" && request.customer_id
        ? h("button", { class: "small secondary", id: "answer-export", onclick: () => downloadExport(request.customer_id, requestStatus) }, "Download the export")
        : null;
      requestStatus.replaceChildren(
        outcome.receipt
          ? receiptBox(outcome.receipt, "answer-receipt")
          : h("div", { class: "notice", id: "answer-detail" }, h("div", {}, `${KIND_LABELS[outcome.kind] || outcome.kind}: ${outcome.status}. `, outcome.detail), exportButton ? h("div", { style: "margin-top:8px" }, exportButton) : null),
      );
      await Promise.all([drawRequests(), drawReceipts()]);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) throw err;
      button.disabled = false;
      requestStatus.replaceChildren(errorBox(err));
    }
  }

  // ---- one customer: export, erasure preview, erasure
  const lookup = h("input", { id: "customer-ref", placeholder: "ada@example.com or 1042", autocomplete: "off" });
  const customerBox = h("div", { id: "customer" });
  const customerStatus = h("div");
  async function find(ref) {
    if (ref !== undefined) lookup.value = ref;
    const text = lookup.value.trim();
    customerBox.replaceChildren();
    customerStatus.replaceChildren();
    if (!text) return;
    let customer;
    try {
      if (text.includes("@")) {
        const page = await api.get(`/v1/customers?email=${encodeURIComponent(text)}&limit=1`);
        // the single read adds the order count
        customer = page.items[0] && (await api.get(`/v1/customers/${page.items[0].id}`));
      } else if (/^\d{1,18}$/.test(text)) {
        customer = await api.get(`/v1/customers/${text}`);
      } else {
        customerStatus.replaceChildren(h("div", { class: "error" }, "Enter the customer's e-mail address or their id (a number)."));
        return;
      }
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) throw err;
      customerStatus.replaceChildren(errorBox(err));
      return;
    }
    if (!customer) {
      customerStatus.replaceChildren(h("div", { class: "error" }, "No customer of this store has that e-mail (customer_not_found)"));
      return;
    }
    drawCustomer(customer);
    lookup.closest(".panel")?.scrollIntoView({ block: "start" });
  }
  function drawCustomer(customer) {
    const actions = h("div");
    customerBox.replaceChildren(
      h("dl", { class: "facts customer-facts", id: "customer-facts" },
        h("dt", {}, "Customer"), h("dd", {}, `#${customer.id}`, customer.name ? ` · ${customer.name}` : ""),
        h("dt", {}, "E-mail"), h("dd", {}, customer.email || h("span", { class: "muted" }, "none")),
        h("dt", {}, "Source"), h("dd", {}, customer.source, customer.external_id ? h("span", { class: "muted" }, ` · ${customer.external_id}`) : null),
        h("dt", {}, "Orders"), h("dd", {}, customer.order_count ?? "–"),
      ),
      h("div", { class: "toolbar", style: "margin-top:14px" },
        h("button", { class: "secondary", id: "download-export", onclick: () => downloadExport(customer.id, customerStatus) }, "Download export (JSON)"),
        h("button", { class: "secondary", id: "preview-erasure", onclick: () => preview(customer, actions) }, "Preview erasure"),
      ),
      actions,
    );
  }
  async function preview(customer, box) {
    customerStatus.replaceChildren();
    let plan;
    try {
      plan = await api.get(`/v1/customers/${customer.id}/erasure`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) throw err;
      box.replaceChildren(errorBox(err));
      return;
    }
    const typed = h("input", { id: "erase-confirm", autocomplete: "off", placeholder: plan.confirm_with });
    const force = h("input", { type: "checkbox", id: "erase-force" });
    const open = plan.open_order_ids.length;
    const button = h("button", { type: "submit", class: "danger", id: "erase", disabled: true }, "Erase for good");
    const result = h("div");
    const matches = () => {
      const value = typed.value.trim();
      return value === "ERASE" || value.toLowerCase() === plan.confirm_with.toLowerCase();
    };
    const update = () => { button.disabled = !matches() || (open > 0 && !force.checked); };
    typed.addEventListener("input", update);
    force.addEventListener("change", update);
    async function erase(event) {
      event.preventDefault();
      if (button.disabled) return;
      button.disabled = true;
      result.replaceChildren();
      const value = typed.value.trim();
      try {
        const receipt = await api.post(`/v1/customers/${customer.id}/erase`, {
          confirm: value === "ERASE" ? plan.confirm_with : value,
          force: open > 0 && force.checked,
        });
        form.replaceChildren(receiptBox(receipt, "erase-receipt"));
        for (const stale of customerBox.querySelectorAll("#download-export, #preview-erasure")) stale.disabled = true;
        await drawReceipts();
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) throw err;
        result.replaceChildren(errorBox(err));
        update();
      }
    }
    const orders = plan.keep_order_financials ? "anonymised (amounts, dates and SKUs kept for the accounts)" : "deleted";
    const form = h("form", { class: "erasure", id: "erasure-preview", onsubmit: erase },
      h("h3", {}, "Erasing this customer"),
      h("dl", { class: "facts wide" },
        h("dt", {}, "Orders"), h("dd", { "data-preview": "orders" }, `${num(plan.orders)} ${orders}`),
        h("dt", {}, "Conversations"), h("dd", { "data-preview": "conversations" }, `${num(plan.conversations)} deleted`),
        h("dt", {}, "Events"), h("dd", { "data-preview": "events" }, `${num(plan.events)} deleted`),
        h("dt", {}, "Imported history"), h("dd", { "data-preview": "imported" }, `${num(plan.imported_interactions)} deleted`),
        h("dt", {}, "Profile"), h("dd", {}, "contact details, addresses, payment methods, consent and preferences removed"),
      ),
      open
        ? h("label", { class: "check warn-text" }, force, ` ${open} order${open === 1 ? " is" : "s are"} still in progress (${plan.open_order_ids.map((id) => `#${id}`).join(", ")}); erase anyway — their shipping addresses go too`)
        : null,
      h("label", { for: "erase-confirm" }, "To confirm, type ", h("strong", { class: "mono" }, plan.confirm_with), " or ", h("strong", { class: "mono" }, "ERASE")),
      h("div", { class: "row" }, h("div", {}, typed), h("div", { class: "shrink" }, button)),
      result,
    );
    box.replaceChildren(form);
    typed.focus();
  }

  // ---- receipts
  const receiptsBox = h("div", { id: "receipts" });
  function drawReceiptsList(items) {
    receiptsBox.replaceChildren(
      table(
        [
          { label: "Receipt", render: (r) => h("span", { class: "mono" }, r.id) },
          { label: "Kind", render: (r) => pill(r.kind, r.kind === "erasure" ? "bad" : r.kind === "export" ? "ok" : "") },
          { label: "Customer", render: (r) => (r.customer_id ? `#${r.customer_id}` : "") },
          { label: "Through", render: (r) => r.origin },
          { label: "By", render: (r) => h("span", { class: "small-text" }, r.requested_by) },
          { label: "When", render: (r) => h("span", { class: "nowrap" }, when(r.requested_at)) },
          { label: "What it did", render: (r) => h("span", { class: "small-text" }, countsText(r.counts)) },
        ],
        items,
        { empty: "No exports, erasures or purges yet." },
      ),
    );
  }
  async function drawReceipts() {
    try {
      drawReceiptsList((await api.get("/v1/privacy/receipts?limit=20")).items);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) throw err;
      receiptsBox.replaceChildren(errorBox(err));
    }
  }

  // ---- settings
  const keep = h("input", { type: "checkbox", id: "keep-financials" });
  keep.checked = settings.keep_order_financials;
  const conversationDays = h("input", { id: "conversation-days", type: "number", min: "0", max: "36500", value: settings.conversation_retention_days });
  const eventDays = h("input", { id: "event-days", type: "number", min: "0", max: "36500", value: settings.event_retention_days });
  const settingsStatus = h("div", { id: "settings-status" });
  async function saveSettings(event) {
    event.preventDefault();
    settingsStatus.replaceChildren();
    try {
      const saved = await api.patch("/v1/privacy/settings", {
        keep_order_financials: keep.checked,
        conversation_retention_days: conversationDays.value === "" ? null : Number(conversationDays.value),
        event_retention_days: eventDays.value === "" ? null : Number(eventDays.value),
      });
      keep.checked = saved.keep_order_financials;
      conversationDays.value = saved.conversation_retention_days;
      eventDays.value = saved.event_retention_days;
      settingsStatus.replaceChildren(h("div", { class: "notice" }, "Saved. The nightly purge uses the new windows from its next run."));
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) throw err;
      settingsStatus.replaceChildren(errorBox(err));
    }
  }

  root.replaceChildren(
    ...header("Privacy requests", "Answer platforms' privacy requests, export or erase a customer, and set how long data is kept. Every action leaves a receipt."),
    h("div", { class: "panel" },
      h("div", { class: "panel-head" }, h("h2", {}, "Requests from platforms"), requestTabs),
      requestStatus,
      requestsBox,
    ),
    h("div", { class: "grid two spaced" },
      h("div", { class: "panel" },
        h("h2", {}, "A customer's data"),
        h("form", { onsubmit: (event) => { event.preventDefault(); find(); } },
          h("label", { for: "customer-ref" }, "E-mail address or customer id"),
          h("div", { class: "row" }, h("div", {}, lookup), h("div", { class: "shrink" }, h("button", { type: "submit", id: "find-customer" }, "Find"))),
        ),
        customerStatus,
        customerBox,
      ),
      h("form", { class: "panel", id: "privacy-settings", onsubmit: saveSettings },
        h("h2", {}, "What the store keeps"),
        h("label", { class: "check" }, keep, " On erasure, keep orders' amounts, dates and SKUs (anonymised) for the accounts"),
        h("div", { class: "row" },
          h("div", {}, h("label", { for: "conversation-days" }, "Delete idle conversations after (days; 0 = keep)"), conversationDays),
          h("div", {}, h("label", { for: "event-days" }, "Delete browsing events after (days; 0 = keep)"), eventDays),
        ),
        h("div", { style: "margin-top:14px" }, h("button", { type: "submit", id: "save-settings" }, "Save settings")),
        settingsStatus,
      ),
    ),
    h("div", { class: "panel" }, h("h2", {}, "Recent receipts"), receiptsBox),
  );
  drawReceiptsList(receipts.items);
  await drawRequests();
}
