// The demo storefront: a small single-page shop standing in for a retailer's site. Products come
// from the public search API with the store's publishable key, product pages and the cart from
// the demo back end (/demo/api/…), and "Shop as" signs customers in the way a shop's login would:
// the back end signs an identity token and the page hands it to the widget.
"use strict";

const params = new URLSearchParams(location.search);
if (params.get("store")) sessionStorage.setItem("demo-store", params.get("store"));
if (params.get("key")) sessionStorage.setItem("demo-key", params.get("key"));
const STORE = sessionStorage.getItem("demo-store") || "";
const main = document.getElementById("main");
const shop = { key: null, store: null, customers: [], departments: [] };
const sessionId = sessionStorage.getItem("demo-session") || `demo-${Math.random().toString(36).slice(2, 12)}`;
sessionStorage.setItem("demo-session", sessionId);

// ------------------------------------------------------------------ helpers

function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "text") node.textContent = value;
    else if (name === "class") node.className = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

function withStore(path) {
  if (!STORE) return path;
  return path + (path.includes("?") ? "&" : "?") + "store=" + encodeURIComponent(STORE);
}

async function api(method, path, body) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (path.startsWith("/v1/")) headers.Authorization = `Bearer ${shop.key}`;
  let res;
  try {
    res = await fetch(path.startsWith("/v1/") ? path : withStore(path), {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw Object.assign(new Error("The shop could not be reached. Is `floorwalker demo` still running?"), { code: "network" });
  }
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw Object.assign(new Error(data.detail || `Error ${res.status}`), { code: data.error, status: res.status });
  return data;
}

function money(minor) {
  const currency = (shop.store && shop.store.currency) || "USD";
  return new Intl.NumberFormat("en-US", { style: "currency", currency }).format(minor / 100);
}

function problem(error) {
  main.replaceChildren(h("div", { class: "problem", role: "alert" },
    h("strong", { text: "Something went wrong. " }), error.message || String(error)));
}

// The widget loads asynchronously; page code waits for it here.
const widgetReady = new Promise((resolve) => {
  if (window.Floorwalker && window.Floorwalker.version) resolve(window.Floorwalker);
  window.addEventListener("floorwalker:ready", () => resolve(window.Floorwalker), { once: true });
});
async function askAssistant(text) {
  (await widgetReady).send(text);
}

// ------------------------------------------------------------------ the bag (the shop's own cart)

const BAG = `demo-bag:${STORE || "demo"}`;
function bag() {
  try { return JSON.parse(localStorage.getItem(BAG) || "{}"); } catch { return {}; }
}
function saveBag(items) {
  localStorage.setItem(BAG, JSON.stringify(items));
  const count = Object.values(items).reduce((a, b) => a + b, 0);
  document.getElementById("bag-count").textContent = String(count);
}
function addToBag(variantId, quantity = 1) {
  const items = bag();
  items[variantId] = Math.min(99, (items[variantId] || 0) + quantity);
  saveBag(items);
}

// ------------------------------------------------------------------ pages

// Every listing is a real search with words: a department's name is read as its category by the
// search parser, so the shop never sends an empty query.
async function home() {
  const q = params.get("q") || "";
  document.getElementById("search-input").value = q;
  markDepartment(q);
  if (!q) return shelves();
  const sort = params.get("sort") || "relevance";
  const department = shop.departments.find((d) => d.name === q);
  main.replaceChildren(
    h("div", { class: "list-head" },
      h("h2", { text: department ? department.name : `Results for “${q}”` }),
      h("span", { class: "count", id: "count" }),
      h("label", {}, h("span", { class: "sr", text: "Sort by" }), sortSelect(sort))),
    h("p", { class: "note", id: "note", hidden: true }),
    h("div", { class: "grid", id: "grid", "aria-live": "polite" }, h("p", { class: "loading", text: "Loading products…" })),
    h("div", { class: "more", id: "more" }));
  await loadResults({ q, sort, page: 1, replace: true });
}

async function shelves() {
  const rows = shop.departments.slice(0, 4).map((d) => {
    const grid = h("div", { class: "grid" }, h("p", { class: "loading", text: "Loading…" }));
    return { department: d, grid, node: h("section", { class: "shelf" },
      h("div", { class: "list-head" }, h("h2", { text: `New in ${d.name}` }),
        h("a", { class: "see-all", href: `/demo?q=${encodeURIComponent(d.name)}`, "data-link": true, text: `See all ${d.name}` })),
      grid) };
  });
  main.replaceChildren(hero(), ...rows.map((r) => r.node));
  await Promise.all(rows.map(async ({ department, grid }) => {
    try {
      const query = new URLSearchParams({ q: department.name, sort: "newest", limit: "4", facets: "false", session_id: sessionId });
      const result = await api("GET", `/v1/search?${query}`);
      grid.replaceChildren(...result.hits.map(tile));
    } catch (error) {
      grid.replaceChildren(h("p", { class: "problem", text: error.message }));
    }
  }));
}

function hero() {
  const name = (shop.store && shop.store.assistant_name) || "our assistant";
  const tips = ["A waterproof jacket under $200", "Warm socks for hiking", "What's your returns policy?", "Where is my order?"];
  return h("section", { class: "hero" },
    h("div", {},
      h("h1", { text: "Dressed for the weather, whatever it brings." }),
      h("p", { text: `Trail-ready clothing, footwear and gear, and a home line for the evenings after. Not sure what fits? Ask ${name}, our AI shopping assistant.` }),
      h("button", { class: "btn light", type: "button", onclick: () => widgetReady.then((w) => w.open()), text: `Ask ${name}` })),
    h("div", { class: "hero-tips" },
      h("h2", { text: "Try asking" }),
      h("ul", {}, tips.map((tip) => h("li", {}, h("button", { type: "button", onclick: () => askAssistant(tip), text: `“${tip}”` }))))));
}

function sortSelect(current) {
  const select = h("select", { onchange: (e) => navigate(urlWith({ sort: e.target.value, page: null })) },
    [["relevance", "Best match"], ["newest", "Newest"], ["price_asc", "Price: low to high"], ["price_desc", "Price: high to low"]]
      .map(([value, label]) => h("option", { value, text: label })));
  select.value = current;
  return select;
}

function urlWith(changes) {
  const next = new URLSearchParams(location.search);
  next.delete("store");
  next.delete("key");
  for (const [k, v] of Object.entries(changes)) if (v === null) next.delete(k); else next.set(k, v);
  const query = next.toString();
  return `/demo${query ? `?${query}` : ""}`;
}

async function loadResults({ q, sort, page, replace }) {
  const query = new URLSearchParams({ q, sort, page: String(page), limit: "24", facets: "false", session_id: sessionId });
  let result;
  try {
    result = await api("GET", `/v1/search?${query}`);
  } catch (error) {
    problem(error);
    return;
  }
  const grid = document.getElementById("grid");
  if (replace) grid.replaceChildren();
  if (!result.hits.length && replace) {
    grid.replaceChildren(h("p", { class: "empty", text: "Nothing matched. Try other words, or ask our assistant." }));
  }
  result.hits.forEach((hit) => grid.append(tile(hit)));
  document.getElementById("count").textContent = `${result.total} product${result.total === 1 ? "" : "s"}`;
  const note = document.getElementById("note");
  if (result.note) { note.hidden = false; note.textContent = result.note; }
  const more = document.getElementById("more");
  more.replaceChildren();
  if (result.page < result.pages) {
    more.append(h("button", {
      class: "btn ghost", type: "button", text: "Show more",
      onclick: () => loadResults({ q, sort, page: page + 1, replace: false }),
    }));
  }
}

function tile(hit) {
  const sale = hit.compare_at_price && hit.compare_at_price > hit.price;
  return h("a", { class: "tile", href: `/demo/products/${encodeURIComponent(hit.handle)}`, "data-link": true, "data-product-id": hit.product_id },
    h("img", { src: hit.image_url || "", alt: "", loading: "lazy" }),
    h("div", { class: "tile-body" },
      hit.brand ? h("span", { class: "brand", text: hit.brand }) : null,
      h("h3", { text: hit.title }),
      h("span", { class: "price" },
        h("span", { class: sale ? "sale" : "", text: (hit.price_max > hit.price ? "From " : "") + money(hit.price) }),
        sale ? h("s", { text: money(hit.compare_at_price) }) : null),
      hit.in_stock ? null : h("span", { class: "stock-out", text: "Sold out" })));
}

function departments() {
  const nav = document.getElementById("departments");
  nav.replaceChildren(
    h("a", { href: "/demo", "data-link": true, text: "Featured" }),
    ...shop.departments.map((d) => h("a", { href: `/demo?q=${encodeURIComponent(d.name)}`, "data-link": true, "data-department": d.name, text: d.name })));
}

function markDepartment(q) {
  for (const link of document.querySelectorAll("#departments a")) {
    const here = link.dataset.department ? link.dataset.department === q : !q && location.pathname === "/demo";
    if (here) link.setAttribute("aria-current", "page"); else link.removeAttribute("aria-current");
  }
}

async function productPage(handle) {
  main.replaceChildren(h("p", { class: "loading", text: "Loading…" }));
  let product;
  try {
    product = await api("GET", `/demo/api/products/${encodeURIComponent(handle)}`);
  } catch (error) {
    if (error.status === 404) {
      main.replaceChildren(h("div", { class: "empty" }, h("p", { text: "That product isn't in the shop any more." }), h("a", { class: "btn", href: "/demo", "data-link": true, text: "Back to the shop" })));
      return;
    }
    problem(error);
    return;
  }
  document.title = `${product.title} · ${shop.store.name}`;
  const chosen = {};
  const firstAvailable = product.variants.find((v) => v.available > 0) || product.variants[0];
  if (firstAvailable) Object.assign(chosen, firstAvailable.options);
  const picture = h("img", { src: (firstAvailable && firstAvailable.image_url) || (product.images[0] || {}).url || "", alt: product.title });
  const price = h("div", { class: "price" });
  const availability = h("p", { class: "availability", "aria-live": "polite" });
  const added = h("p", { class: "added", role: "status" });
  const addButton = h("button", { class: "btn", type: "button", text: "Add to bag" });
  let current = null;

  function update() {
    current = product.variants.find((v) => Object.entries(v.options).every(([k, val]) => chosen[k] === val)) || null;
    price.replaceChildren(current
      ? h("span", {}, h("span", { class: current.compare_at_display ? "sale" : "", text: current.price_display }), current.compare_at_display ? h("s", { text: current.compare_at_display }) : null)
      : h("span", { text: (product.price_range ? "From " : "") + product.price_display }));
    availability.className = "availability " + (current && current.available > 0 ? "ok" : "out");
    availability.textContent = !current ? "That combination isn't made." : current.available > 5 ? "In stock, ready to ship"
      : current.available > 0 ? `Only ${current.available} left` : "Sold out in this option";
    addButton.disabled = !current || current.available < 1;
    if (current && current.image_url) picture.src = current.image_url;
  }

  const options = product.option_names.map((name) => {
    const values = [...new Set(product.variants.map((v) => v.options[name]).filter(Boolean))];
    return h("fieldset", { class: "option" },
      h("legend", { text: name }),
      h("div", { class: "values" }, values.map((value) => h("label", {},
        h("input", { type: "radio", name: `opt-${name}`, value, checked: chosen[name] === value, onchange: () => { chosen[name] = value; update(); } }),
        h("span", { text: value })))));
  });
  addButton.addEventListener("click", () => {
    if (!current) return;
    addToBag(current.id);
    added.textContent = `Added ${product.title} (${current.title}) to your bag.`;
  });
  const facts = Object.entries(product.attributes || {}).filter(([, v]) => v !== null && v !== "" && typeof v !== "object");
  main.replaceChildren(
    h("p", { class: "crumbs" }, h("a", { href: "/demo", "data-link": true, text: "Shop" }), product.category ? ` / ${product.category}` : ""),
    h("article", { class: "product" },
      h("div", { class: "pic" }, picture,
        product.images.length > 1 ? h("div", { class: "thumbs" }, product.images.slice(0, 6).map((img) => h("button", {
          type: "button", "aria-label": img.alt || "Picture", onclick: () => { picture.src = img.url; },
        }, h("img", { src: img.url, alt: "" })))) : null),
      h("div", {},
        product.brand ? h("span", { class: "brand", text: product.brand }) : null,
        h("h1", { text: product.title }),
        price, ...options, availability,
        h("div", { class: "buy" }, addButton,
          h("button", { class: "btn ghost", type: "button", text: `Ask ${shop.store.assistant_name} about this`, onclick: () => askAssistant(`Tell me about the ${product.title}`) })),
        added,
        h("div", { class: "description" }, ...product.description.split(/\n+/).map((p) => h("p", { text: p }))),
        facts.length ? h("table", { class: "facts" }, h("tbody", {}, facts.map(([k, v]) => h("tr", {}, h("th", { text: k.replace(/_/g, " ") }), h("td", { text: String(v) }))))) : null)));
  update();
}

async function cartPage(note) {
  const items = bag();
  const pairs = Object.entries(items).map(([id, qty]) => `${id}:${qty}`).join(",");
  if (!pairs) {
    main.replaceChildren(h("h2", { text: "Your bag" }), h("div", { class: "empty" },
      h("p", { text: "Your bag is empty." }), h("a", { class: "btn", href: "/demo", "data-link": true, text: "Keep shopping" })));
    return;
  }
  let cart;
  try {
    cart = await api("GET", `/demo/api/cart?items=${encodeURIComponent(pairs)}`);
  } catch (error) {
    problem(error);
    return;
  }
  const change = (id, delta) => {
    const next = bag();
    next[id] = (next[id] || 0) + delta;
    if (next[id] <= 0) delete next[id];
    saveBag(next);
    cartPage();
  };
  main.replaceChildren(
    h("h2", { text: "Your bag" }),
    note ? h("p", { class: "note", role: "status", text: note }) : null,
    h("div", { class: "cart" },
      h("div", { class: "cart-lines" }, cart.lines.map((line) => h("div", { class: "cart-line", "data-variant-id": line.variant_id },
        h("img", { src: line.image_url || "", alt: "" }),
        h("div", {},
          h("h3", {}, h("a", { href: `/demo/products/${encodeURIComponent(line.handle)}`, "data-link": true, text: line.title })),
          h("div", { class: "meta", text: `${line.label} · ${line.unit_price_display} each` }),
          h("div", { class: "qty" },
            h("button", { type: "button", "aria-label": "One fewer", text: "−", onclick: () => change(line.ref, -1) }),
            h("span", { class: "quantity", text: String(line.quantity) }),
            h("button", { type: "button", "aria-label": "One more", text: "+", onclick: () => change(line.ref, 1) }),
            h("button", { class: "remove", type: "button", text: "Remove", onclick: () => change(line.ref, -line.quantity) }))),
        h("strong", { text: line.line_total_display })))),
      h("aside", { class: "summary" },
        h("div", { class: "row" }, h("span", { text: "Subtotal" }), h("span", { text: cart.total_display })),
        h("div", { class: "row" }, h("span", { text: "Shipping" }), h("span", { text: cart.total >= 7500 ? "Free" : "At checkout" })),
        h("div", { class: "row total" }, h("span", { text: "Total" }), h("span", { id: "cart-total", text: cart.total_display })),
        h("button", { class: "btn", type: "button", disabled: true, text: "Checkout" }),
        h("p", { class: "fine", text: "Checkout is switched off: this is a demo store and nothing is for sale." }))));
  if (cart.missing.length) main.append(h("p", { class: "note", text: `${cart.missing.length} item(s) are no longer sold and were left out.` }));
}

// A checkout link from the assistant (/demo/cart/12:1,15:2) fills the bag, then shows it.
function importCart(items) {
  const next = bag();
  for (const pair of decodeURIComponent(items).split(",")) {
    const [id, qty] = pair.split(":");
    if (id && Number(qty) > 0) next[id] = Math.min(99, Number(qty));
  }
  saveBag(next);
  history.replaceState(null, "", "/demo/cart");
  return cartPage(`${shop.store.assistant_name} filled your bag from the chat.`);
}

// ------------------------------------------------------------------ routing

function render() {
  const path = decodeURIComponent(location.pathname);
  window.scrollTo(0, 0);
  const product = path.match(/^\/demo\/products\/(.+)$/);
  const cartLink = location.pathname.match(/^\/demo\/cart\/(.+)$/);
  if (product || cartLink) markDepartment(null);
  if (product) return productPage(product[1]);
  if (cartLink) return importCart(cartLink[1]);
  if (path.startsWith("/demo/cart")) return cartPage();
  document.title = `${shop.store.name} · Floorwalker demo`;
  return home();
}

function navigate(url) {
  history.pushState(null, "", url);
  for (const key of [...params.keys()]) params.delete(key);
  new URLSearchParams(location.search).forEach((v, k) => params.set(k, v));
  render();
}

document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-link]");
  if (!link || event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
  event.preventDefault();
  navigate(link.getAttribute("href"));
});
window.addEventListener("popstate", () => {
  for (const key of [...params.keys()]) params.delete(key);
  new URLSearchParams(location.search).forEach((v, k) => params.set(k, v));
  render();
});
document.getElementById("search-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const q = document.getElementById("search-input").value.trim();
  navigate(q ? `/demo?q=${encodeURIComponent(q)}` : "/demo");
});

