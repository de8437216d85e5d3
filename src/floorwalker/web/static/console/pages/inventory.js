// Inventory & alerts: live stock per variant and location, out-of-stock and low-stock alerts,
// days of cover and reorder suggestions, and the rules that decide them (per store or category).
import { api, ApiError, errorBox, h, header, table } from "../lib.js";
import {
  PALETTE, can, chartPanel, csvLink, drawChart, failure, kpi, loading, num, pageLink, statusPill, tabs,
} from "../widgets.js";

const VIEWS = [
  { key: "alerts", label: "Alerts", path: "/v1/insights/alerts" },
  { key: "out_of_stock", label: "Out of stock", path: "/v1/insights/stock?status=out_of_stock" },
  { key: "low_stock", label: "Low on stock", path: "/v1/insights/stock?status=low_stock" },
  { key: "reorder", label: "To reorder", path: "/v1/insights/reorder" },
  { key: "all", label: "All stock", path: "/v1/insights/stock" },
];
const PAGE = 100;

export async function render(root, { query }) {
  const view = VIEWS.find((v) => v.key === (query.get("status") || "alerts")) || VIEWS[0];
  const category = query.get("category") || "";
  root.replaceChildren(...header("Inventory & alerts", "Stock available to sell at every location, judged by your stock rules and the demand forecast."), loading());
  let summary, categories, rules;
  try {
    [summary, categories, rules] = await Promise.all([
      api.get("/v1/console/stock-summary"),
      allCategories(),
      api.get("/v1/insights/stock-rules"),
    ]);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) throw err;
    root.replaceChildren(...header("Inventory & alerts"), failure(err, () => render(root, { query })));
    return;
  }
  const names = new Map(categories.map((c) => [c.id, c.path || c.name]));
  const link = (key) => pageLink("inventory", { status: key, category });
  const kpis = h("div", { class: "grid kpis" },
    kpi({ id: "out", label: "Out of stock", value: num(summary.out_of_stock), tone: summary.out_of_stock ? "bad" : "", href: link("out_of_stock") }),
    kpi({ id: "low", label: "Low on stock", value: num(summary.low_stock), tone: summary.low_stock ? "warn" : "", href: link("low_stock") }),
    kpi({ id: "reorder", label: "To reorder", value: num(summary.reorder), hint: "At or below the reorder point", href: link("reorder") }),
    kpi({ id: "variants", label: "Active variants", value: num(summary.variants), href: link("all") }),
  );
  const categorySelect = h("select", { id: "inv-category", onchange: () => { location.hash = pageLink("inventory", { status: view.key, category: categorySelect.value }); } },
    h("option", { value: "" }, "All categories"),
    categories.map((c) => h("option", { value: String(c.id) }, names.get(c.id))),
  );
  categorySelect.value = category;
  const separator = view.path.includes("?") ? "&" : "?";
  const listPath = `${view.path}${category ? `${separator}category_id=${category}` : ""}`;
  const listBox = h("div", { class: "panel flush scroll-table", id: "stock-table" }, loading());
  const more = h("div", { class: "load-more" });
  const locChart = chartPanel("Available per location", { id: "chart-stock", height: 240, note: "Units available to sell at each location, for the 20 variants listed below with the most stock." });

  root.replaceChildren(
    ...header("Inventory & alerts", "Stock available to sell at every location, judged by your stock rules and the demand forecast."),
    kpis,
    h("div", { class: "toolbar", style: "margin-top:18px" },
      tabs(VIEWS, view.key, (key) => { location.hash = pageLink("inventory", { status: key, category }); }),
      h("span", { class: "spacer" }),
      categorySelect,
      csvLink(`${listPath}${listPath.includes("?") ? "&" : "?"}format=csv`),
    ),
    locChart.panel,
    listBox,
    more,
    rulesPanel(rules, categories, names, () => render(root, { query })),
  );

  const rows = [];
  let drawn = null;
  async function load(cursor) {
    const page = await api.get(`${listPath}${listPath.includes("?") ? "&" : "?"}limit=${PAGE}${cursor ? `&cursor=${cursor}` : ""}`);
    rows.push(...page.items);
    listBox.replaceChildren(stockTable(rows, names, view));
    more.replaceChildren(page.next_cursor ? h("button", { class: "secondary", onclick: () => attempt(more, () => load(page.next_cursor)) }, "Show more") : "");
    drawn?.destroy();
    drawn = drawLocations(locChart.canvas, [...rows].sort((a, b) => b.available - a.available).slice(0, 20));
  }
  await attempt(listBox, () => load(null));
}

