// Knowledge: the policy pages and FAQ the assistant answers from. List, write, edit, publish
// or unpublish (an unpublished article is kept but the assistant no longer uses it).
import { api, ApiError, errorBox, h, header, pill, table, when } from "../lib.js";
import { can, failure, loading, pageLink, tabs } from "../widgets.js";

const KINDS = [
  { key: "", label: "All" },
  { key: "policy", label: "Policies" },
  { key: "faq", label: "FAQ" },
  { key: "page", label: "Pages" },
];

export async function render(root, { params, query }) {
  const intro = header("Knowledge", "The policies and answers the assistant quotes. Only published articles are used.");
  root.replaceChildren(...intro, loading());
  let articles;
  try {
    articles = await allArticles();
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) throw err;
    root.replaceChildren(...intro, failure(err, () => render(root, { params, query })));
    return;
  }
  if (params[0]) {
    const article = params[0] === "new" ? null : articles.find((a) => String(a.id) === params[0]);
    if (params[0] !== "new" && !article) {
      root.replaceChildren(...intro, h("a", { class: "back", href: "#/knowledge" }, "← Knowledge"), h("div", { class: "panel error-panel" }, "No such article (it may have been deleted)."));
      return;
    }
    root.replaceChildren(...intro, editor(article, articles));
    return;
  }
  const kind = query.get("kind") || "";
  const words = (query.get("q") || "").toLowerCase();
  const shown = articles
    .filter((a) => !kind || a.kind === kind)
    .filter((a) => !words || a.title.toLowerCase().includes(words) || a.body.toLowerCase().includes(words) || a.tags.some((t) => t.toLowerCase().includes(words)))
    .sort((a, b) => Number(b.published) - Number(a.published) || a.title.localeCompare(b.title));
  const search = h("input", { type: "search", id: "kb-search", placeholder: "Search titles, text and tags", value: query.get("q") || "" });
  const counts = Object.fromEntries(KINDS.map((k) => [k.key, articles.filter((a) => !k.key || a.kind === k.key).length]));
  root.replaceChildren(
    ...intro,
    h("div", { class: "toolbar" },
      tabs(KINDS.map((k) => ({ ...k, count: counts[k.key] })), kind, (key) => { location.hash = pageLink("knowledge", { kind: key, q: search.value.trim() }); }),
      h("form", { class: "toolbar", style: "margin:0", onsubmit: (event) => { event.preventDefault(); location.hash = pageLink("knowledge", { kind, q: search.value.trim() }); } }, search),
      h("span", { class: "spacer" }),
      can("write") ? h("a", { class: "button", href: "#/knowledge/new", id: "new-article" }, "New article") : null,
    ),
    h("div", { class: "panel flush", id: "articles" },
      table(
        [
          { label: "Title", render: (a) => h("span", {}, a.title, h("span", { class: "muted small-text block" }, excerpt(a.body))) },
          { label: "Kind", render: (a) => pill(a.kind) },
          { label: "State", render: (a) => (a.published ? pill("published", "ok") : pill("unpublished", "warn")) },
          { label: "Tags", render: (a) => a.tags.map((t) => h("span", { class: "tag" }, t)) },
          { label: "Source", render: (a) => h("span", { class: "small-text" }, a.source) },
          { label: "Updated", render: (a) => h("span", { class: "nowrap small-text" }, when(a.updated_at)) },
        ],
        shown,
        {
          onRowClick: (a) => { location.hash = `#/knowledge/${a.id}`; },
          empty: articles.length ? "No article matches." : "No articles yet. Write your shipping, returns and sizing answers here so the assistant can quote them.",
        },
      ),
    ),
  );
}

async function allArticles() {
  let items = [];
  let cursor = null;
  do {
    const page = await api.get(`/v1/articles?limit=500${cursor ? `&cursor=${cursor}` : ""}`);
    items = items.concat(page.items);
    cursor = page.next_cursor;
  } while (cursor && items.length < 10000);
  return items;
}

function slugify(text) {
  const ascii = text.normalize("NFKD").replace(/[^\x00-\x7f]/g, "");
  return ascii.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 200).replace(/-+$/, "") || "item";
}

function excerpt(body) {
  const text = body.replace(/\s+/g, " ").trim();
  return text.length > 110 ? `${text.slice(0, 110)}…` : text;
}