// ------------------------------------------------------------------ "Shop as" (the shop's login)

async function signIn(key) {
  const persona = document.getElementById("persona");
  const widget = await widgetReady;
  if (!key) {
    sessionStorage.removeItem("demo-customer");
    persona.hidden = true;
    await widget.reset();
    return;
  }
  let signed;
  try {
    signed = await api("POST", "/demo/api/identity", { customer: key });
  } catch (error) {
    persona.hidden = false;
    persona.textContent = `Could not sign in: ${error.message}`;
    return;
  }
  sessionStorage.setItem("demo-customer", key);
  const result = await widget.identify(signed.token);
  const who = signed.customer;
  persona.hidden = false;
  persona.replaceChildren(h("span", {},
    h("strong", { text: `Signed in as ${who.name}` }), ` (${who.email})`,
    result.status === "failed" ? " — the assistant could not confirm the sign-in." : null,
    h("br"), `What to try: ${who.story}`,
    h("button", { type: "button", text: "Ask about my orders", onclick: () => askAssistant("Show me my orders") })));
}

function fillCustomers() {
  const select = document.getElementById("shop-as");
  select.replaceChildren(h("option", { value: "", text: "Guest" }),
    ...shop.customers.map((c) => h("option", { value: c.key, text: c.name })));
  select.value = sessionStorage.getItem("demo-customer") || "";
  select.addEventListener("change", () => signIn(select.value));
}

