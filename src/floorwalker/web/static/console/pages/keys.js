// API keys: list, create (shown once), revoke.
import { api, errorBox, h, header, pill, table, when } from "../lib.js";

export async function render(root) {
  const keys = await api.get("/v1/keys");
  const created = h("div");
  const name = h("input", { placeholder: "e.g. shopify-sync", id: "key-name" });
  const kind = h("select", { id: "key-kind" },
    h("option", { value: "secret:read" }, "Secret · read"),
    h("option", { value: "secret:write" }, "Secret · write (integrations)"),
    h("option", { value: "secret:admin" }, "Secret · admin"),
    h("option", { value: "publishable" }, "Publishable (storefront widget)"),
  );
  const origins = h("input", { placeholder: "https://shop.example (publishable keys)", id: "key-origins" });
  const status = h("div");

  async function create(event) {
    event.preventDefault();
    status.replaceChildren();
    const [k, scope] = kind.value.split(":");
    const body = { name: name.value.trim() || "console", kind: k === "publishable" ? "publishable" : "secret" };
    if (scope) body.scopes = [scope];
    const list = origins.value.split(/[\s,]+/).filter(Boolean);
    if (list.length) body.allowed_origins = list;
    try {
      const key = await api.post("/v1/keys", body);
      created.replaceChildren(
        h("div", { class: "notice" }, "Copy this key now — it will not be shown again."),
        h("div", { class: "secret", id: "new-key" }, key.key),
      );
      await refresh();
    } catch (err) {
      status.replaceChildren(errorBox(err));
    }
  }

  const listBox = h("div");
  function drawList(items) {
    listBox.replaceChildren(
      table(
        [
          { label: "Name", key: "name" },
          { label: "Kind", render: (k) => pill(k.kind, k.kind === "publishable" ? "ok" : "") },
          { label: "Scopes", render: (k) => k.scopes.join(", ") },
          { label: "Key", render: (k) => `${k.prefix}…` },
          { label: "Created", render: (k) => when(k.created_at) },
          {
            label: "",
            render: (k) =>
              k.revoked_at
                ? pill(`revoked ${when(k.revoked_at)}`, "bad")
                : h("button", { class: "secondary", onclick: () => revoke(k) }, "Revoke"),
          },
        ],
        items,
        { empty: "No keys yet." },
      ),
    );
  }
  async function refresh() {
    drawList(await api.get("/v1/keys"));
  }
  async function revoke(key) {
    if (!confirm(`Revoke "${key.name}"? It stops working immediately.`)) return;
    await api.del(`/v1/keys/${key.id}`);
    await refresh();
  }

  root.replaceChildren(
    ...header("API keys", "Secret keys are for servers; publishable keys go in the storefront widget."),
    h("form", { class: "panel", onsubmit: create },
      h("h2", {}, "New key"),
      h("div", { class: "row" },
        h("div", {}, h("label", { for: "key-name" }, "Name"), name),
        h("div", {}, h("label", { for: "key-kind" }, "Kind"), kind),
        h("div", {}, h("label", { for: "key-origins" }, "Allowed origins"), origins),
        h("div", { class: "shrink" }, h("button", { type: "submit" }, "Create key")),
      ),
      status,
      created,
    ),
    h("div", { class: "panel" }, listBox),
  );
  drawList(keys);
}
