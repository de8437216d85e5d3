// Store policy: the rules order services enforce and the assistant quotes, edited as data.
import { api, errorBox, h, header } from "../lib.js";
import { can } from "../widgets.js";

const LIST_FIELDS = [
  ["cancel_reasons", "Accepted cancellation reasons (one per line)"],
  ["cancellable_statuses", "Statuses in which orders can be cancelled"],
  ["modifiable_statuses", "Statuses in which orders can be changed"],
  ["returnable_statuses", "Statuses in which items can be returned"],
  ["exchangeable_statuses", "Statuses in which items can be exchanged"],
];

export async function render(root) {
  const store = await api.get("/v1/store");
  const policy = store.policy;
  const preview = h("div", { class: "notice", style: "white-space:pre-wrap", id: "policy-text" });
  const status = h("div");
  const inputs = {};
  const fields = LIST_FIELDS.map(([key, label]) => {
    inputs[key] = h("textarea", { id: `p-${key}`, style: "min-height:80px" });
    inputs[key].value = (policy[key] || []).join("\n");
    return h("div", {}, h("label", { for: `p-${key}` }, label), inputs[key]);
  });
  const windowDays = h("input", { id: "p-window", type: "number", min: "0", value: policy.return_window_days ?? "" });
  const maxMods = h("input", { id: "p-mods", type: "number", min: "0", value: policy.max_item_modifications });
  const destOriginal = h("input", { type: "checkbox", id: "p-dest-original", style: "width:auto" });
  const destGift = h("input", { type: "checkbox", id: "p-dest-gift", style: "width:auto" });
  destOriginal.checked = policy.return_refund_destinations.includes("original");
  destGift.checked = policy.return_refund_destinations.includes("gift_card");

  async function showText() {
    const { text } = await api.get("/v1/store/policy/text");
    preview.textContent = text;
  }
  async function save(event) {
    event.preventDefault();
    status.replaceChildren();
    const next = { ...policy };
    for (const [key] of LIST_FIELDS) next[key] = inputs[key].value.split("\n").map((s) => s.trim()).filter(Boolean);
    next.return_window_days = windowDays.value === "" ? null : Number(windowDays.value);
    next.max_item_modifications = Number(maxMods.value);
    next.return_refund_destinations = [destOriginal.checked && "original", destGift.checked && "gift_card"].filter(Boolean);
    try {
      const saved = await api.patch("/v1/store", { policy: next });
      Object.assign(policy, saved.policy);
      status.replaceChildren(h("div", { class: "notice" }, "Saved. The assistant quotes the new policy from now on."));
      await showText();
    } catch (err) {
      status.replaceChildren(errorBox(err));
    }
  }
  root.replaceChildren(
    ...header("Policy", "What the order services enforce — and, word for word, what the assistant tells shoppers."),
    h("div", { class: "grid two" },
      h("form", { class: "panel", onsubmit: save },
        h("h2", {}, "Rules"),
        ...fields,
        h("div", { class: "row" },
          h("div", {}, h("label", { for: "p-window" }, "Return window (days after delivery; empty = no limit)"), windowDays),
          h("div", {}, h("label", { for: "p-mods" }, "Item changes allowed per order"), maxMods),
        ),
        h("label", {}, "Refunds for returns may go to"),
        h("div", { class: "row" },
          h("label", { class: "shrink" }, destOriginal, " the original payment method"),
          h("label", { class: "shrink" }, destGift, " a gift card"),
        ),
        // Changing the policy takes an admin or the owner; others read it.
        can("admin")
          ? h("div", { style: "margin-top:14px" }, h("button", { type: "submit", id: "save-policy" }, "Save policy"))
          : h("p", { class: "muted", id: "policy-read-only" }, "Only an admin or the owner can change the policy."),
        status,
      ),
      h("div", { class: "panel" }, h("h2", {}, "What shoppers are told"), preview),
    ),
  );
  await showText();
}
