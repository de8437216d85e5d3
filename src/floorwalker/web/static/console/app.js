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
  { path: "policy", title: "Policy", module: "./pages/policy.js" },
  { path: "knowledge", title: "Knowledge", module: "./pages/knowledge.js" },
  { path: "keys", title: "API keys", module: "./pages/keys.js", scope: "admin" },
  { path: "staff", title: "Staff", module: "./pages/staff.js", scope: "admin" },
  { path: "privacy", title: "Privacy requests", module: "./pages/privacy.js", scope: "admin" },
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

// Each navigation renders into its own view; a page still loading when the staff member moves
// on keeps writing into its detached view, never over the page they went to.
let current = 0;

async function route() {
  const seq = ++current;
  const path = (location.hash.replace(/^#\/?/, "") || "dashboard").split("?")[0];
  const [name, ...rest] = path.split("/");
  if (!(await session.ensure())) {
    if (seq === current) await showSignIn();
    return;
  }
  if (seq !== current) return;
  sidebar.hidden = false;
  if (can("write")) {
    staffStream.start();
    badges.refresh();
  }
  document.getElementById("who").textContent = `${session.user.email} · ${session.user.role}`;
  const page = PAGES.find((p) => p.path === name) || PAGES[0];
  renderNav(page.path);
  document.title = `${page.title} · Floorwalker`;
  const view = document.createElement("div");
  view.className = "view";
  view.innerHTML = `<p class="muted">Loading…</p>`;
  main.replaceChildren(view);
  try {
    const mod = await import(page.module);
    await mod.render(view, { params: rest, query: new URLSearchParams(location.hash.split("?")[1] || "") });
  } catch (err) {
    if (seq !== current) return;
    if (err instanceof ApiError && err.status === 401) {
      session.clear();
      await showSignIn("Your session has ended; sign in again.");
      return;
    }
    const box = document.createElement("div");
    box.className = "panel error";
    box.textContent = err instanceof ApiError ? `${err.detail} (${err.code})` : String(err);
    view.replaceChildren(box);
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
