// Widgets the insight and support pages share: date ranges, KPI cards, tabs, charts, states.
import { ApiError, chart, h, session } from "./lib.js";

// What each role may do, mirroring the server (owner/admin → admin, agent → write, analyst → read).
const ROLE_SCOPES = { owner: 3, admin: 3, agent: 2, analyst: 1 };
const SCOPE_RANK = { admin: 3, write: 2, read: 1 };

/** Whether the signed-in person holds `scope` (the server refuses anyway; this hides buttons). */
export function can(scope) {
  return (ROLE_SCOPES[session.user?.role] || 0) >= SCOPE_RANK[scope];
}

export const PALETTE = ["#2f6ea5", "#e0803a", "#3c9d6b", "#b3475a", "#7a5fb0", "#c2a23a", "#3a9db0", "#8a8f98"];

export function num(value, digits = 0) {
  if (value === null || value === undefined) return "–";
  return Number(value).toLocaleString(undefined, { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export function day(iso) {
  if (!iso) return "";
  const [y, m, d] = iso.split("-").map(Number);
  return new Date(y, m - 1, d).toLocaleDateString(undefined, { day: "numeric", month: "short", year: "numeric" });
}

export function shortDay(iso) {
  const [y, m, d] = iso.split("-").map(Number);
  return new Date(y, m - 1, d).toLocaleDateString(undefined, { day: "numeric", month: "short" });
}

/** A hash link to a console page with query parameters (empty values left out). */
export function pageLink(path, params = {}) {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== null && v !== undefined && v !== ""));
  const text = query.toString();
  return `#/${path}${text ? `?${text}` : ""}`;
}

/** The date two ISO dates apart by `days` (store dates carry no time, so no timezone maths). */
export function addDays(iso, days) {
  const [y, m, d] = iso.split("-").map(Number);
  const date = new Date(Date.UTC(y, m - 1, d + days));
  return date.toISOString().slice(0, 10);
}

/**
 * A "from – to" toolbar in the store's dates with presets; `today` is the store's today (the
 * end of a report's default period). Calls onApply({from, to}).
 */
export function rangeBar({ from, to, today, timezone }, onApply, extra = []) {
  const start = h("input", { type: "date", id: "range-from", value: from || "", max: today || null });
  const end = h("input", { type: "date", id: "range-to", value: to || "", max: today || null });
  const presets = [7, 30, 90, 365].map((days) =>
    h("button", {
      type: "button",
      class: "secondary small",
      "data-days": days,
      onclick: () => onApply({ from: addDays(today, 1 - days), to: today }),
    }, days === 365 ? "12 months" : `${days} days`),
  );
  return h("form", {
    class: "toolbar range",
    onsubmit: (event) => {
      event.preventDefault();
      onApply({ from: start.value, to: end.value });
    },
  },
    h("label", { class: "inline", for: "range-from" }, "From"), start,
    h("label", { class: "inline", for: "range-to" }, "to"), end,
    h("button", { type: "submit", class: "small" }, "Apply"),
    h("span", { class: "presets" }, presets),
    ...extra,
    h("span", { class: "spacer" }),
    timezone ? h("span", { class: "muted small-text" }, `Store time: ${timezone}`) : null,
  );
}

/** A KPI card; with `href` the whole card links to the page behind the number. */
export function kpi({ label, value, hint, href, tone, id }) {
  const body = [
    h("div", { class: "label" }, label),
    h("div", { class: `value ${tone || ""}`, "data-kpi": id || null }, value),
    hint ? h("div", { class: "hint" }, hint) : null,
  ];
  return href ? h("a", { class: "kpi link-card", href, id: id ? `kpi-${id}` : null }, body) : h("div", { class: "kpi", id: id ? `kpi-${id}` : null }, body);
}

export function tabs(items, active, onSelect) {
  return h("div", { class: "tabs", role: "tablist" },
    items.map((item) =>
      h("button", {
        type: "button",
        role: "tab",
        class: item.key === active ? "tab active" : "tab",
        "aria-selected": item.key === active ? "true" : "false",
        "data-tab": item.key,
        onclick: () => onSelect(item.key),
      }, item.label, item.count !== undefined ? h("span", { class: "count" }, item.count) : null),
    ),
  );
}

/** A panel with a title and a chart canvas; returns {panel, canvas}. */
export function chartPanel(title, { id, height = 260, note } = {}) {
  const canvas = h("canvas", { id: id || null, role: "img", "aria-label": title });
  const panel = h("div", { class: "panel" },
    h("h2", {}, title),
    note ? h("p", { class: "muted small-text" }, note) : null,
    h("div", { class: "chart-box", style: `height:${height}px` }, canvas),
  );
  return { panel, canvas };
}

/** Draw a chart, or say there is nothing to draw. */
export function drawChart(canvas, config, { empty = "No data in this period." } = {}) {
  const hasData = (config.data.datasets || []).some((d) => (d.data || []).some((v) => (typeof v === "object" && v !== null ? v.y : v)));
  const box = canvas.parentElement;
  if (!hasData) {
    box.replaceChildren(h("div", { class: "empty chart-empty" }, empty));
    return null;
  }
  return chart(canvas, config);
}

export function loading(text = "Loading…") {
  return h("div", { class: "loading", role: "status" }, h("span", { class: "spinner" }), text);
}

/** An error as a visible panel with the API's code, and a retry button when given one. */
export function failure(err, retry) {
  const text = err instanceof ApiError ? `${err.detail} (${err.code})` : String(err?.message || err);
  return h("div", { class: "panel error-panel", role: "alert" },
    h("strong", {}, err instanceof ApiError && err.status === 403 ? "Not allowed" : "Something went wrong"),
    h("div", {}, text),
    retry ? h("button", { class: "secondary small", onclick: retry }, "Try again") : null,
  );
}

/** Run `load` into `box`: a loading state first, then its content, or a visible error. */
export async function fill(box, load) {
  box.replaceChildren(loading());
  try {
    const content = await load();
    box.replaceChildren(...[content].flat().filter(Boolean));
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) throw err;
    box.replaceChildren(failure(err, () => fill(box, load)));
  }
}