function editor(article, articles) {
  const writable = can("write");
  const field = (id, text, input, hint) => h("div", {}, h("label", { for: id }, text), input, hint ? h("div", { class: "muted small-text" }, hint) : null);
  const kind = h("select", { id: "a-kind", disabled: !writable }, ["policy", "faq", "page"].map((k) => h("option", { value: k }, { policy: "Policy", faq: "FAQ", page: "Page" }[k])));
  const title = h("input", { id: "a-title", maxlength: "500", required: true, disabled: !writable });
  const slug = h("input", { id: "a-slug", maxlength: "200", pattern: "[a-z0-9\\-]+", placeholder: "made from the title", disabled: !writable });
  const tags = h("input", { id: "a-tags", placeholder: "shipping, delivery", disabled: !writable });
  const body = h("textarea", { id: "a-body", style: "min-height:260px", disabled: !writable });
  const published = h("input", { type: "checkbox", id: "a-published", style: "width:auto", disabled: !writable });
  kind.value = article?.kind || "faq";
  title.value = article?.title || "";
  slug.value = article?.slug || "";
  tags.value = (article?.tags || []).join(", ");
  body.value = article?.body || "";
  published.checked = article ? article.published : true;
  const status = h("div", { id: "article-status" });

  async function save(event) {
    event.preventDefault();
    status.replaceChildren();
    const record = {
      kind: kind.value,
      title: title.value.trim(),
      body: body.value,
      tags: tags.value.split(",").map((t) => t.trim()).filter(Boolean),
      published: published.checked,
    };
    if (slug.value.trim()) record.slug = slug.value.trim();
    // a new article whose slug another one has would update that one (articles upsert by slug)
    const taken = !article && articles.find((a) => a.slug === (record.slug || slugify(record.title)));
    if (taken) {
      status.replaceChildren(h("div", { class: "error" }, "An article with the same address already exists: ",
        h("a", { href: `#/knowledge/${taken.id}` }, taken.title), ". Edit it, or give this one another slug."));
      return;
    }
    try {
      const saved = article
        ? await api.patch(`/v1/articles/${article.id}`, record)
        : await api.post("/v1/articles", { ...record, source: "console" });
      status.replaceChildren(h("div", { class: "notice" }, article ? "Saved." : "Created."));
      if (!article) location.hash = `#/knowledge/${saved.article.id}`;
      else Object.assign(article, saved.article);
    } catch (err) {
      status.replaceChildren(errorBox(err));
    }
  }
  async function setPublished(value) {
    status.replaceChildren();
    try {
      const saved = await api.patch(`/v1/articles/${article.id}`, { published: value });
      Object.assign(article, saved.article);
      published.checked = value;
      location.hash = `#/knowledge/${article.id}?v=${Date.now()}`;
    } catch (err) {
      status.replaceChildren(errorBox(err));
    }
  }
  async function remove() {
    if (!confirm(`Delete "${article.title}"? The assistant stops using it and it cannot be restored.`)) return;
    try {
      await api.del(`/v1/articles/${article.id}`);
      location.hash = "#/knowledge";
    } catch (err) {
      status.replaceChildren(errorBox(err));
    }
  }
  const actions = [];
  if (writable) actions.push(h("button", { type: "submit", id: "save-article" }, article ? "Save changes" : "Create article"));
  if (writable && article) {
    actions.push(article.published
      ? h("button", { type: "button", class: "secondary", id: "unpublish", onclick: () => setPublished(false) }, "Unpublish")
      : h("button", { type: "button", class: "secondary", id: "publish", onclick: () => setPublished(true) }, "Publish"));
  }
  if (can("admin") && article) actions.push(h("button", { type: "button", class: "danger", id: "delete-article", onclick: remove }, "Delete"));
  return h("div", {},
    h("a", { class: "back", href: "#/knowledge" }, "← Knowledge"),
    h("form", { class: "panel", onsubmit: save, id: "article-form" },
      h("div", { class: "panel-head" },
        h("h2", {}, article ? article.title : "New article"),
        article ? (article.published ? pill("published", "ok") : pill("unpublished", "warn")) : null,
      ),
      writable ? null : h("div", { class: "notice" }, "Read only: editing articles needs the agent, admin or owner role."),
      h("div", { class: "row" },
        field("a-kind", "Kind", kind),
        field("a-title", "Title", title),
        field("a-slug", "Slug", slug),
        field("a-tags", "Tags (comma-separated)", tags),
      ),
      field("a-body", "Text", body, "Plain text. The assistant quotes it to shoppers, so write it as you would say it."),
      h("label", { class: "check" }, published, " Published — the assistant may use it"),
      h("div", { class: "toolbar", style: "margin-top:14px" }, actions),
      status,
      article ? h("p", { class: "muted small-text" }, `Source ${article.source}${article.external_id ? ` (${article.external_id})` : ""} · created ${when(article.created_at)} · updated ${when(article.updated_at)}`) : null,
    ),
  );
}
