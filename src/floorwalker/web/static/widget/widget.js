/*! Floorwalker shopper widget — served at /widget.js; plain JavaScript, no dependencies.
 *
 * <script src="https://floorwalker.example/widget.js" data-key="fw_pk_…" async></script>
 *
 * Attributes: data-key (required, the store's publishable key), data-identity-token (a JWT the
 * shop signed for a logged-in customer), data-position (right|left), data-accent (a CSS colour),
 * data-title, data-label (the launcher's text), data-open (true: open on load), data-api (the Floorwalker origin, default: where
 * this script came from). API: Floorwalker.open() .close() .toggle() .send(text)
 * .identify(token) .reset() and window events "floorwalker:*" (see docs/widget.md).
 */
(function () {
  "use strict";
  if (window.Floorwalker && window.Floorwalker.version) return; // the tag was added twice

  var CSS = "/*FLOORWALKER_CSS*/";
  var VERSION = "1";
  var script = document.currentScript || document.querySelector("script[data-key][src*='widget.js']");
  var data = (script && script.dataset) || {};
  var queued = (window.Floorwalker && window.Floorwalker.q) || [];
  var cfg = {
    key: (data.key || "").trim(),
    api: (data.api || (script && script.src ? new URL(script.src, location.href).origin : location.origin)).replace(/\/$/, ""),
    position: data.position === "left" ? "left" : "right",
    accent: data.accent || "",
    title: data.title || "Shopping assistant",
    label: data.label || "Ask us",
    open: data.open === "true",
  };
  var STORE = "floorwalker:" + cfg.key.slice(0, 18);
  var TOOL_LABELS = {
    search_products: "Searching the catalogue", product_details: "Reading the product details",
    check_availability: "Checking stock", compare_products: "Comparing products",
    recommend_products: "Finding suggestions", view_cart: "Checking your cart",
    add_to_cart: "Adding to your cart", remove_from_cart: "Updating your cart",
    checkout_link: "Preparing checkout", list_orders: "Looking up your orders",
    order_details: "Looking up your order", list_payment_methods: "Checking payment methods",
    verify_with_order: "Checking who you are", send_verification_code: "Sending a code",
    check_verification_code: "Checking the code", store_policy: "Checking the store's policies",
    search_help: "Checking the help pages", request_human: "Getting a person",
    remember_preferences: "Noting your preferences",
  };
  var NETWORK = "We couldn't reach the shop's assistant. Check your connection and try again.";

  // ------------------------------------------------------------------ small helpers

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    for (var name in attrs || {}) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) continue;
      if (name === "text") node.textContent = value;
      else if (name === "class") node.className = value;
      else if (name.slice(0, 2) === "on") node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    (children || []).forEach(function (child) {
      if (child !== null && child !== undefined && child !== false)
        node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }
  function icon(paths) {
    var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("fill", "none");
    svg.setAttribute("stroke", "currentColor");
    svg.setAttribute("stroke-width", "2");
    svg.setAttribute("stroke-linecap", "round");
    svg.setAttribute("stroke-linejoin", "round");
    paths.forEach(function (d) {
      var p = document.createElementNS("http://www.w3.org/2000/svg", "path");
      p.setAttribute("d", d);
      svg.appendChild(p);
    });
    return svg;
  }
  var ICON_CHAT = ["M21 12a8 8 0 0 1-11.6 7.1L4 21l1.9-5.4A8 8 0 1 1 21 12z"];
  var ICON_UP = ["M7 10v11H4V10h3z", "M7 10l4-8a3 3 0 0 1 3 3v4h5.5a2 2 0 0 1 2 2.3l-1.4 8A2 2 0 0 1 18.1 21H7"];
  var ICON_DOWN = ["M17 14V3h3v11h-3z", "M17 14l-4 8a3 3 0 0 1-3-3v-4H4.5a2 2 0 0 1-2-2.3l1.4-8A2 2 0 0 1 5.9 3H17"];

  // Text with web links made clickable; everything else stays text (never HTML).
  function richText(node, text) {
    node.textContent = "";
    String(text || "").split(/(https?:\/\/[^\s<>"')]+)/g).forEach(function (part, i) {
      if (i % 2 === 1) node.appendChild(el("a", { href: part, target: "_blank", rel: "noopener noreferrer", text: part }));
      else if (part) node.appendChild(document.createTextNode(part));
    });
  }
  function safeUrl(url) {
    if (!url) return null;
    try {
      var parsed = new URL(url, cfg.api);
      return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
    } catch (e) { return null; }
  }
  function emit(name, detail) {
    try { window.dispatchEvent(new CustomEvent("floorwalker:" + name, { detail: detail || {} })); } catch (e) { /* old browser */ }
  }
  function load() {
    try { return JSON.parse(sessionStorage.getItem(STORE) || "null") || {}; } catch (e) { return {}; }
  }
  function save(patch) {
    var current = load();
    for (var k in patch) current[k] = patch[k];
    try { sessionStorage.setItem(STORE, JSON.stringify(current)); } catch (e) { /* private mode */ }
  }
  function forget() { try { sessionStorage.removeItem(STORE); } catch (e) { /* ignore */ } }
  function subjectOf(token) {
    try {
      var part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
      return JSON.parse(atob(part + "===".slice((part.length + 3) % 4))).sub || null;
    } catch (e) { return null; }
  }
  function label(status) {
    var text = String(status || "").replace(/_/g, " ");
    return text.charAt(0).toUpperCase() + text.slice(1);
  }
  function sleep(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }

  function ApiError(code, detail, status, body, retryAfter) {
    this.code = code; this.detail = detail; this.status = status; this.body = body || {};
    this.retryAfter = retryAfter;
  }

  // ------------------------------------------------------------------ HTTP and SSE

  function call(method, path, body, opts) {
    opts = opts || {};
    var headers = { Authorization: "Bearer " + cfg.key };
    if (state.token) headers["X-Conversation-Token"] = state.token;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (opts.stream) headers.Accept = "text/event-stream";
    return fetch(cfg.api + path, {
      method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "omit", cache: "no-store", signal: opts.signal,
    }).then(function (res) {
      if (res.ok) return opts.stream ? res : res.json();
      return res.json().catch(function () { return {}; }).then(function (b) {
        throw new ApiError(b.error || "http_" + res.status, b.detail || "The shop's assistant answered with an error (" + res.status + ").",
          res.status, b, Number(res.headers.get("retry-after")) || b.retry_after);
      });
    }, function (err) {
      if (err && err.name === "AbortError") throw err;
      throw new ApiError("network", NETWORK, 0);
    });
  }

  async function* events(res) {
    var reader = res.body.getReader();
    var decoder = new TextDecoder();
    var buffer = "";
    for (;;) {
      var chunk = await reader.read();
      if (chunk.done) break;
      buffer += decoder.decode(chunk.value, { stream: true }).replace(/\r\n?/g, "\n");
      var end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        var block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        var type = "message", lines = [];
        block.split("\n").forEach(function (line) {
          if (line.indexOf("event:") === 0) type = line.slice(6).trim();
          else if (line.indexOf("data:") === 0) lines.push(line.slice(5).replace(/^ /, ""));
        });
        if (!lines.length) continue;
        try { yield { type: type, data: JSON.parse(lines.join("\n")) }; } catch (e) { /* not JSON: skip */ }
      }
    }
  }

  // ------------------------------------------------------------------ state and DOM

  var state = {
    id: null, token: null, verified: false, sub: null, status: "open", busy: false,
    lastId: 0, shown: {}, handoff: null, pendingToken: (data.identityToken || "").trim() || null,
    live: null, starting: null, askAfterVerify: null, latestProducts: [],
  };
  var ui = {};

  function build() {
    var host = el("div", { id: "floorwalker-widget" });
    var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
    var style = el("style", { text: CSS });
    ui.launcher = el("button", {
      class: "fw-launcher", type: "button", "aria-expanded": "false", "aria-controls": "fw-panel",
      "aria-label": cfg.label + ": open the shopping assistant chat", onclick: function () { open(); },
    }, [icon(ICON_CHAT), el("span", { text: cfg.label })]);
    ui.human = el("button", { class: "fw-human", type: "button", text: "Talk to a human", onclick: talkToHuman });
    ui.close = el("button", { class: "fw-close", type: "button", "aria-label": "Close the chat", text: "×", onclick: function () { close(); } });
    ui.banner = el("div", { class: "fw-banner", role: "status", hidden: true });
    ui.log = el("div", { class: "fw-log", role: "log", "aria-live": "polite", "aria-label": "Conversation", tabindex: "0" });
    ui.activity = el("div", { class: "fw-activity", "aria-hidden": "true" });
    ui.verify = buildVerify();
    ui.input = el("textarea", {
      id: "fw-input", rows: "1", maxlength: "4000", placeholder: "Type a message…",
      "aria-label": "Your message", onkeydown: onKey, oninput: grow,
    });
    ui.send = el("button", { class: "fw-btn fw-send", type: "submit", text: "Send" });
    ui.form = el("form", { class: "fw-compose", onsubmit: function (e) { e.preventDefault(); submit(); } }, [ui.input, ui.send]);
    ui.verifyLink = el("button", { class: "fw-link", type: "button", text: "Verify it's you", onclick: function () { showVerify(true); } });
    ui.panel = el("section", {
      class: "fw-panel", id: "fw-panel", role: "dialog", "aria-modal": "false", "aria-labelledby": "fw-title", hidden: true,
      onkeydown: function (e) { if (e.key === "Escape") { e.stopPropagation(); close(); } },
    }, [
      el("header", { class: "fw-head" }, [
        el("h2", { class: "fw-title", id: "fw-title", text: cfg.title }), ui.close,
        el("p", { class: "fw-sub" }, [el("span", { class: "fw-badge", text: "AI" }), "Automated assistant, not a person"]),
        ui.human,
      ]),
      ui.banner, ui.log, ui.activity, ui.verify, ui.form,
      el("p", { class: "fw-foot" }, [el("span", { text: "AI replies can be wrong; check before you buy." }), ui.verifyLink]),
    ]);
    ui.root = el("div", { class: "fw", "data-position": cfg.position }, [ui.launcher, ui.panel]);
    root.appendChild(style);
    root.appendChild(ui.root);
    applyAccent(host);
    document.body.appendChild(host);
  }

  function applyAccent(host) {
    if (!cfg.accent || !(window.CSS && CSS_supports(cfg.accent))) return;
    host.style.setProperty("--fw-accent", cfg.accent);
    var probe = el("span", { style: "color:" + cfg.accent });
    document.documentElement.appendChild(probe);
    var rgb = (getComputedStyle(probe).color.match(/\d+(\.\d+)?/g) || [0, 0, 0]).map(Number);
    probe.remove();
    var lum = (0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]) / 255;
    host.style.setProperty("--fw-on-accent", lum > 0.62 ? "#111111" : "#ffffff");
  }
  function CSS_supports(colour) { return window.CSS.supports("color", colour); }

  function buildVerify() {
    var alert = el("div", { role: "alert" });
    var order = el("input", { name: "order", autocomplete: "off", placeholder: "Order number", "aria-label": "Order number" });
    var email = el("input", { name: "email", type: "email", autocomplete: "email", placeholder: "E-mail", "aria-label": "E-mail used for the order" });
    var code = el("input", { name: "code", inputmode: "numeric", autocomplete: "one-time-code", placeholder: "6-digit code", "aria-label": "The 6-digit code", hidden: true, maxlength: "6" });
    var mode = "order";
    var go = el("button", { class: "fw-btn", type: "submit", text: "Verify" });
    var intro = el("p", { text: "To look at your orders, confirm it's you with an order number and the e-mail you used." });
    var switcher = el("button", { class: "fw-link", type: "button", text: "E-mail me a code instead", onclick: function () { setMode(mode === "order" ? "email" : "order"); } });
    function setMode(next) {
      mode = next;
      alert.textContent = "";
      order.hidden = next !== "order";
      email.hidden = next === "code";
      code.hidden = next !== "code";
      switcher.textContent = next === "order" ? "E-mail me a code instead" : "Use an order number instead";
      intro.textContent = next === "order" ? "To look at your orders, confirm it's you with an order number and the e-mail you used."
        : next === "email" ? "We'll e-mail you a one-time code if the address belongs to an account."
        : "Enter the 6-digit code we e-mailed you.";
      go.textContent = next === "email" ? "Send code" : "Verify";
    }
    var form = el("form", {
      class: "fw-verify", hidden: true, "aria-label": "Verify it's you",
      onsubmit: async function (e) {
        e.preventDefault();
        var body = mode === "order" ? { order_number: order.value.trim(), email: email.value.trim() }
          : mode === "email" ? { email: email.value.trim() } : { code: code.value.trim() };
        if (Object.values(body).some(function (v) { return !v; })) { alert.textContent = "Please fill in every field."; return; }
        go.disabled = true;
        alert.textContent = "";
        try {
          await ensureConversation();
          var result = await call("POST", convPath("/verify"), body);
          if (result.status === "verified") {
            setVerified(result.conversation.verified_via);
            form.hidden = true;
            setMode("order");
            order.value = code.value = "";
            var again = state.askAfterVerify;
            state.askAfterVerify = null;
            if (again) send(again);
          } else if (result.status === "code_sent") {
            setMode("code");
            intro.textContent = result.detail;
            code.focus();
          } else {
            alert.textContent = result.detail;
          }
        } catch (err) {
          alert.textContent = err.detail || NETWORK;
        } finally {
          go.disabled = false;
        }
      },
    }, [
      el("h3", { text: "Verify it's you" }), intro,
      el("div", { class: "fw-fields" }, [order, email, code]),
      alert,
      el("div", { class: "fw-alt" }, [switcher, el("span", {}, [
        el("button", { class: "fw-link", type: "button", text: "Not now", onclick: function () { form.hidden = true; } }), " ", go,
      ])]),
    ]);
    return form;
  }

  function showVerify(focus) {
    ui.verify.hidden = false;
    if (focus) ui.verify.querySelector("input:not([hidden])").focus();
  }

  function grow() {
    ui.input.style.height = "auto";
    ui.input.style.height = Math.min(ui.input.scrollHeight + 2, 120) + "px";
  }
  function onKey(e) {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); submit(); }
  }
  function scrollDown() { ui.log.scrollTop = ui.log.scrollHeight; }
  function setBusy(busy) {
    state.busy = busy;
    ui.send.disabled = busy;
    ui.log.setAttribute("aria-busy", busy ? "true" : "false");
    if (!busy) ui.activity.textContent = "";
  }

  // ------------------------------------------------------------------ messages

  function addMessage(role, text, opts) {
    opts = opts || {};
    if (opts.id && state.shown[opts.id]) return null;
    if (opts.id) { state.shown[opts.id] = true; state.lastId = Math.max(state.lastId, opts.id); }
    var bubble = el("div", { class: "fw-bubble" });
    richText(bubble, text);
    var node = el("div", { class: "fw-msg", "data-role": role }, [
      role === "staff" ? el("div", { class: "fw-who", text: "Store team" }) : null, bubble,
    ]);
    ui.log.appendChild(node);
    if (role === "assistant" && opts.id) addFeedback(node, opts.id);
    scrollDown();
    return node;
  }
  function addError(err, retry) {
    var node = addMessage("error", (err && err.detail) || NETWORK);
    if (retry) {
      node.querySelector(".fw-bubble").appendChild(el("button", {
        type: "button", text: "Try again", onclick: function () { node.remove(); retry(); },
      }));
    }
    emit("error", { error: err && err.code, detail: err && err.detail });
  }

  function addFeedback(node, messageId) {
    var note = el("span", { class: "fw-feedback-note", "aria-live": "polite" });
    function button(rating, label, paths) {
      return el("button", {
        type: "button", "aria-label": label, title: label, "aria-pressed": "false", "data-rating": rating,
        onclick: async function () {
          var buttons = bar.querySelectorAll("button");
          buttons.forEach(function (b) { b.disabled = true; });
          try {
            await call("POST", convPath("/feedback"), { message_id: messageId, rating: rating });
            buttons.forEach(function (b) { b.setAttribute("aria-pressed", String(b.dataset.rating === rating)); });
            note.textContent = "Thanks for the feedback.";
            emit("feedback", { message_id: messageId, rating: rating });
          } catch (err) {
            note.textContent = err.detail || NETWORK;
          } finally {
            buttons.forEach(function (b) { b.disabled = false; });
          }
        },
      }, [icon(paths)]);
    }
    var bar = el("div", { class: "fw-feedback" }, [
      button("up", "Helpful", ICON_UP), button("down", "Not helpful", ICON_DOWN), note,
    ]);
    node.appendChild(bar);
  }

  // ------------------------------------------------------------------ cards

  function addCards(node, cards, live) {
    var byKind = {};
    var products = cards.filter(function (c) { return c.type === "product"; });
    if (products.length) state.latestProducts = products.map(function (c) { return c.product_id; });
    cards.forEach(function (card) { (byKind[card.type] = byKind[card.type] || []).push(card); });
    Object.keys(byKind).forEach(function (kind) {
      var row = el("div", { class: "fw-cards", "data-kind": kind });
      byKind[kind].forEach(function (card) {
        var made = kind === "product" ? productCard(card) : kind === "cart" ? cartCard(card)
          : kind === "order" ? orderCard(card) : kind === "proposal" ? proposalCard(card, live) : null;
        if (made) row.appendChild(made);
      });
      if (row.childNodes.length) node.insertBefore(row, node.querySelector(".fw-feedback"));
    });
    scrollDown();
  }

  function productCard(card) {
    var url = safeUrl(card.url);
    var variants = (card.variants || []);
    var select = null;
    if (variants.length > 1) {
      select = el("select", { "aria-label": "Choose an option of " + card.title }, variants.map(function (v) {
        return el("option", { value: v.variant_id, disabled: !v.in_stock, text: v.label + (v.in_stock ? "" : " — sold out") });
      }));
      var firstInStock = variants.find(function (v) { return v.in_stock; });
      if (firstInStock) select.value = String(firstInStock.variant_id);
    }
    var add = el("button", {
      class: "fw-btn", type: "button", disabled: !card.in_stock, text: card.in_stock ? "Add to cart" : "Sold out",
      onclick: function () {
        var chosen = select ? variants.find(function (v) { return String(v.variant_id) === select.value; }) : variants[0];
        addToCart(card, chosen, add);
      },
    });
    var img = safeUrl(card.image_url);
    return el("article", { class: "fw-card", "data-product-id": card.product_id }, [
      img ? el("img", { src: img, alt: card.title, loading: "lazy" }) : null,
      el("h3", {}, [url ? el("a", { href: url, text: card.title }) : card.title]),
      card.brand ? el("p", { class: "fw-meta", text: card.brand }) : null,
      el("p", { class: "fw-price", text: card.price_display }),
      el("span", { class: "fw-stock", "data-out": !card.in_stock, text: card.in_stock ? "In stock" : "Out of stock" }),
      el("div", { class: "fw-grow" }),
      select, add,
    ]);
  }

  function cartCard(card) {
    emit("cart", { lines: card.lines, total_display: card.total_display, checkout_url: card.checkout_url });
    var checkout = safeUrl(card.checkout_url);
    var lines = card.lines || [];
    return el("article", { class: "fw-card", "data-card": "cart" }, [
      el("div", { class: "fw-card-head" }, [el("h3", { text: "Your cart" }), el("span", { class: "fw-meta", text: lines.length + (lines.length === 1 ? " item" : " items") })]),
      lines.length ? el("ul", { class: "fw-rows" }, lines.map(function (line) {
        return el("li", {}, [el("span", { text: line.quantity + " × " + line.title + (line.label ? " (" + line.label + ")" : "") }), el("span", { text: line.price_display })]);
      })) : el("p", { class: "fw-meta", text: "Your cart is empty." }),
      lines.length ? el("div", { class: "fw-total" }, [el("span", { text: "Total" }), el("span", { text: card.total_display })]) : null,
      checkout ? el("a", { class: "fw-btn", href: checkout, text: "Go to checkout", onclick: function () { emit("checkout", { url: checkout }); } }) : null,
    ]);
  }

  function orderCard(card) {
    var tracking = card.tracking || [];
    return el("article", { class: "fw-card", "data-card": "order" }, [
      el("div", { class: "fw-card-head" }, [
        el("h3", { text: "Order " + card.order_number }),
        el("span", { class: "fw-status", "data-status": card.status, text: label(card.status) }),
      ]),
      el("p", { class: "fw-meta", text: "Placed " + card.placed_at }),
      el("ul", { class: "fw-rows" }, (card.lines || []).map(function (line) {
        return el("li", {}, [el("span", { text: line.quantity + " × " + line.title + (line.variant ? " (" + line.variant + ")" : "") }), el("span", { text: line.price_display })]);
      })),
      el("div", { class: "fw-total" }, [el("span", { text: "Total" }), el("span", { text: card.total_display })]),
      tracking.length ? el("ul", { class: "fw-rows" }, tracking.map(function (t) {
        var link = safeUrl(t.url);
        var what = t.carrier + " " + (t.numbers || []).join(", ");
        return el("li", {}, [link ? el("a", { href: link, target: "_blank", rel: "noopener noreferrer", text: what }) : el("span", { text: what }), el("span", { text: label(t.status) })]);
      })) : null,
    ]);
  }

  var TOOL_TITLES = {
    cancel_order: "Cancel order", change_order_address: "Change the delivery address",
    change_order_payment: "Change the payment method", change_order_items: "Change items",
    return_items: "Return items", exchange_items: "Exchange items", update_default_address: "Update your address",
  };
  var proposals = {};

  function proposalCard(p, live) {
    var status = el("span", { class: "fw-status", "data-status": p.status || "proposed", text: p.status === "proposed" || !p.status ? "Needs your OK" : label(p.status) });
    var note = el("p", { class: "fw-card-note", role: "status" });
    var open = live && (p.status || "proposed") === "proposed" && !(p.expires_at && Date.parse(p.expires_at) < Date.now());
    var confirm = el("button", { class: "fw-btn", type: "button", text: "Confirm", "data-action": "confirm" });
    var decline = el("button", { class: "fw-btn fw-ghost", type: "button", text: "Cancel", "data-action": "decline", "aria-label": "Cancel: change nothing" });
    var actions = el("div", { class: "fw-actions" }, [confirm, decline]);
    var answered = false;
    async function answer(yes) {
      if (answered) return; // one click, one request: the buttons are gone for good
      answered = true;
      confirm.disabled = decline.disabled = true;
      (yes ? confirm : decline).textContent = yes ? "Confirming…" : "Cancelling…";
      try {
        var result = await call("POST", convPath("/proposals/" + encodeURIComponent(p.proposal_id) + (yes ? "/confirm" : "/decline")));
        settle(result.proposal.status);
        emit("proposal", { proposal_id: p.proposal_id, status: result.proposal.status });
        if (result.message) {
          var msg = addMessage(result.message.role || "assistant", result.message.text, { id: result.message.id });
          if (msg && result.message.cards && result.message.cards.length) addCards(msg, result.message.cards, true);
        }
      } catch (err) {
        if (err.code === "network") {
          answered = false; // it may not have arrived; the server executes a proposal once anyway
          confirm.disabled = decline.disabled = false;
          confirm.textContent = "Confirm"; decline.textContent = "Cancel";
          note.dataset.kind = "bad";
          note.textContent = NETWORK;
        } else {
          settle(err.body.proposal_status || "closed", err.detail);
        }
      }
    }
    function settle(next, detail) {
      actions.remove();
      status.dataset.status = next;
      status.textContent = next === "executed" ? "Done" : label(next);
      note.dataset.kind = next === "executed" ? "good" : next === "failed" ? "bad" : "";
      note.textContent = detail || (next === "executed" ? "Done." : next === "declined" ? "Nothing was changed." : next === "expired" ? "This offer expired; nothing was changed." : next === "failed" ? "This could not be done; nothing was changed." : "");
    }
    confirm.addEventListener("click", function () { answer(true); });
    decline.addEventListener("click", function () { answer(false); });
    proposals[p.proposal_id] = function (next) { if (!answered) { answered = true; settle(next); } };
    var movements = p.movements || [];
    var card = el("article", { class: "fw-card fw-proposal", "data-card": "proposal", "data-proposal-id": p.proposal_id }, [
      el("div", { class: "fw-card-head" }, [el("h3", { text: (TOOL_TITLES[p.tool] || "Proposed change") + (p.order_number ? " " + p.order_number : "") }), status]),
      el("p", { text: p.summary }),
      (p.lines || []).length ? el("ul", { class: "fw-rows", "aria-label": "Items" }, p.lines.map(function (line) {
        return el("li", {}, [el("span", { text: line.quantity + " × " + line.title + (line.variant ? " (" + line.variant + ")" : "") }), el("span", { text: line.amount_display || "" })]);
      })) : null,
      (p.swaps || []).length ? el("ul", { class: "fw-rows", "aria-label": "Swaps" }, p.swaps.map(function (s) {
        return el("li", {}, [el("span", { text: (s.from || s.title || "") + " → " + (s.to || s.replacement || "") }), el("span", { text: s.amount_display || "" })]);
      })) : null,
      movements.length ? el("ul", { class: "fw-rows", "aria-label": "Money" }, movements.map(function (m) {
        var what = m.kind === "refund" ? "Refund to " : m.kind === "charge" ? "Charge to " : m.kind + ": ";
        return el("li", {}, [el("span", { text: what + m.method + (m.when ? " (" + m.when + ")" : "") }), el("span", { text: m.amount_display })]);
      })) : null,
      p.address_after ? el("p", { class: "fw-meta", text: "New address: " + formatAddress(p.address_after) }) : null,
      p.status_after ? el("p", { class: "fw-meta", text: "Order status afterwards: " + String(p.status_after).replace(/_/g, " ") }) : null,
      open ? actions : null,
      note,
    ]);
    if (!open && (p.status || "proposed") === "proposed") note.textContent = "No longer open.";
    return card;
  }
  function formatAddress(a) {
    if (typeof a === "string") return a;
    return ["line1", "line2", "city", "region", "postal_code", "country"].map(function (k) { return a[k]; }).filter(Boolean).join(", ");
  }

  // Add-to-cart from a card. The conversation API has no cart endpoint, so the widget asks the
  // assistant in words it resolves exactly: the product's title (which the assistant matches
  // among the products it showed last) and the options, sizes after "size". A card from an
  // earlier answer is shown again first, so the title cannot be matched to another product.
  function addToCart(card, variant, button) {
    var options = variant && variant.label ? variant.label.split(" / ").map(function (v, i) {
      return i === 0 && /^[A-Za-z]{1,3}$|^\d/.test(v) ? "size " + v : v;
    }).join(", ") : "";
    var text = "Add the " + card.title + (options ? " in " + options : "") + " to my cart";
    var done = function () { button.disabled = false; };
    button.disabled = true;
    emit("add_to_cart", { product_id: card.product_id, variant_id: variant && variant.variant_id });
    if (state.latestProducts.indexOf(card.product_id) >= 0) return send(text, { onDone: done });
    send("Show me the " + card.title, {
      onDone: function (ok) {
        if (ok && state.latestProducts.indexOf(card.product_id) >= 0) send(text, { onDone: done });
        else done();
      },
    });
  }

  // ------------------------------------------------------------------ the conversation

  function convPath(suffix) { return "/v1/conversations/" + encodeURIComponent(state.id) + (suffix || ""); }

  function ensureConversation() {
    if (state.id) return Promise.resolve();
    if (!state.starting) {
      state.starting = start(state.pendingToken).finally(function () { state.starting = null; });
    }
    return state.starting;
  }

  async function start(identityToken) {
    var saved = load();
    var body = { channel: "widget", session_id: saved.session || ("fw_" + Math.random().toString(36).slice(2, 14)) };
    save({ session: body.session_id });
    if (identityToken) body.identity_token = identityToken;
    var result;
    try {
      result = await call("POST", "/v1/conversations", body);
    } catch (err) {
      if (identityToken && err.code === "invalid_identity_token") {
        state.pendingToken = null;
        addMessage("system", "We couldn't confirm your sign-in, so this chat starts as a guest.");
        return start(null);
      }
      throw err;
    }
    state.id = result.conversation.id;
    state.token = result.token;
    state.status = result.conversation.status;
    state.sub = result.conversation.verified ? subjectOf(identityToken) : null;
    state.verified = result.conversation.verified;
    state.pendingToken = null;
    save({ id: state.id, token: state.token, sub: state.sub });
    (result.messages || []).forEach(function (m) { renderStored(m, false); });
    updateChrome();
    connectLive();
    emit("conversation", { id: state.id, verified: state.verified, restored: false });
  }

  async function restore() {
    var saved = load();
    if (!saved.id || !saved.token) return false;
    state.id = saved.id; state.token = saved.token; state.sub = saved.sub || null;
    try {
      var conv = await call("GET", convPath());
      var messages = [], batch, after = 0;
      do {
        batch = await call("GET", convPath("/messages?limit=200&after=" + after));
        messages = messages.concat(batch);
        after = batch.length ? batch[batch.length - 1].id : after;
      } while (batch.length === 200 && messages.length < 1000);
    } catch (err) {
      if (err.status === 404 || err.status === 401 || err.status === 403) {
        state.id = state.token = null;
        forget();
        return false;
      }
      throw err;
    }
    if (conv.status === "closed") {
      // An ended conversation stays ended: the next message starts a new one.
      state.id = state.token = null;
      forget();
      return false;
    }
    state.status = conv.status;
    state.verified = conv.verified;
    var lastAssistant = null;
    messages.forEach(function (m) { if (m.role === "assistant") lastAssistant = m.id; });
    var last = messages.length ? messages[messages.length - 1].id : null;
    messages.forEach(function (m) { renderStored(m, m.id === last && m.id === lastAssistant); });
    if (conv.status === "waiting_for_human") showBanner("Waiting for a member of our team. You can keep writing; they'll see your messages.");
    if (conv.status === "with_human") showBanner("You're talking with a member of our team.");
    updateChrome();
    connectLive();
    emit("conversation", { id: state.id, verified: state.verified, restored: true });
    return true;
  }

  function renderStored(m, live) {
    var node = addMessage(m.role === "staff" ? "staff" : m.role === "user" ? "user" : m.role === "system" ? "system" : "assistant", m.text, { id: m.id });
    if (node && m.cards && m.cards.length) addCards(node, m.cards, live);
  }

  function submit() {
    var text = ui.input.value.trim();
    if (!text || state.busy) return;
    ui.input.value = "";
    grow();
    send(text);
  }

  async function send(text, opts) {
    opts = opts || {};
    if (state.busy) { if (opts.onDone) opts.onDone(false); return; }
    setBusy(true);
    var node = null, bubble = null, streamed = "", finished = false, cards = [], again = false;
    try {
      await ensureConversation();
      if (!opts.again) { addMessage("user", text); emit("message", { text: text }); }
      var res = await call("POST", convPath("/messages"), { text: text }, { stream: true });
      for await (var ev of events(res)) {
        var d = ev.data;
        if (ev.type === "text_delta") {
          if (!node) {
            node = addMessage("assistant", "");
            node.classList.add("fw-streaming");
            bubble = node.querySelector(".fw-bubble");
          }
          streamed += d.text;
          bubble.textContent = streamed;
          ui.activity.textContent = "";
          scrollDown();
        } else if (ev.type === "tool_call") {
          ui.activity.textContent = (TOOL_LABELS[d.name] || "Working on it") + "…";
        } else if (ev.type === "tool_result") {
          if (d.error === "verification_required" && !state.verified) {
            state.askAfterVerify = text;
            showVerify(false);
          }
        } else if (ev.type === "cards") {
          cards = cards.concat(d.cards || []);
        } else if (ev.type === "confirmation_request") {
          cards.push(Object.assign({ type: "proposal" }, d.proposal));
        } else if (ev.type === "verification") {
          if (d.status === "verified") setVerified(d.via);
        } else if (ev.type === "handoff") {
          onHandoff(d);
        } else if (ev.type === "notice") {
          addMessage("system", d.text);
        } else if (ev.type === "done") {
          finished = true;
          if (d.user_message_id) { state.shown[d.user_message_id] = true; state.lastId = Math.max(state.lastId, d.user_message_id); }
          var finalText = d.text || streamed;
          if (d.message_id && (finalText || cards.length)) {
            if (!node) node = addMessage("assistant", finalText, { id: d.message_id });
            else {
              node.classList.remove("fw-streaming");
              richText(bubble, finalText);
              state.shown[d.message_id] = true;
              state.lastId = Math.max(state.lastId, d.message_id);
              addFeedback(node, d.message_id);
            }
            if (cards.length) addCards(node, cards, true);
            emit("reply", { message_id: d.message_id, text: finalText });
          } else if (node) {
            node.remove();
          }
        } else if (ev.type === "error") {
          finished = true;
          if (node) node.remove();
          addError(explain(new ApiError(d.error, d.detail)), retryOf(text, opts));
        }
      }
      if (!finished) {
        if (node) node.classList.remove("fw-streaming");
        addError(new ApiError("stream_cut", "The reply was cut off before it finished. Please try again."), retryOf(text, opts));
      }
    } catch (err) {
      if (node) node.remove();
      finished = false;
      if (!(err instanceof ApiError)) err = new ApiError("network", NETWORK, 0); // stream broke
      if ((err.code === "conversation_not_found" || err.code === "conversation_closed") && !opts.fresh) {
        // The conversation is gone or has ended: start a new one and ask again, once.
        disconnectLive();
        state.id = state.token = null;
        state.verified = false;
        forget();
        addMessage("system", "That conversation had ended, so this is a new one.");
        again = true;
      } else {
        if (!state.id && !opts.again && !ui.input.value) ui.input.value = text; // not sent: keep it
        addError(explain(err), err.code === "network" ? retryOf(text, opts) : null);
      }
    } finally {
      setBusy(false);
      if (!again && opts.onDone) opts.onDone(finished);
    }
    if (again) return send(text, Object.assign({}, opts, { fresh: true, again: true }));
  }
  function retryOf(text, opts) {
    return function () { send(text, Object.assign({}, opts, { again: true })); };
  }

  function explain(err) {
    if (!(err instanceof ApiError)) return new ApiError("internal", NETWORK);
    if (err.code === "origin_not_allowed") {
      console.error("Floorwalker: this page's origin is not allowed for the widget key. Add " + location.origin + " to the key's allowed origins.");
      return new ApiError(err.code, "The assistant isn't enabled on this website yet.");
    }
    if (err.code === "invalid_credentials" || err.code === "missing_credentials") {
      console.error("Floorwalker: the widget key was not accepted (" + err.code + ").");
      return new ApiError(err.code, "The assistant isn't set up correctly on this page.");
    }
    if (err.status === 429) {
      var wait = err.retryAfter ? " Please wait about " + Math.ceil(err.retryAfter) + " seconds." : "";
      return new ApiError(err.code, "You're sending messages quickly." + wait);
    }
    return err;
  }

  function setVerified(via) {
    var was = state.verified;
    state.verified = true;
    if (state.pendingSub) { state.sub = state.pendingSub; state.pendingSub = null; save({ sub: state.sub }); }
    ui.verify.hidden = true;
    updateChrome();
    if (!was) {
      addMessage("system", "You're verified — I can help with your orders now.");
      emit("verified", { via: via || null });
    }
  }

  function updateChrome() {
    ui.verifyLink.hidden = state.verified;
    var handing = state.status === "waiting_for_human" || state.status === "with_human";
    ui.human.disabled = handing;
    ui.human.textContent = handing ? (state.status === "with_human" ? "With our team" : "Team notified") : "Talk to a human";
  }

  function showBanner(text, kind) {
    ui.banner.hidden = !text;
    ui.banner.textContent = text || "";
    if (kind) ui.banner.dataset.kind = kind; else delete ui.banner.dataset.kind;
  }

  function onHandoff(d) {
    var status = d.status === "waiting" ? "waiting_for_human" : d.status === "active" ? "with_human" : "open";
    var key = d.handoff_id + ":" + d.status;
    if (state.handoff === key) return;
    state.handoff = key;
    state.status = status;
    if (d.text) addMessage("system", d.text);
    showBanner(status === "waiting_for_human" ? "Waiting for a member of our team. You can keep writing; they'll see your messages."
      : status === "with_human" ? "You're talking with a member of our team." : "", status === "with_human" ? "ok" : null);
    updateChrome();
    emit("handoff", { status: d.status, handoff_id: d.handoff_id });
  }

  async function talkToHuman() {
    ui.human.disabled = true;
    try {
      await ensureConversation();
      var handoff = await call("POST", convPath("/handoff"));
      onHandoff({ handoff_id: handoff.id, status: handoff.status, text: "We've asked a member of our team to join. They'll reply here." });
    } catch (err) {
      addError(explain(err), err.code === "network" ? talkToHuman : null);
      updateChrome();
    }
  }

  // The live stream: staff replies and handoff changes as they happen (fetch-based SSE, since
  // EventSource cannot send the key). Reconnects with a growing pause; catches up on reconnect.
  async function connectLive() {
    if (state.live || !state.id) return;
    var controller = new AbortController();
    state.live = controller;
    var pause = 1000, id = state.id;
    while (state.live === controller && state.id === id) {
      try {
        var res = await call("GET", convPath("/events"), undefined, { stream: true, signal: controller.signal });
        pause = 1000;
        await catchUp();
        for await (var ev of events(res)) onLive(ev);
      } catch (err) {
        if (err && err.name === "AbortError") return;
        if (err && (err.status === 404 || err.status === 401 || err.status === 403)) break;
      }
      await sleep(pause);
      pause = Math.min(pause * 2, 30000);
    }
    if (state.live === controller) state.live = null;
  }
  function disconnectLive() {
    if (state.live) { state.live.abort(); state.live = null; }
  }
  async function catchUp() {
    if (!state.lastId || state.busy) return;
    var newer = await call("GET", convPath("/messages?after=" + state.lastId));
    newer.forEach(function (m) { renderStored(m, false); });
  }
  function onLive(ev) {
    var d = ev.data;
    if (ev.type === "staff_message") {
      if (addMessage("staff", d.text, { id: d.message_id })) emit("staff_message", { text: d.text });
    } else if (ev.type === "handoff") {
      onHandoff(d);
    } else if (ev.type === "proposal_update") {
      var settle = d.proposal && proposals[d.proposal.proposal_id];
      if (settle && d.proposal.status !== "proposed") settle(d.proposal.status);
    } else if (ev.type === "verification" && d.status === "verified") {
      if (!state.busy) setVerified(d.via);
    } else if (ev.type === "done" && !state.busy) {
      catchUp().catch(function () { /* the next event or reconnect catches up */ });
    }
  }

  // ------------------------------------------------------------------ panel and public API

  async function open() {
    if (!ui.panel.hidden) return;
    ui.panel.hidden = false;
    ui.launcher.setAttribute("aria-expanded", "true");
    save({ open: true });
    ui.input.focus();
    emit("open");
    if (!state.id) {
      try {
        await ensureConversation();
      } catch (err) {
        addError(explain(err), err.code !== "network" ? null : function () {
          ensureConversation().catch(function (e) { addError(explain(e)); });
        });
      }
    }
  }
  function close() {
    if (ui.panel.hidden) return;
    ui.panel.hidden = true;
    ui.launcher.setAttribute("aria-expanded", "false");
    save({ open: false });
    ui.launcher.focus();
    emit("close");
  }

  async function identify(token) {
    token = (token || "").trim();
    if (!token) throw new Error("Floorwalker.identify needs the identity token your site signed");
    var sub = subjectOf(token);
    if (state.restored) await state.restored;
    if (!state.id) {
      if (state.starting) await state.starting.catch(function () {});
      if (!state.id) { state.pendingToken = token; return { status: "pending" }; }
    }
    if (state.verified && sub && state.sub === sub) return { status: "verified" };
    if (state.verified && state.sub) {
      // Someone else is signed in now: their conversation starts afresh.
      await reset(token);
      return { status: state.verified ? "verified" : "failed" };
    }
    try {
      state.pendingSub = sub;
      var result = await call("POST", convPath("/verify"), { identity_token: token });
      if (result.status === "verified") setVerified("token");
      return { status: result.status, detail: result.detail };
    } catch (err) {
      if (err.code === "identity_mismatch") {
        await reset(token);
        return { status: state.verified ? "verified" : "failed" };
      }
      addError(explain(err));
      return { status: "failed", detail: err.detail };
    }
  }

  async function reset(token) {
    disconnectLive();
    forget();
    Object.keys(proposals).forEach(function (k) { delete proposals[k]; });
    state.id = state.token = state.sub = null;
    state.verified = false; state.status = "open"; state.lastId = 0; state.shown = {}; state.handoff = null;
    state.pendingToken = token || null;
    ui.log.textContent = "";
    showBanner("");
    updateChrome();
    if (!ui.panel.hidden || token) {
      try { await ensureConversation(); } catch (err) { addError(explain(err)); }
    }
  }

  function init() {
    if (!cfg.key) {
      console.error("Floorwalker: add data-key=\"fw_pk_…\" (the store's publishable key) to the widget's script tag.");
      return;
    }
    build();
    updateChrome();
    var wasOpen = load().open;
    state.restored = restore().catch(function (err) { addError(explain(err)); }).then(function () {
      if (cfg.open || wasOpen) open();
    });
    emit("ready", { version: VERSION });
  }

  var api = {
    version: VERSION,
    open: open, close: close,
    toggle: function () { return ui.panel && ui.panel.hidden ? open() : close(); },
    send: function (text) { open(); return send(String(text)); },
    identify: identify,
    reset: function () { return reset(null); },
    get conversationId() { return state.id; },
  };
  window.Floorwalker = api;
  if (document.body) init(); else document.addEventListener("DOMContentLoaded", init);
  queued.forEach(function (entry) { try { api[entry[0]].apply(api, entry[1] || []); } catch (e) { console.error(e); } });
})();
