// Lost demand: what shoppers asked for and could not buy — out of stock, not carried, over
// budget, size or colour unavailable — by reason, product, category or attribute, with example
// phrases, the stock available now and the forecast demand.
import { api, ApiError, errorBox, h, header, table, when } from "../lib.js";
import {
  PALETTE, REASON_LABELS, can, chartPanel, csvLink, day, drawChart, failure, kpi, label, loading, num, pageLink, rangeBar, tabs,
} from "../widgets.js";

const GROUPS = [
  { key: "product", label: "By product" },
  { key: "category", label: "By category" },
  { key: "attribute", label: "By size, colour…" },
  { key: "reason", label: "By reason" },
  { key: "phrase", label: "By phrase" },
];
const REASONS = Object.keys(REASON_LABELS).slice(0, 7);

let storeToday = null;
let drawn = null;

export async function render(root, { query }) {
  const group = GROUPS.find((g) => g.key === query.get("by"))?.key || "product";
  const range = { from: query.get("from") || "", to: query.get("to") || "" };
  const intro = header("Lost demand", "What shoppers asked for in searches and conversations and could not buy — with the stock you have now and the demand forecast.");
  root.replaceChildren(...intro, loading());
  const params = new URLSearchParams({ group_by: group, limit: "200" });
  if (range.from) params.set("from", range.from);
  if (range.to) params.set("to", range.to);
  let report, byReason;
  try {
    [report, byReason] = await Promise.all([
      api.get(`/v1/insights/lost-demand?${params}`),
      group === "reason" ? null : api.get(`/v1/insights/lost-demand?${new URLSearchParams({ ...Object.fromEntries(params), group_by: "reason" })}`),
    ]);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) throw err;
    root.replaceChildren(...intro, failure(err, () => render(root, { query })));
    return;
  }
  byReason = byReason || report;
  if (!range.to) storeToday = report.period.end;
  const span = { from: report.period.start, to: report.period.end };
  const go = (next) => { location.hash = pageLink("lost-demand", { ...span, by: group, ...next }); };
  const counts = Object.fromEntries(byReason.rows.map((r) => [r.key, r.signals]));
  const chartBox = chartPanel(`Top ${GROUPS.find((g) => g.key === group).label.replace("By ", "")}`, { id: "chart-lost-demand", height: 320, note: "Signals per group, by why the shopper could not buy." });
  const status = h("div");
  const refresh = can("write")
    ? h("button", {
      class: "secondary small",
      id: "refresh-lost-demand",
      onclick: async () => {
        refresh.disabled = true;
        try {
          await api.post("/v1/insights/lost-demand/refresh");
          render(root, { query });
        } catch (err) {
          refresh.disabled = false;
          status.replaceChildren(errorBox(err));
        }
      },
    }, "Read new searches and conversations")
    : null;

  root.replaceChildren(
    ...intro,
    rangeBar({ from: report.period.start, to: report.period.end, today: storeToday || report.period.end, timezone: report.period.timezone }, (next) => go(next), [refresh]),
    status,
    h("div", { class: "grid kpis" },
      kpi({ id: "total", label: "Unmet requests", value: num(report.total_signals), hint: `${day(report.period.start)} – ${day(report.period.end)}` }),
      ...["out_of_stock", "not_carried", "over_budget"].map((reason) => kpi({
        id: reason, label: label(reason), value: num(counts[reason] || 0), href: pageLink("lost-demand", { ...span, by: "reason" }),
      })),
      kpi({ id: "unavailable", label: "Size, colour or option", value: num((counts.size_unavailable || 0) + (counts.colour_unavailable || 0) + (counts.option_unavailable || 0)), href: pageLink("lost-demand", { ...span, by: "attribute" }) }),
    ),
    h("div", { class: "toolbar", style: "margin-top:18px" },
      tabs(GROUPS, group, (key) => go({ by: key })),
      h("span", { class: "spacer" }),
      csvLink(`/v1/insights/lost-demand?${params}&format=csv`),
    ),
    chartBox.panel,
    h("div", { class: "panel flush", id: "lost-demand-table" }, rowsTable(report, group)),
  );
  drawn?.destroy();
  const top = report.rows.slice(0, 12);
  drawn = drawChart(chartBox.canvas, {
    type: "bar",
    data: {
      labels: top.map((r) => truncate(r.label, 40)),
      datasets: REASONS.map((reason, n) => ({
        label: label(reason),
        data: top.map((r) => r.reasons[reason] || 0),
        backgroundColor: PALETTE[n % PALETTE.length],
        maxBarThickness: 36, // one or two groups would otherwise fill the chart with a slab
      })).filter((d) => d.data.some(Boolean)),
    },
    options: {
      indexAxis: "y",
      scales: { x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }, y: { stacked: true } },
      plugins: { legend: { position: "bottom" } },
    },
  }, { empty: "Nobody asked for something they could not buy in this period." });
}

function rowsTable(report, group) {
  const stocked = ["product", "category", "attribute"].includes(group);
  return table(
    [
      { label: { product: "Product", category: "Category", attribute: "Option", reason: "Reason", phrase: "Phrase" }[group], render: (r) => nameCell(r, group) },
      { label: "Requests", num: true, render: (r) => h("strong", {}, num(r.signals)) },
      group === "reason" ? null : { label: "Why", render: (r) => Object.entries(r.reasons).map(([k, v]) => h("span", { class: "pill" }, `${label(k)} ${v}`)) },
      { label: "What shoppers said", render: (r) => h("div", { class: "examples" }, r.examples.map((e) => h("q", {}, e))) },
      stocked ? { label: "Available now", num: true, render: (r) => (r.available === null ? "–" : h("span", { class: r.available ? "" : "bad-text" }, num(r.available))) } : null,
      stocked ? { label: "Forecast / week", num: true, render: (r) => (r.forecast_weekly === null ? "–" : num(r.forecast_weekly, 1)) } : null,
      { label: "Last asked", render: (r) => h("span", { class: "nowrap small-text" }, when(r.last_seen)) },
    ].filter(Boolean),
    report.rows,
    { empty: "Nobody asked for something they could not buy in this period." },
  );
}

function nameCell(r, group) {
  const text = group === "reason" ? label(r.key) : r.label;
  if (group === "product" && r.product_id) {
    return h("span", {}, text, h("a", { class: "small-text block", href: pageLink("forecasts", { product: r.product_id }) }, "Stock & forecast →"));
  }
  if (group === "category" && r.category_id) {
    return h("span", {}, text, h("a", { class: "small-text block", href: pageLink("inventory", { status: "all", category: r.category_id }) }, "Stock →"));
  }
  return text;
}

function truncate(text, n) {
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}
