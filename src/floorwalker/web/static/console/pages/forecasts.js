// Forecasts: variants ranked by forecast demand; one variant's sales history, its forecast with
// the 90% prediction interval, days of cover and the reorder suggestion.
import { api, ApiError, errorBox, h, header, table, when } from "../lib.js";
import { PALETTE, can, chartPanel, drawChart, failure, kpi, loading, num, pageLink, shortDay, statusPill, tabs } from "../widgets.js";

let current = null;

export async function render(root, { params, query }) {
  current?.destroy();
  current = null;
  const variantId = params[0] ? Number(params[0]) : null;
  const filters = { q: query.get("q") || "", product: query.get("product") || "" };
  const frequency = query.get("frequency") === "day" ? "day" : "week";
  const search = h("input", { type: "search", id: "fc-search", placeholder: "SKU or product", value: filters.q });
  const listBox = h("div", { class: "panel flush fc-list", id: "forecast-list" }, loading());
  const detailBox = h("div", { id: "forecast-detail" });
  const runBox = h("div", { class: "run-info", id: "run-info" });
  root.replaceChildren(
    ...header("Forecasts", "Demand per variant for the next eight weeks, with the range it will most likely fall in, and what to reorder."),
    runBox,
    h("div", { class: "split wide-right" },
      h("div", {},
        h("form", {
          class: "toolbar",
          onsubmit: (event) => {
            event.preventDefault();
            location.hash = pageLink(variantId ? `forecasts/${variantId}` : "forecasts", { q: search.value.trim(), product: filters.product, frequency: frequency === "day" ? "day" : "" });
          },
        }, search, h("button", { type: "submit", class: "secondary" }, "Find"),
        filters.product ? h("a", { class: "small-text", href: "#/forecasts" }, `Product #${filters.product} ✕`) : null),
        listBox,
      ),
      detailBox,
    ),
  );

  const listParams = new URLSearchParams({ limit: "100" });
  if (filters.q) listParams.set("q", filters.q);
  if (filters.product) listParams.set("product_id", filters.product);
  let ranked;
  try {
    ranked = await api.get(`/v1/console/forecasts?${listParams}`);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) throw err;
    listBox.replaceChildren(failure(err, () => render(root, { params, query })));
    return;
  }
  runBox.replaceChildren(runInfo(ranked.run, () => render(root, { params, query })));
  const linkFor = (id) => pageLink(`forecasts/${id}`, { q: filters.q, product: filters.product, frequency: frequency === "day" ? "day" : "" });
  listBox.replaceChildren(
    h("div", { class: "muted small-text list-head" }, `${num(ranked.matched)} variant${ranked.matched === 1 ? "" : "s"}, by forecast demand`),
    table(
      [
        { label: "Variant", render: (i) => h("span", {}, i.title, h("span", { class: "muted small-text block" }, [i.sku, i.variant_title].filter(Boolean).join(" · "))) },
        { label: "Per day", num: true, render: (i) => (i.forecast_method ? num(i.daily_demand, 2) : "–") },
        { label: "Cover", num: true, render: (i) => (i.forecast_method ? (i.days_of_cover === null ? "> 1 y" : `${num(i.days_of_cover, 0)} d`) : "–") },
        { label: "Order", num: true, render: (i) => (i.suggested_quantity ? h("strong", {}, num(i.suggested_quantity)) : "–") },
      ],
      ranked.items,
      {
        onRowClick: (i) => { location.hash = linkFor(i.variant_id); },
        empty: filters.q || filters.product ? "No variant matches." : "No active variants yet.",
      },
    ),
  );
  const chosen = variantId || ranked.items.find((i) => i.forecast_method)?.variant_id || ranked.items[0]?.variant_id;
  for (const [n, row] of listBox.querySelectorAll("tbody tr").entries()) {
    row.dataset.variant = ranked.items[n].variant_id;
    if (ranked.items[n].variant_id === chosen) row.classList.add("selected");
  }
  if (!chosen) {
    detailBox.replaceChildren(h("div", { class: "panel empty" }, "Nothing to forecast yet: forecasts appear once variants have sales."));
    return;
  }
  await showVariant(detailBox, chosen, frequency, (next) => {
    location.hash = pageLink(`forecasts/${chosen}`, { q: filters.q, product: filters.product, frequency: next === "day" ? "day" : "" });
  }, () => render(root, { params, query }));
}

function runInfo(run, reload) {
  const button = can("write")
    ? h("button", {
      class: "secondary small",
      id: "run-forecast",
      onclick: async () => {
        button.disabled = true;
        button.textContent = "Forecasting…";
        try {
          await api.post("/v1/insights/forecasts/run");
          reload();
        } catch (err) {
          button.replaceWith(errorBox(err));
        }
      },
    }, "Run forecasts now")
    : null;
  if (!run) return h("div", { class: "notice" }, "No forecast has been made yet. Forecasts are made every few hours from the store's sales. ", button);
  return h("div", { class: "muted small-text toolbar" },
    `Latest forecast: ${when(run.created_at)} · ${run.method} model · ${num(run.series)} variants · ${run.history_weeks} weeks of sales · ${Math.round(run.interval_level * 100)}% intervals`,
    button,
  );
}

