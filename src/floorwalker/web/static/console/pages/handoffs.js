// Handoff inbox: conversations the assistant handed to people. Take one over, reply live (the
// shopper sees it in the widget at once), watch the shopper's new messages arrive, hand back.
import { api, ApiError, errorBox, h, header, session, when } from "../lib.js";
import { badges, can, failure, label, loading, pageLink, staffName, staffStream, statusPill, tabs } from "../widgets.js";

const TABS = [
  { key: "waiting", label: "Waiting" },
  { key: "active", label: "Active" },
  { key: "closed", label: "Closed" },
];
// Closed handoffs shown (newest first).
const CLOSED_SHOWN = 100;

let unsubscribe = null;

export async function render(root, { params, query }) {
  unsubscribe?.();
  unsubscribe = null;
  const intro = header("Handoff inbox", "Conversations waiting for a person. Take one over and reply: the shopper sees your message in the chat at once.");
  if (!can("write")) {
    root.replaceChildren(...intro, h("div", { class: "notice", id: "no-inbox" },
      "Handling conversations needs the agent, admin or owner role. ",
      h("a", { href: pageLink("conversations", { handoff: "yes" }) }, "Read handed-off conversations"), " instead."));
    return;
  }
  const state = { status: query.get("status") || "waiting", selected: params[0] ? Number(params[0]) : null, items: [], counts: null };
  const tabBox = h("div");
  const listBox = h("div", { class: "inbox-list", id: "inbox-list" }, loading());
  const detailBox = h("div", { class: "inbox-detail", id: "handoff-detail" });
  root.replaceChildren(...intro, tabBox, h("div", { class: "inbox" }, listBox, detailBox));

  async function loadCounts() {
    state.counts = await api.get("/v1/console/badges");
    badges.set(state.counts.waiting);
    const counted = TABS.map((t) => ({ ...t, count: t.key === "closed" ? undefined : state.counts[t.key] }));
    tabBox.replaceChildren(tabs(counted, state.status, (key) => {
      location.hash = pageLink("handoffs", { status: key });
    }));
  }

  async function loadList() {
    let items = [];
    let cursor = null;
    do {
      const page = await api.get(`/v1/handoffs?status=${state.status}&limit=500${cursor ? `&cursor=${cursor}` : ""}`);
      items = items.concat(page.items);
      cursor = page.next_cursor;
    } while (cursor && state.status === "closed" && items.length < 5000);
    if (state.status === "closed") items = items.reverse().slice(0, CLOSED_SHOWN);
    state.items = items;
    listBox.replaceChildren(
      ...(items.length
        ? items.map((x) => h("a", {
          class: `inbox-item ${x.id === state.selected ? "selected" : ""}`,
          href: `#/handoffs/${x.id}?status=${state.status}`,
          "data-handoff": x.id,
        },
        h("div", { class: "panel-head" }, h("strong", {}, label(x.reason)), h("span", { class: "muted small-text" }, when(x.created_at))),
        h("div", { class: "inbox-summary" }, firstLine(x.summary)),
        x.assigned_to ? h("div", { class: "muted small-text" }, `Handled by ${staffName(x.assigned_to)}`) : null,
        ))
        : [h("div", { class: "empty" }, {
          waiting: "Nobody is waiting. New handoffs appear here at once.",
          active: "No conversation is being handled right now.",
          closed: "No handoff has been closed yet.",
        }[state.status])]),
    );
  }

  async function loadDetail() {
    if (!state.selected) {
      detailBox.replaceChildren(h("div", { class: "panel empty" }, state.items.length ? "Choose a conversation on the left." : ""));
      return;
    }
    const x = await api.get(`/v1/handoffs/${state.selected}`);
    // Read the draft only now, just before the swap: words typed while the request was in
    // flight are kept, and so is the focus of someone typing when a live update lands.
    const typing = detailBox.querySelector("#reply-text");
    const keepDraft = typing?.value || "";
    const focused = typing !== null && document.activeElement === typing;
    detailBox.replaceChildren(detail(x, keepDraft));
    if (focused) detailBox.querySelector("#reply-text")?.focus();
    const log = detailBox.querySelector("#live-messages");
    if (log) log.scrollTop = log.scrollHeight;
  }

  async function refresh({ list = true, detail = true } = {}) {
    try {
      await loadCounts();
      if (list) await loadList();
      if (detail) await loadDetail();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) throw err;
      detailBox.replaceChildren(failure(err, () => refresh()));
    }
  }

  async function act(button, work, then) {
    button.disabled = true;
    const status = detailBox.querySelector("#action-status");
    status?.replaceChildren();
    try {
      await work();
      if (then && then !== state.status) location.hash = `#/handoffs/${state.selected}?status=${then}`;
      else await refresh();
    } catch (err) {
      button.disabled = false;
      (detailBox.querySelector("#action-status") || detailBox).replaceChildren(errorBox(err));
    }
  }

  function detail(x, draft) {
    const transcript = x.transcript.map((m) => bubble(m.role, m.text, m.author, m.created_at));
    const since = x.messages.map((m) => bubble(m.role, m.text, m.author, m.created_at, m.id));
    const mine = x.assigned_to === `staff:${session.user.id}`;
    const actions = [];
    const status = h("div", { id: "action-status" });
    if (x.status === "waiting") {
      const take = h("button", { id: "take-over", onclick: () => act(take, () => api.post(`/v1/handoffs/${x.id}/take`), "active") }, "Take over");
      actions.push(take);
    }
    let composer = null;
    if (x.status === "active") {
      const text = h("textarea", { id: "reply-text", placeholder: "Write to the shopper…", rows: "3" });
      text.value = draft;
      const send = h("button", { type: "submit", id: "send-reply" }, "Send");
      composer = h("form", {
        class: "composer",
        onsubmit: (event) => {
          event.preventDefault();
          const value = text.value.trim();
          if (!value) return;
          act(send, async () => {
            await api.post(`/v1/handoffs/${x.id}/reply`, { text: value });
            text.value = "";
          });
        },
      }, text, h("div", { class: "toolbar" }, send, h("span", { class: "muted small-text" }, "Enter sends · Shift+Enter for a new line")));
      text.addEventListener("keydown", (event) => {
        if (event.key === "Enter" && !event.shiftKey) {
          event.preventDefault();
          composer.requestSubmit();
        }
      });
      const back = h("button", { class: "secondary", id: "hand-back", onclick: () => act(back, () => api.post(`/v1/handoffs/${x.id}/hand-back`), "closed") }, "Hand back to the assistant");
      actions.push(back);
    }
    return h("div", { class: "panel", "data-handoff-status": x.status },
      h("div", { class: "panel-head" },
        h("div", {},
          h("h2", { style: "margin:0" }, label(x.reason)),
          h("div", { class: "muted small-text" },
            `Handed over ${when(x.created_at)}`,
            x.assigned_to ? ` · handled by ${mine ? "you" : staffName(x.assigned_to)}` : "",
            x.closed_at ? ` · closed ${when(x.closed_at)}` : "",
          ),
        ),
        h("div", { class: "toolbar", style: "margin:0" }, statusPill(x.status), ...actions),
      ),
      status,
      x.summary ? h("div", { class: "notice pre", id: "handoff-summary" }, x.summary) : null,
      h("details", { class: "earlier" },
        h("summary", {}, `The conversation before the handoff (${transcript.length} messages)`),
        h("div", { class: "transcript" }, transcript),
      ),
      h("h2", { class: "since" }, "Since the handoff"),
      h("div", { class: "transcript live", id: "live-messages", "aria-live": "polite" },
        since.length ? since : h("div", { class: "empty" }, "No new messages yet; the shopper's arrive here as they write.")),
      composer,
      x.status === "closed" ? h("p", { class: "muted" }, "Closed: the assistant answers this shopper again.") : null,
      h("p", { class: "small-text" }, h("a", { href: `#/conversations/${x.conversation_id}` }, "Full transcript with the assistant's tool activity →")),
    );
  }

  unsubscribe = staffStream.on((type, data) => {
    if (!document.getElementById("handoff-detail")) {
      unsubscribe?.();
      return;
    }
    if (type === "handoff") refresh({ detail: data.handoff_id === state.selected });
    else refresh({ list: false });
  });
  await refresh();
}

function bubble(role, text, author, createdAt, id) {
  const who = { user: "Shopper", assistant: "Assistant", staff: staffName(author), system: "" }[role] ?? role;
  return h("div", { class: `bubble ${role}`, "data-role": role, "data-message-id": id ?? null },
    who ? h("span", { class: "meta" }, `${who} · ${when(createdAt)}`) : null,
    text,
  );
}

function firstLine(summary) {
  const line = (summary || "").split("\n").find((l) => l.trim()) || "";
  return line.length > 140 ? `${line.slice(0, 140)}…` : line;
}
