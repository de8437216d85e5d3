// Shared helpers for console pages: the API client, session, formatting, small widgets.

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.detail || `HTTP ${status}`);
    this.status = status;
    this.code = body?.error || "http_error";
    this.detail = body?.detail || `HTTP ${status}`;
    this.body = body;
  }
}

export const session = {
  user: null,
  csrf: null,
  async ensure() {
    if (this.user && this.csrf) return true;
    try {
      const data = await request("GET", "/v1/staff/session");
      this.user = data.user;
      this.csrf = data.csrf_token;
      return true;
    } catch (err) {
      if (err instanceof ApiError && (err.status === 401 || err.status === 403)) return false;
      throw err;
    }
  },
  set(data) {
    this.user = data.user;
    this.csrf = data.csrf_token;
  },
  clear() {
    this.user = null;
    this.csrf = null;
  },
};

async function request(method, path, body) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && session.csrf) headers["X-CSRF-Token"] = session.csrf;
  const response = await fetch(path, {
    method,
    headers,
    credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 204) return null;
  const type = response.headers.get("content-type") || "";
  const data = type.includes("json") ? await response.json() : await response.text();
  if (!response.ok) throw new ApiError(response.status, typeof data === "object" ? data : { detail: data });
  return data;
}

export const api = {
  get: (path) => request("GET", path),
  post: (path, body) => request("POST", path, body ?? {}),
  put: (path, body) => request("PUT", path, body ?? {}),
  patch: (path, body) => request("PATCH", path, body ?? {}),
  del: (path) => request("DELETE", path),
};

// DOM helper: h("div", {class: "x", onclick: fn}, child, "text", ...)
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key === "class") el.className = value;
    else if (key === "html") el.innerHTML = value;
    else el.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function header(title, subtitle) {
  return [h("h1", {}, title), subtitle ? h("p", { class: "subtitle" }, subtitle) : null];
}

export function table(columns, rows, { onRowClick, empty = "Nothing here yet." } = {}) {
  if (!rows.length) return h("div", { class: "empty" }, empty);
  const head = h("tr", {}, columns.map((c) => h("th", { class: c.num ? "num" : null }, c.label)));
  const body = rows.map((row) =>
    h(
      "tr",
      { class: onRowClick ? "clickable" : null, onclick: onRowClick ? () => onRowClick(row) : null },
      columns.map((c) => {
        const value = c.render ? c.render(row) : row[c.key];
        return h("td", { class: c.num ? "num" : null }, value ?? "");
      }),
    ),
  );
  return h("table", {}, h("thead", {}, head), h("tbody", {}, body));
}

export function money(minor, currency) {
  if (minor === null || minor === undefined) return "";
  const digits = ["JPY", "KRW", "VND", "CLP", "ISK"].includes(currency) ? 0 : 2;
  try {
    return new Intl.NumberFormat(undefined, { style: "currency", currency }).format(minor / 10 ** digits);
  } catch {
    return `${(minor / 10 ** digits).toFixed(digits)} ${currency}`;
  }
}

export function when(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  return d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

export function pct(x) {
  return x === null || x === undefined ? "–" : `${(x * 100).toFixed(1)}%`;
}

export function pill(text, kind) {
  return h("span", { class: `pill ${kind || ""}` }, text);
}

export function errorBox(err) {
  return h("div", { class: "error" }, err instanceof ApiError ? `${err.detail} (${err.code})` : String(err));
}

export function chart(canvas, config) {
  // Chart.js is loaded globally from /static/vendor; pages degrade to tables if it is missing.
  if (!window.Chart) return null;
  return new window.Chart(canvas, {
    ...config,
    options: { responsive: true, maintainAspectRatio: false, animation: false, ...(config.options || {}) },
  });
}
