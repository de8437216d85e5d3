// Conversations: every conversation of the store, filtered, newest first; and a transcript
// with the assistant's tool activity, its proposals, ratings, handoffs and who the shopper is.
import { api, ApiError, h, header, pill, table, when } from "../lib.js";
import { can, failure, label, loading, num, pageLink, staffName, statusPill } from "../widgets.js";

const FILTERS = ["from", "to", "status", "topic", "handoff", "rating", "q", "customer_id"];
const STATUSES = [
  ["", "Any status"], ["open", "Open"], ["waiting_for_human", "Waiting for staff"],
  ["with_human", "With staff"], ["closed", "Closed"],
];

export async function render(root, { params, query }) {
  if (params[0]) return renderTranscript(root, params[0], query);
  const filters = Object.fromEntries(FILTERS.map((k) => [k, query.get(k) || ""]));
  const topics = await api.get("/v1/console/topics");
  const field = (id, text, input) => h("div", { class: "field" }, h("label", { for: id }, text), input);
  const inputs = {
    from: h("input", { type: "date", id: "f-from", value: filters.from }),
    to: h("input", { type: "date", id: "f-to", value: filters.to }),
    status: h("select", { id: "f-status" }, STATUSES.map(([v, t]) => h("option", { value: v }, t))),
    topic: h("select", { id: "f-topic" }, h("option", { value: "" }, "Any topic"), topics.map((t) => h("option", { value: t.key }, t.label))),
    handoff: h("select", { id: "f-handoff" }, h("option", { value: "" }, "With or without"), h("option", { value: "yes" }, "Handed to staff"), h("option", { value: "no" }, "Assistant only")),
    rating: h("select", { id: "f-rating" }, h("option", { value: "" }, "Any rating"), h("option", { value: "up" }, "Rated helpful"), h("option", { value: "down" }, "Rated not helpful"), h("option", { value: "none" }, "Not rated")),
    q: h("input", { type: "search", id: "f-q", placeholder: "Words in the conversation", value: filters.q }),
  };
  for (const key of ["status", "topic", "handoff", "rating"]) inputs[key].value = filters[key];
  const apply = (event) => {
    event?.preventDefault();
    const next = Object.fromEntries(Object.entries(inputs).map(([k, el]) => [k, el.value.trim()]));
    if (filters.customer_id) next.customer_id = filters.customer_id;
    location.hash = pageLink("conversations", next);
  };
  const form = h("form", { class: "panel filters", onsubmit: apply },
    h("div", { class: "filter-grid" },
      field("f-from", "Started from", inputs.from),
      field("f-to", "to", inputs.to),
      field("f-status", "Status", inputs.status),
      field("f-topic", "Topic", inputs.topic),
      field("f-handoff", "Handoff", inputs.handoff),
      field("f-rating", "Rating", inputs.rating),
      h("div", { class: "field wide" }, h("label", { for: "f-q" }, "Search"), inputs.q),
    ),
    h("div", { class: "toolbar", style: "margin:12px 0 0" },
      h("button", { type: "submit" }, "Apply filters"),
      h("a", { class: "button secondary", href: "#/conversations" }, "Clear"),
      filters.customer_id ? pill(`Customer #${filters.customer_id}`) : null,
    ),
  );
  const summary = h("p", { class: "muted", id: "conversation-count" });
  const list = h("div", { class: "panel flush" });
  const more = h("div", { class: "load-more" });
  root.replaceChildren(...header("Conversations", "Every conversation with the assistant, newest first. Open one to read it as the shopper and the assistant had it."), form, summary, list, more);

  const rows = [];
  const columns = [
    { label: "Started", render: (c) => h("span", { class: "nowrap" }, when(c.created_at)) },
    { label: "Shopper", render: shopperCell },
    { label: "First message", render: (c) => h("span", { class: "preview" }, c.preview || h("span", { class: "muted" }, "(no message)")) },
    { label: "Topics", render: (c) => h("div", { class: "pills" }, c.topics.map((t) => pill(t.label))) },
    { label: "Status", render: (c) => statusPill(c.status) },
    { label: "Handoff", render: (c) => (c.handoff_status ? [statusPill(c.handoff_status), " ", h("span", { class: "muted small-text" }, label(c.handoff_reason))] : "") },
    { label: "Rating", render: ratingCell },
    { label: "Turns", num: true, render: (c) => num(c.turns) },
  ];
  async function load(cursor) {
    const params = new URLSearchParams(Object.entries(filters).filter(([, v]) => v));
    params.set("limit", "50");
    if (cursor) params.set("cursor", cursor);
    const page = await api.get(`/v1/console/conversations?${params}`);
    rows.push(...page.items);
    summary.textContent = `${num(page.total)} conversation${page.total === 1 ? "" : "s"}${Object.values(filters).some(Boolean) ? " match these filters" : ""}.`;
    list.replaceChildren(table(columns, rows, {
      onRowClick: (c) => { location.hash = `#/conversations/${c.id}`; },
      empty: Object.values(filters).some(Boolean) ? "No conversation matches these filters." : "No conversations yet. They appear here as soon as shoppers talk to the assistant.",
    }));
    more.replaceChildren(page.next_cursor ? h("button", { class: "secondary", id: "show-more", onclick: () => attempt(more, () => load(page.next_cursor)) }, "Show more") : "");
  }
  list.replaceChildren(loading());
  await attempt(list, () => load(null));
}

