// Floorwalker staff console: a small hash-routed app over the JSON API (no build step).
import { api, ApiError, session } from "./lib.js";
import { badges, can, staffStream } from "./widgets.js";

// Pages register here: path -> { title, load: () => import(module), roles }.
const PAGES = [
  { path: "dashboard", title: "Dashboard", module: "./pages/dashboard.js" },
  { path: "handoffs", title: "Handoff inbox", module: "./pages/handoffs.js", badge: "handoffs", scope: "write" },
  { path: "conversations", title: "Conversations", module: "./pages/conversations.js" },
  { path: "inventory", title: "Inventory & alerts", module: "./pages/inventory.js" },
  { path: "forecasts", title: "Forecasts", module: "./pages/forecasts.js" },
  { path: "lost-demand", title: "Lost demand", module: "./pages/lost_demand.js" },
  { path: "privacy", title: "Privacy requests", module: "./pages/privacy.js" },
  { path: "policy", title: "Policy", module: "./pages/policy.js" },
  { path: "knowledge", title: "Knowledge", module: "./pages/knowledge.js" },
  { path: "keys", title: "API keys", module: "./pages/keys.js", scope: "admin" },
  { path: "staff", title: "Staff", module: "./pages/staff.js", scope: "admin" },
];

const main = document.getElementById("main");
const sidebar = document.querySelector(".sidebar");
const nav = document.getElementById("nav");

function renderNav(active) {
  nav.innerHTML = "";
  for (const page of PAGES) {
    if (page.scope && !can(page.scope)) continue; // the server refuses anyway; do not offer it
    const a = document.createElement("a");
    a.href = `#/${page.path}`;
    a.textContent = page.title;
    a.dataset.path = page.path;
    if (page.path === active) a.classList.add("active");
    if (page.badge) a.appendChild(badges.element(page.badge));
    nav.appendChild(a);
  }
}

async function showSignIn(message) {
  sidebar.hidden = true;
  const mod = await import("./pages/signin.js");
  await mod.render(main, { message, onSignedIn: () => route() });
}

async function route() {
  const path = (location.hash.replace(/^#\/?/, "") || "dashboard").split("?")[0];
  const [name, ...rest] = path.split("/");
  if (!(await session.ensure())) {
    await showSignIn();
    return;
  }
  sidebar.hidden = false;
  if (can("write")) {
    staffStream.start();
    badges.refresh();
  }
  document.getElementById("who").textContent = `${session.user.email} · ${session.user.role}`;
  const page = PAGES.find((p) => p.path === name) || PAGES[0];
  renderNav(page.path);
  document.title = `${page.title} · Floorwalker`;
  main.innerHTML = `<p class="muted">Loading…</p>`;
  try {
    const mod = await import(page.module);
    await mod.render(main, { params: rest, query: new URLSearchParams(location.hash.split("?")[1] || "") });
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      session.clear();
      await showSignIn("Your session has ended; sign in again.");
      return;
    }
    main.innerHTML = "";
    const box = document.createElement("div");
    box.className = "panel error";
    box.textContent = err instanceof ApiError ? `${err.detail} (${err.code})` : String(err);
    main.appendChild(box);
  }
}

document.getElementById("sign-out").addEventListener("click", async () => {
  try {
    await api.post("/v1/staff/sign-out");
  } finally {
    staffStream.stop();
    session.clear();
    location.hash = "#/dashboard";
    await showSignIn("Signed out.");
  }
});

window.addEventListener("hashchange", route);
route();
