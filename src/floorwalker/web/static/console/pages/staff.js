// Staff users: list, add, disable.
import { api, errorBox, h, header, pill, session, table, when } from "../lib.js";

export async function render(root) {
  const listBox = h("div");
  const status = h("div");
  const email = h("input", { id: "staff-email", type: "email" });
  const name = h("input", { id: "staff-name" });
  const role = h("select", { id: "staff-role" }, ["agent", "analyst", "admin", "owner"].map((r) => h("option", { value: r }, r)));
  const password = h("input", { id: "staff-password", type: "password", minlength: "10" });

  async function refresh() {
    const users = await api.get("/v1/staff");
    listBox.replaceChildren(
      table(
        [
          { label: "E-mail", key: "email" },
          { label: "Name", key: "name" },
          { label: "Role", render: (u) => pill(u.role) },
          { label: "Last sign-in", render: (u) => when(u.last_login_at) },
          {
            label: "",
            render: (u) =>
              u.disabled_at
                ? pill("disabled", "bad")
                : u.id === session.user?.id
                  ? h("span", { class: "muted" }, "you")
                  : h("button", { class: "secondary", onclick: () => disable(u) }, "Disable"),
          },
        ],
        users,
      ),
    );
  }
  async function disable(user) {
    if (!confirm(`Disable ${user.email}? Their sessions end at once.`)) return;
    try {
      await api.del(`/v1/staff/${user.id}`);
      await refresh();
    } catch (err) {
      status.replaceChildren(errorBox(err));
    }
  }
  async function add(event) {
    event.preventDefault();
    status.replaceChildren();
    try {
      await api.post("/v1/staff", { email: email.value.trim(), name: name.value.trim(), role: role.value, password: password.value });
      email.value = name.value = password.value = "";
      await refresh();
    } catch (err) {
      status.replaceChildren(errorBox(err));
    }
  }
  root.replaceChildren(
    ...header("Staff", "Owners and admins manage the store; agents handle conversations; analysts read insight."),
    h("form", { class: "panel", onsubmit: add },
      h("h2", {}, "Add a person"),
      h("div", { class: "row" },
        h("div", {}, h("label", { for: "staff-email" }, "E-mail"), email),
        h("div", {}, h("label", { for: "staff-name" }, "Name"), name),
        h("div", {}, h("label", { for: "staff-role" }, "Role"), role),
        h("div", {}, h("label", { for: "staff-password" }, "Initial password"), password),
        h("div", { class: "shrink" }, h("button", { type: "submit" }, "Add")),
      ),
      status,
    ),
    h("div", { class: "panel" }, listBox),
  );
  await refresh();
}
