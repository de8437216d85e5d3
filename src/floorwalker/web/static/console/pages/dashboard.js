// Dashboard: the morning view of a period — conversations, resolution, handoffs, satisfaction,
// topics, searches, recommendations, attributed revenue, trending products and stock alerts.
// Every figure comes from one call (`/v1/console/dashboard`) and links to the page behind it.
import { api, h, header, money, pct, table, when } from "../lib.js";
import {
  PALETTE, can, chartPanel, day, drawChart, failure, kpi, label, loading, num, pageLink, rangeBar, shortDay,
} from "../widgets.js";

let storeToday = null;

export async function render(root, { query }) {
  const range = { from: query.get("from") || "", to: query.get("to") || "" };
  const body = h("div", { id: "dashboard" }, loading("Loading the dashboard…"));
  root.replaceChildren(...header("Dashboard", "How the assistant and the shop did, and what needs attention today."), body);
  let data;
  try {
    const params = new URLSearchParams(Object.entries(range).filter(([, v]) => v));
    data = await api.get(`/v1/console/dashboard${params.size ? `?${params}` : ""}`);
  } catch (err) {
    body.replaceChildren(failure(err, () => render(root, { query })));
    return;
  }
  draw(body, data, query);
}

function apply(next) {
  location.hash = pageLink("dashboard", next);
}