function loadWidget() {
  const tag = document.createElement("script");
  tag.src = "/widget.js";
  tag.async = true;
  tag.dataset.key = shop.key;
  tag.dataset.title = shop.store.assistant_name;
  tag.dataset.label = `Ask ${shop.store.assistant_name}`;
  tag.dataset.accent = "#2f5d50";
  document.body.append(tag);
}

async function boot() {
  let session;
  try {
    session = await api("POST", "/demo/api/session");
  } catch (error) {
    main.replaceChildren(h("div", { class: "problem", role: "alert" },
      h("h2", { text: "The demo store isn't available" }), h("p", { text: error.message }),
      h("p", { text: "Create it with `floorwalker demo`, which also serves this page." })));
    return;
  }
  shop.store = session.store;
  shop.customers = session.customers;
  shop.departments = session.departments;
  departments();
  shop.key = sessionStorage.getItem("demo-key") || session.widget_key;
  document.getElementById("store-name").textContent = shop.store.name;
  document.getElementById("foot-name").textContent = shop.store.name;
  document.getElementById("foot-support").textContent = shop.store.support_email || "";
  saveBag(bag());
  fillCustomers();
  loadWidget();
  const customer = sessionStorage.getItem("demo-customer");
  if (customer) signIn(customer);
  await render();
}

boot();