async function attempt(box, work) {
  try {
    await work();
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) throw err;
    box.replaceChildren(failure(err, () => attempt(box, work)));
  }
}

async function allCategories() {
  let items = [];
  let cursor = null;
  do {
    const page = await api.get(`/v1/categories?limit=500${cursor ? `&cursor=${cursor}` : ""}`);
    items = items.concat(page.items);
    cursor = page.next_cursor;
  } while (cursor && items.length < 5000);
  return items.sort((a, b) => (a.path || a.name).localeCompare(b.path || b.name));
}

function stockTable(rows, names, view) {
  return table(
    [
      { label: "Variant", render: (i) => h("span", {}, i.title,
        h("span", { class: "muted small-text block" }, h("span", { class: "mono" }, i.sku || "no SKU"), ` · ${i.variant_title}`),
        names.get(i.category_id) ? h("span", { class: "muted small-text block" }, names.get(i.category_id)) : null) },
      { label: "By location", render: (i) => i.locations.map((l) => h("span", { class: `loc ${l.available ? "" : "zero"}`, title: `${l.on_hand} on hand, ${l.reserved} reserved` }, `${l.location_code} ${num(l.available)}`)) },
      { label: "Available", num: true, render: (i) => num(i.available) },
      { label: "Status", render: (i) => statusPill(i.status) },
      { label: "Rule", render: (i) => h("span", { class: "small-text" }, ruleText(i.rule)) },
      { label: "Demand / day", num: true, render: (i) => (i.forecast_method ? num(i.daily_demand, 2) : h("span", { class: "muted" }, "–")) },
      { label: "Days of cover", num: true, render: (i) => (i.forecast_method ? (i.days_of_cover === null ? "> 1 year" : num(i.days_of_cover, 1)) : "–") },
      { label: "Reorder point", num: true, render: (i) => (i.forecast_method ? num(i.reorder_point, 1) : "–") },
      { label: "Order", num: true, render: (i) => (i.suggested_quantity ? h("strong", {}, num(i.suggested_quantity)) : "–") },
    ],
    rows,
    {
      onRowClick: (i) => { location.hash = `#/forecasts/${i.variant_id}`; },
      empty: {
        alerts: "No alerts: everything is in stock above its threshold.",
        out_of_stock: "Nothing is out of stock.",
        low_stock: "Nothing is low on stock.",
        reorder: "Nothing needs reordering yet (reorder suggestions need a demand forecast).",
        all: "No active variants with stock yet.",
      }[view.key],
    },
  );
}

function ruleText(rule) {
  const where = rule.id === null ? "default" : rule.category_id ? "category" : "store";
  return rule.mode === "fixed"
    ? `≤ ${rule.low_stock_threshold} units (${where})`
    : `cover < ${rule.lead_time_days} days (${where})`;
}

function drawLocations(canvas, rows) {
  const codes = [...new Set(rows.flatMap((i) => i.locations.map((l) => l.location_code)))];
  return drawChart(canvas, {
    type: "bar",
    data: {
      labels: rows.map((i) => i.sku || `${i.title} ${i.variant_title}`),
      datasets: codes.map((code, n) => ({
        label: code,
        data: rows.map((i) => i.locations.find((l) => l.location_code === code)?.available ?? 0),
        backgroundColor: PALETTE[n % PALETTE.length],
      })),
    },
    options: {
      scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
      plugins: { legend: { position: "bottom" } },
    },
  }, { empty: rows.length ? "None of these variants has stock anywhere." : "Nothing to chart." });
}

// ---------------------------------------------------------------- stock rules