function draw(body, data, query) {
  const { period, conversations: talks, topics, searches, recommendations: recs, attribution, trending, stock, handoffs } = data;
  const span = { from: period.start, to: period.end };
  // the presets count back from the store's today: the end of a period asked without `to`
  if (!query.get("to")) storeToday = period.end;
  const today = storeToday || period.end;
  const currency = attribution.currency;
  const resolution = talks.resolution;
  const satisfaction = talks.satisfaction;

  const kpis = h("div", { class: "grid kpis four" },
    kpi({
      id: "conversations", label: "Conversations", value: num(talks.conversations),
      hint: `${num(talks.answered)} answered · ${num(talks.messages_from_shoppers)} shopper messages`,
      href: pageLink("conversations", span),
    }),
    kpi({
      id: "resolution", label: "Automated resolution", value: pct(resolution.rate),
      hint: resolution.settled ? `${num(resolution.resolved_automatically)} of ${num(resolution.settled)} settled` : `${num(resolution.pending)} not settled yet`,
      href: pageLink("conversations", { ...span, handoff: "no" }),
    }),
    kpi({
      id: "handoff-rate", label: "Handoff rate", value: pct(talks.handoff_rate),
      hint: `${num(talks.handed_off)} handed to staff`,
      href: pageLink("conversations", { ...span, handoff: "yes" }),
    }),
    kpi({
      id: "satisfaction", label: "Satisfaction", value: pct(satisfaction.rate),
      hint: `${num(satisfaction.helpful)} helpful · ${num(satisfaction.not_helpful)} not`,
      href: pageLink("conversations", { ...span, rating: "down" }),
    }),
    kpi({
      id: "attributed-revenue", label: "Assistant-attributed revenue", value: money(attribution.attributed_revenue, currency),
      hint: `${num(attribution.attributed_orders)} orders · ${pct(attribution.revenue_share)} of revenue`,
    }),
    kpi({
      id: "recommendation-ctr", label: "Recommendation click-through", value: pct(recs.total.click_through_rate),
      hint: `${num(recs.total.clicks)} clicks · ${pct(recs.total.conversion_rate)} converted`,
    }),
    kpi({
      id: "waiting-handoffs", label: "Waiting for staff", value: num(handoffs.waiting),
      hint: `${num(handoffs.active)} being handled now`, tone: handoffs.waiting ? "bad" : "",
      href: can("write") ? "#/handoffs" : pageLink("conversations", { status: "waiting_for_human" }),
    }),
    kpi({
      id: "low-stock", label: "Low or out of stock", value: num(stock.low_stock + stock.out_of_stock),
      hint: `${num(stock.out_of_stock)} out · ${num(stock.reorder)} to reorder`, tone: stock.out_of_stock ? "warn" : "",
      href: pageLink("inventory", { status: "alerts" }),
    }),
  );

  const perDay = chartPanel("Conversations per day", { id: "chart-conversations", height: 240 });
  const reasons = chartPanel("Handoff reasons", { id: "chart-handoff-reasons", height: 240 });
  const topicChart = chartPanel("Top topics", { id: "chart-topics", height: 260, note: "What shoppers needed, from the tools the assistant used. Click a bar to see those conversations." });
  const satisfactionChart = chartPanel("Satisfaction", { id: "chart-satisfaction", height: 220, note: "Ratings of the assistant's replies." });
  const searchChart = chartPanel("Top searches", { id: "chart-searches", height: 260 });

  body.replaceChildren(
    rangeBar({ from: period.start, to: period.end, today }, apply),
    h("p", { class: "muted period" }, `${day(period.start)} – ${day(period.end)} · store time (${period.timezone})`),
    kpis,
    h("div", { class: "grid two" }, perDay.panel, reasons.panel),
    h("div", { class: "grid two" }, topicChart.panel, satisfactionChart.panel),
    h("div", { class: "grid two" }, searchChart.panel, zeroResults(searches)),
    h("div", { class: "grid two" }, recommendationsPanel(recs), attributionPanel(attribution)),
    h("div", { class: "grid two" }, trendingPanel(trending, currency), stockPanel(stock)),
  );

  drawChart(perDay.canvas, {
    type: "bar",
    data: {
      labels: talks.days.map((d) => shortDay(d.date)),
      datasets: [
        { label: "Conversations", data: talks.days.map((d) => d.conversations), backgroundColor: PALETTE[0], order: 2 },
        { label: "Handed off", data: talks.days.map((d) => d.handed_off), backgroundColor: PALETTE[3], order: 1 },
        { label: "Resolved automatically", data: talks.days.map((d) => d.resolved_automatically), type: "line", borderColor: PALETTE[2], backgroundColor: PALETTE[2], order: 0, tension: 0.25 },
      ],
    },
    options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }, plugins: { legend: { position: "bottom" } } },
  }, { empty: "No conversations in this period." });

  drawChart(reasons.canvas, {
    type: "doughnut",
    data: {
      labels: talks.handoff_reasons.map((r) => label(r.key)),
      datasets: [{ data: talks.handoff_reasons.map((r) => r.count), backgroundColor: PALETTE }],
    },
    options: { plugins: { legend: { position: "right" } } },
  }, { empty: "No handoffs in this period." });

  const topicRows = topics.topics.length ? topics.topics : topics.intents;
  drawChart(topicChart.canvas, {
    type: "bar",
    data: {
      labels: topicRows.map((t) => t.label),
      datasets: [{ label: "Conversations", data: topicRows.map((t) => t.conversations), backgroundColor: PALETTE[4] }],
    },
    options: {
      indexAxis: "y",
      plugins: { legend: { display: false } },
      scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
      onClick: (_event, elements) => {
        if (elements.length) location.hash = pageLink("conversations", { ...span, topic: topicRows[elements[0].index].key });
      },
    },
  }, { empty: "No topics yet: the assistant has not used any tool in this period." });

  drawChart(satisfactionChart.canvas, {
    type: "doughnut",
    data: {
      labels: ["Helpful", "Not helpful"],
      datasets: [{ data: [satisfaction.helpful, satisfaction.not_helpful], backgroundColor: [PALETTE[2], PALETTE[3]] }],
    },
    options: { plugins: { legend: { position: "right" } } },
  }, { empty: "No ratings in this period." });

  drawChart(searchChart.canvas, {
    type: "bar",
    data: {
      labels: searches.top.map((q) => q.query),
      datasets: [
        { label: "Searches", data: searches.top.map((q) => q.searches), backgroundColor: PALETTE[0] },
        { label: "Found nothing", data: searches.top.map((q) => q.zero_results), backgroundColor: PALETTE[3] },
      ],
    },
    options: { indexAxis: "y", scales: { x: { beginAtZero: true, ticks: { precision: 0 } } }, plugins: { legend: { position: "bottom" } } },
  }, { empty: "No searches in this period." });
}