export function csvLink(path, label = "Download CSV") {
  return h("a", { class: "button secondary small", href: path, download: "" }, label);
}

export function statusPill(status) {
  const kinds = {
    out_of_stock: "bad", low_stock: "warn", ok: "ok",
    waiting: "bad", active: "warn", closed: "",
    open: "ok", waiting_for_human: "bad", with_human: "warn",
    proposed: "warn", executed: "ok", failed: "bad", declined: "", expired: "", confirmed: "ok",
  };
  return h("span", { class: `pill ${kinds[status] ?? ""}` }, String(status).replaceAll("_", " "));
}

export const REASON_LABELS = {
  out_of_stock: "Out of stock",
  not_carried: "Not carried",
  over_budget: "Over budget",
  size_unavailable: "Size unavailable",
  colour_unavailable: "Colour unavailable",
  option_unavailable: "Option unavailable",
  poor_results: "Poor results",
  requested: "Asked for a person",
  repeated_failure: "Assistant could not help",
  upset: "Shopper upset",
  out_of_scope: "Out of scope",
};

export function label(key) {
  return REASON_LABELS[key] || String(key).replaceAll("_", " ");
}

/**
 * The staff live stream (`GET /v1/handoffs/events`): new handoffs, shoppers' messages, staff
 * replies. One EventSource for the whole console; pages subscribe with `on(fn)`.
 */
export const staffStream = {
  source: null,
  listeners: new Set(),
  start() {
    if (this.source) return;
    this.source = new EventSource("/v1/handoffs/events");
    for (const type of ["handoff", "shopper_message", "staff_message"]) {
      this.source.addEventListener(type, (event) => {
        let data = {};
        try {
          data = JSON.parse(event.data);
        } catch {
          return;
        }
        for (const listener of this.listeners) listener(type, data);
        if (type === "handoff") badges.refresh();
      });
    }
  },
  stop() {
    this.source?.close();
    this.source = null;
  },
  /** Call fn(type, data) for every event until the returned function is called. */
  on(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  },
};

/** Navigation badges: the number of handoffs waiting for someone. */
export const badges = {
  waiting: 0,
  elements: [],
  element(name) {
    const el = h("span", { class: "badge", id: `badge-${name}`, hidden: this.waiting ? null : true, title: "Waiting for someone" }, this.waiting || "");
    this.elements.push(el);
    return el;
  },
  set(waiting) {
    this.waiting = waiting;
    this.elements = this.elements.filter((el) => el.isConnected);
    for (const el of this.elements) {
      el.textContent = waiting ? String(waiting) : "";
      el.hidden = !waiting;
    }
  },
  async refresh() {
    try {
      const response = await fetch("/v1/console/badges", { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (response.ok) this.set((await response.json()).waiting);
    } catch {
      // the badge is a convenience; the inbox itself shows errors
    }
  },
};

/** How a staff author (`staff:<id>`, `api_key:<id>`) reads in the console. */
export function staffName(author) {
  if (!author) return "Staff";
  const [kind, id] = String(author).split(":");
  if (kind === "staff") return String(session.user?.id) === id ? "You" : `Team member #${id}`;
  if (kind === "api_key") return `API key #${id}`;
  return author;
}