async function attempt(box, work) {
  try {
    await work();
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) throw err;
    box.replaceChildren(failure(err, () => attempt(box, work)));
  }
}

function shopperCell(c) {
  if (!c.shopper) return h("span", { class: "muted" }, "Anonymous");
  return h("span", {}, c.shopper.name || c.shopper.email || `Customer #${c.shopper.customer_id}`,
    c.shopper.name && c.shopper.email ? h("span", { class: "muted small-text block" }, c.shopper.email) : null);
}

function ratingCell(c) {
  const parts = [];
  if (c.helpful) parts.push(h("span", { class: "rating up", title: "Rated helpful" }, `▲ ${c.helpful}`));
  if (c.not_helpful) parts.push(h("span", { class: "rating down", title: "Rated not helpful" }, `▼ ${c.not_helpful}`));
  return parts.length ? parts : h("span", { class: "muted" }, "–");
}

// ---------------------------------------------------------------- transcript

async function renderTranscript(root, id, query) {
  root.replaceChildren(loading("Loading the conversation…"));
  let data;
  try {
    data = await api.get(`/v1/console/conversations/${encodeURIComponent(id)}`);
  } catch (err) {
    root.replaceChildren(h("a", { href: "#/conversations", class: "back" }, "← Conversations"), failure(err, () => renderTranscript(root, id, query)));
    return;
  }
  const c = data.conversation;
  const shown = new Map();
  for (const p of data.proposals) {
    if (!shown.has(p.message_id)) shown.set(p.message_id, []);
    shown.get(p.message_id).push(p);
  }
  const results = new Map(data.messages.filter((m) => m.role === "tool").map((m) => [m.tool_call_id, m]));
  const entries = [];
  for (const m of data.messages) {
    if (m.role === "tool") continue; // shown with the call that asked for it
    if (m.tool_calls.length) {
      entries.push(...m.tool_calls.map((call) => toolEntry(call, results.get(call.id))));
      if (m.text) entries.push(bubble(m));
      continue;
    }
    entries.push(bubble(m));
    for (const p of shown.get(m.id) || []) entries.push(proposalCard(p));
  }
  const title = c.shopper ? (c.shopper.name || c.shopper.email) : "Anonymous shopper";
  const open = data.handoffs.find((h2) => h2.status !== "closed");
  root.replaceChildren(
    h("a", { href: "#/conversations", class: "back" }, "← Conversations"),
    h("h1", {}, `Conversation with ${title}`),
    h("p", { class: "subtitle" }, `${c.id} · started ${when(c.created_at)} · last activity ${when(c.last_activity_at)}`),
    h("div", { class: "split" },
      h("div", { class: "panel transcript-panel" },
        h("div", { class: "panel-head" },
          h("h2", {}, "Transcript"),
          h("span", { class: "muted small-text" }, "Personal data is shown as stored: redacted."),
        ),
        h("div", { class: "transcript full", id: "transcript" }, entries.length ? entries : h("div", { class: "empty" }, "Nothing was said yet.")),
      ),
      h("div", { class: "side" },
        shopperPanel(c),
        factsPanel(c, data),
        handoffPanel(data.handoffs, open),
      ),
    ),
  );
}

function bubble(m) {
  const who = { user: "Shopper", assistant: m.model && m.model !== "local" && m.model !== "rules" ? `Assistant · ${m.model}` : "Assistant", staff: `Staff · ${staffName(m.author)}`, system: "" }[m.role];
  const extra = [];
  if (m.rating) extra.push(h("span", { class: `rating ${m.rating}` }, m.rating === "up" ? "▲ Rated helpful" : "▼ Rated not helpful", m.rating_comment ? ` — “${m.rating_comment}”` : ""));
  if (m.corrections.length) extra.push(h("span", { class: "muted", title: JSON.stringify(m.corrections, null, 1) }, `${m.corrections.length} correction${m.corrections.length > 1 ? "s" : ""} by the reply check`));
  const cards = m.cards.map(cardSummary).filter(Boolean);
  return h("div", { class: `bubble ${m.role}`, "data-role": m.role, "data-message-id": m.id },
    who ? h("span", { class: "meta" }, `${who} · ${when(m.created_at)}`) : null,
    m.text,
    cards.length ? h("div", { class: "cards" }, cards) : null,
    extra.length ? h("div", { class: "bubble-foot" }, extra) : null,
  );
}