function zeroResults(searches) {
  return h("div", { class: "panel", id: "zero-results" },
    h("div", { class: "panel-head" },
      h("h2", {}, "Searches that found nothing"),
      h("a", { href: "#/lost-demand", class: "small-text" }, "Lost demand →"),
    ),
    h("p", { class: "muted small-text" },
      `${num(searches.searches)} searches · ${pct(searches.zero_result_rate)} found nothing · ${pct(searches.click_through_rate)} click-through`),
    table(
      [
        { label: "Query", key: "query" },
        { label: "Searches", num: true, render: (q) => num(q.searches) },
        { label: "Last seen", render: (q) => h("span", { class: "nowrap small-text" }, when(q.last_seen)) },
      ],
      searches.zero_results,
      { empty: "Every search found something." },
    ),
  );
}

function recommendationsPanel(recs) {
  const rows = recs.surfaces.length ? [...recs.surfaces, { ...recs.total, surface: "All surfaces" }] : [];
  return h("div", { class: "panel", id: "recommendations" },
    h("h2", {}, "Recommendations"),
    h("p", { class: "muted small-text" }, `A click converts when the shopper orders the product within ${recs.window_days} days.`),
    table(
      [
        { label: "Surface", render: (s) => String(s.surface).replaceAll("_", " ") },
        { label: "Views", num: true, render: (s) => num(s.views) },
        { label: "Clicks", num: true, render: (s) => num(s.clicks) },
        { label: "CTR", num: true, render: (s) => pct(s.click_through_rate) },
        { label: "Conversion", num: true, render: (s) => pct(s.conversion_rate) },
        { label: "Revenue", num: true, render: (s) => money(s.revenue, recs.currency) },
      ],
      rows,
      { empty: "No recommendations were shown in this period." },
    ),
  );
}

function attributionPanel(attribution) {
  return h("div", { class: "panel", id: "attribution" },
    h("h2", {}, "Orders after the assistant helped"),
    h("p", { class: "muted small-text" },
      `${num(attribution.attributed_orders)} of ${num(attribution.orders)} orders (${pct(attribution.order_share)}) · `
      + `${money(attribution.attributed_revenue, attribution.currency)} of ${money(attribution.revenue, attribution.currency)} · `
      + `within ${attribution.window_hours / 24} days of a recommendation (${num(attribution.by_recommendation)}) or a cart add (${num(attribution.by_cart_add)})`),
    table(
      [
        { label: "Order", key: "number" },
        { label: "Placed", render: (o) => when(o.placed_at) },
        { label: "Via", render: (o) => String(o.via).replaceAll("_", " ") },
        { label: "Total", num: true, render: (o) => money(o.total, attribution.currency) },
      ],
      attribution.recent.slice(0, 8),
      { empty: "No order followed the assistant's help in this period." },
    ),
  );
}

function trendingPanel(trending, currency) {
  return h("div", { class: "panel", id: "trending" },
    h("h2", {}, "Trending products"),
    h("p", { class: "muted small-text" }, `Units sold against ${day(trending.previous.start)} – ${day(trending.previous.end)} (at least ${trending.min_units} units).`),
    table(
      [
        { label: "Product", render: (p) => h("a", { href: pageLink("forecasts", { product: p.product_id }) }, p.title) },
        { label: "Units", num: true, render: (p) => num(p.units) },
        { label: "Before", num: true, render: (p) => num(p.units_before) },
        { label: "Growth", num: true, render: (p) => `×${num(p.growth, 1)}` },
        { label: "Revenue", num: true, render: (p) => money(p.revenue, currency) },
      ],
      trending.products,
      { empty: "Nothing is selling faster than before." },
    ),
  );
}

function stockPanel(stock) {
  const line = (text, value, href, tone) =>
    h("a", { class: `stock-line ${tone || ""}`, href }, h("span", {}, text), h("strong", {}, num(value)));
  return h("div", { class: "panel", id: "stock" },
    h("h2", {}, "Stock now"),
    h("div", { class: "stock-lines" },
      line("Out of stock", stock.out_of_stock, pageLink("inventory", { status: "out_of_stock" }), "bad"),
      line("Low on stock", stock.low_stock, pageLink("inventory", { status: "low_stock" }), "warn"),
      line("To reorder", stock.reorder, pageLink("inventory", { status: "reorder" })),
      line("Active variants", stock.variants, "#/inventory"),
    ),
  );
}