function rulesPanel(rules, categories, names, reload) {
  const admin = can("admin");
  const status = h("div", { id: "rule-status" });
  const list = rules.length
    ? table(
      [
        { label: "Applies to", render: (r) => (r.category_id ? names.get(r.category_id) || `Category #${r.category_id}` : "The whole store") },
        { label: "Alert when", render: (r) => (r.mode === "fixed" ? `${r.low_stock_threshold} units or fewer` : `cover below the ${r.lead_time_days}-day lead time`) },
        { label: "Lead time", num: true, render: (r) => `${r.lead_time_days} d` },
        { label: "Review", num: true, render: (r) => `${r.review_period_days} d` },
        { label: "Service level", num: true, render: (r) => `${(r.service_level * 100).toFixed(1)}%` },
        admin ? { label: "", render: (r) => h("button", { class: "secondary small", "data-delete-rule": r.id, onclick: () => remove(r) }, "Delete") } : null,
      ].filter(Boolean),
      rules,
    )
    : h("p", { class: "muted" }, "No rules yet: every variant uses the built-in default — an alert at 5 units or fewer, 14 days lead time, 7 days review, 95% service level.");

  async function remove(rule) {
    if (!confirm("Delete this rule? Its variants fall back to the next rule up.")) return;
    try {
      await api.del(`/v1/insights/stock-rules/${rule.id}`);
      reload();
    } catch (err) {
      status.replaceChildren(errorBox(err));
    }
  }

  const form = admin ? ruleForm(categories, names, rules, status, reload) : null;
  return h("div", { class: "panel", id: "stock-rules" },
    h("h2", {}, "Stock rules"),
    h("p", { class: "muted small-text" }, "A variant follows the rule of its category, or of the nearest category above it, or the store's rule. Fixed rules alert at a number of units; cover rules alert when the forecast says stock will not last the supplier's lead time."),
    list,
    form,
    status,
  );
}

function ruleForm(categories, names, rules, status, reload) {
  const field = (id, text, input) => h("div", {}, h("label", { for: id }, text), input);
  const target = h("select", { id: "rule-category" }, h("option", { value: "" }, "The whole store"), categories.map((c) => h("option", { value: String(c.id) }, names.get(c.id))));
  const mode = h("select", { id: "rule-mode" }, h("option", { value: "fixed" }, "Fixed threshold"), h("option", { value: "cover" }, "Days of cover"));
  const threshold = h("input", { id: "rule-threshold", type: "number", min: "0", value: "5" });
  const lead = h("input", { id: "rule-lead", type: "number", min: "0", max: "365", value: "14" });
  const review = h("input", { id: "rule-review", type: "number", min: "0", max: "365", value: "7" });
  const service = h("input", { id: "rule-service", type: "number", min: "50", max: "99.9", step: "0.1", value: "95" });
  async function save(event) {
    event.preventDefault();
    status.replaceChildren();
    const values = {
      mode: mode.value,
      low_stock_threshold: Number(threshold.value),
      lead_time_days: Number(lead.value),
      review_period_days: Number(review.value),
      service_level: Number(service.value) / 100,
    };
    const categoryId = target.value ? Number(target.value) : null;
    const existing = rules.find((r) => (r.category_id ?? null) === categoryId);
    try {
      if (existing) await api.patch(`/v1/insights/stock-rules/${existing.id}`, values);
      else await api.post("/v1/insights/stock-rules", { ...values, category_id: categoryId });
      reload();
    } catch (err) {
      status.replaceChildren(errorBox(err));
    }
  }
  return h("form", { class: "rule-form", onsubmit: save },
    h("h3", {}, "Set a rule"),
    h("div", { class: "row" },
      field("rule-category", "For", target),
      field("rule-mode", "Alert by", mode),
      field("rule-threshold", "Threshold (units)", threshold),
      field("rule-lead", "Lead time (days)", lead),
      field("rule-review", "Review period (days)", review),
      field("rule-service", "Service level (%)", service),
      h("div", { class: "shrink" }, h("button", { type: "submit", id: "save-rule" }, "Save rule")),
    ),
    h("p", { class: "muted small-text" }, "Saving for a store or category that already has a rule changes that rule."),
  );
}