async function showVariant(box, variantId, frequency, onFrequency, reload) {
  box.replaceChildren(loading("Loading the forecast…"));
  let plan;
  try {
    plan = await api.get(`/v1/console/forecasts/${variantId}?frequency=${frequency}&history=${frequency === "day" ? 56 : 26}`);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) throw err;
    box.replaceChildren(failure(err, () => showVariant(box, variantId, frequency, onFrequency, reload)));
    return;
  }
  const { item, history, forecast } = plan;
  const perPeriod = frequency === "day" ? "day" : "week";
  const graph = chartPanel(`Units per ${perPeriod}: sold and forecast`, { id: "forecast-chart", height: 340 });
  box.replaceChildren(
    h("div", { class: "panel-head" },
      h("div", {},
        h("h2", { style: "margin:0", id: "variant-title" }, `${item.title} · ${item.variant_title}`),
        h("div", { class: "muted small-text" }, [item.sku && `SKU ${item.sku}`, forecast && `method ${forecast.method}`].filter(Boolean).join(" · ")),
      ),
      h("div", { class: "toolbar", style: "margin:0" },
        statusPill(item.status),
        tabs([{ key: "week", label: "Weekly" }, { key: "day", label: "Daily" }], frequency, onFrequency),
      ),
    ),
    h("div", { class: "grid kpis" },
      kpi({ id: "available", label: "Available now", value: num(item.available), hint: item.locations.map((l) => `${l.location_code} ${l.available}`).join(" · ") || "No stock location" }),
      kpi({ id: "daily-demand", label: "Demand per day", value: forecast ? num(item.daily_demand, 2) : "–", hint: "Mean over the next 4 weeks" }),
      kpi({ id: "days-of-cover", label: "Days of cover", value: forecast ? (item.days_of_cover === null ? "> 1 year" : num(item.days_of_cover, 1)) : "–", hint: `Lead time ${item.rule.lead_time_days} days`, tone: forecast && item.days_of_cover !== null && item.days_of_cover < item.rule.lead_time_days ? "warn" : "" }),
      kpi({ id: "reorder-point", label: "Reorder point", value: forecast ? num(item.reorder_point, 1) : "–", hint: forecast ? `Mean demand in the lead time + safety stock ${num(item.safety_stock, 1)}` : "Needs a forecast" }),
      kpi({ id: "suggested", label: "Suggested order", value: num(item.suggested_quantity), hint: forecast ? `Up to ${num(item.order_up_to, 1)} units` : "", tone: item.suggested_quantity ? "warn" : "" }),
    ),
    graph.panel,
    forecast
      ? h("div", { class: "panel flush" }, forecastTable(forecast))
      : h("div", { class: "notice", id: "no-forecast" }, "This variant has no forecast yet: it has not sold in the forecast's window, or the forecast has not run since it did."),
  );
  current?.destroy();
  current = drawForecast(graph.canvas, history, forecast);
}

function drawForecast(canvas, history, forecast) {
  const points = forecast ? forecast.points : [];
  const labels = [...history.points.map((p) => p.start)];
  for (const p of points) if (!labels.includes(p.start)) labels.push(p.start);
  const at = (rows, key) => labels.map((d) => {
    const row = rows.find((r) => r.start === d);
    return row ? row[key] : null;
  });
  const pct = forecast ? Math.round(forecast.interval_level * 100) : 90;
  const datasets = [
    { label: "Units sold", type: "bar", data: at(history.points, "units"), backgroundColor: PALETTE[0], order: 3 },
  ];
  if (forecast) {
    datasets.push(
      { label: `${pct}% interval (low)`, data: at(points, "lower"), borderColor: "rgba(224,128,58,0.35)", backgroundColor: "rgba(224,128,58,0.18)", pointRadius: 0, borderWidth: 1, fill: false, order: 2 },
      { label: `${pct}% interval`, data: at(points, "upper"), borderColor: "rgba(224,128,58,0.35)", backgroundColor: "rgba(224,128,58,0.18)", pointRadius: 0, borderWidth: 1, fill: "-1", order: 2 },
      { label: "Forecast (median)", data: at(points, "point"), borderColor: PALETTE[1], backgroundColor: PALETTE[1], pointRadius: 2, tension: 0.2, order: 1 },
      { label: "Forecast (mean)", data: at(points, "mean"), borderColor: PALETTE[4], backgroundColor: PALETTE[4], borderDash: [5, 4], pointRadius: 0, tension: 0.2, order: 1 },
    );
  }
  return drawChart(canvas, {
    type: "line",
    data: { labels: labels.map(shortDay), datasets },
    options: {
      interaction: { mode: "index", intersect: false },
      scales: { y: { beginAtZero: true } },
      plugins: {
        legend: { position: "bottom", labels: { filter: (item) => !item.text.endsWith("(low)") } },
        tooltip: { callbacks: { label: (ctx) => (ctx.raw === null ? null : `${ctx.dataset.label}: ${num(ctx.raw, 1)}`) } },
      },
    },
  }, { empty: "No sales in this window and no forecast yet." });
}

function forecastTable(forecast) {
  return table(
    [
      { label: forecast.frequency === "day" ? "Day" : "Week from", render: (p) => shortDay(p.start) },
      { label: "Median", num: true, render: (p) => num(p.point, 1) },
      { label: "Mean (for reorders)", num: true, render: (p) => num(p.mean, 1) },
      { label: `${Math.round(forecast.interval_level * 100)}% interval`, num: true, render: (p) => `${num(p.lower, 1)} – ${num(p.upper, 1)}` },
    ],
    forecast.points.slice(0, forecast.frequency === "day" ? 14 : 8),
  );
}