function cardSummary(card) {
  if (card.type === "product") return h("span", { class: "card-chip" }, `🛍 ${card.title} · ${card.price_display || ""}${card.in_stock === false ? " · sold out" : ""}`);
  if (card.type === "order") return h("span", { class: "card-chip" }, `📦 ${card.order_number} · ${card.status} · ${card.total_display || ""}`);
  if (card.type === "cart") return h("span", { class: "card-chip" }, `🛒 Cart · ${card.total_display || ""}`);
  return null;
}

function toolEntry(call, result) {
  const ok = result ? result.tool_ok : null;
  const args = call.arguments && typeof call.arguments === "object" ? Object.entries(call.arguments).map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`).join(", ") : String(call.arguments ?? "");
  return h("details", { class: `tool ${ok === false ? "failed" : ""}`, "data-tool": call.name },
    h("summary", {},
      h("span", { class: "tool-name" }, call.name),
      h("span", { class: "tool-args" }, args ? `(${args})` : "()"),
      " → ",
      result ? (ok ? h("span", { class: "ok-text" }, "ok") : h("span", { class: "bad-text" }, result.tool_error || "error")) : h("span", { class: "muted" }, "no result"),
    ),
    result ? h("pre", { class: "json" }, JSON.stringify(result.tool_result, null, 2)) : null,
  );
}

function proposalCard(p) {
  return h("div", { class: "proposal", "data-proposal": p.proposal_id },
    h("div", { class: "panel-head" }, h("strong", {}, `Proposal · ${p.tool.replaceAll("_", " ")}`), statusPill(p.status)),
    h("div", {}, p.summary),
    p.result && p.result.detail ? h("div", { class: "muted small-text" }, p.result.detail) : null,
    h("div", { class: "muted small-text" }, p.decided_at ? `Decided ${when(p.decided_at)}` : `Open until ${when(p.expires_at)}`),
  );
}

function shopperPanel(c) {
  const s = c.shopper;
  const rows = s
    ? [
      ["Name", s.name || "–"],
      ["E-mail", s.email || "–"],
      ["Customer", h("a", { href: pageLink("conversations", { customer_id: s.customer_id }) }, `#${s.customer_id} · all conversations`)],
      ["Their id", s.external_id || "–"],
      ["Verified by", String(s.verified_via || "").replaceAll("_", " ") || "–"],
    ]
    : [["Who", "Not verified (anonymous)"], ["Session", c.session_id || "–"]];
  return h("div", { class: "panel" }, h("h2", {}, "Shopper"), facts(rows));
}

function factsPanel(c, data) {
  return h("div", { class: "panel" },
    h("h2", {}, "Conversation"),
    facts([
      ["Status", statusPill(c.status)],
      ["Channel", c.channel],
      ["Language", c.language],
      ["Model", c.model || "–"],
      ["Turns", num(c.turns)],
      ["Tokens", `${num(data.prompt_tokens)} in · ${num(data.completion_tokens)} out`],
      ["Topics", data.topics.length ? h("div", { class: "pills" }, data.topics.map((t) => pill(t.label))) : "–"],
    ]),
  );
}

function handoffPanel(handoffs, open) {
  return h("div", { class: "panel" },
    h("div", { class: "panel-head" },
      h("h2", {}, "Handoffs"),
      open && can("write") ? h("a", { class: "button small", href: `#/handoffs/${open.id}` }, "Open in inbox") : null,
    ),
    handoffs.length
      ? handoffs.map((x) => h("div", { class: "handoff-line" },
        h("div", {}, statusPill(x.status), " ", h("strong", {}, label(x.reason))),
        h("div", { class: "muted small-text" }, `${when(x.created_at)}${x.assigned_to ? ` · ${staffName(x.assigned_to)}` : ""}${x.closed_at ? ` · closed ${when(x.closed_at)}` : ""}`),
        x.summary ? h("div", { class: "small-text pre" }, x.summary) : null,
      ))
      : h("div", { class: "muted" }, "The assistant handled it alone."),
  );
}

function facts(rows) {
  return h("dl", { class: "facts" }, rows.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
}

