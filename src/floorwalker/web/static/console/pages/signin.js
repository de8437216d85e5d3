// Sign-in page: store slug, e-mail, password.
import { api, errorBox, h, session } from "../lib.js";

export async function render(root, { message, onSignedIn }) {
  const lastStore = localStorage.getItem("fw.store") || "";
  const store = h("input", { name: "store", value: lastStore, autocomplete: "organization", required: true });
  const email = h("input", { name: "email", type: "email", autocomplete: "username", required: true });
  const password = h("input", { name: "password", type: "password", autocomplete: "current-password", required: true });
  const status = h("div");
  const button = h("button", { type: "submit" }, "Sign in");
  const form = h(
    "form",
    { class: "panel signin", onsubmit: submit },
    h("div", { class: "brand" }, h("span", { class: "logo" }, "◧"), " Floorwalker"),
    h("p", { class: "subtitle" }, "Staff console"),
    message ? h("div", { class: "notice" }, message) : null,
    h("label", { for: "store" }, "Store"), store,
    h("label", { for: "email" }, "E-mail"), email,
    h("label", { for: "password" }, "Password"), password,
    h("div", { style: "margin-top:16px" }, button),
    status,
  );
  store.id = "store"; email.id = "email"; password.id = "password";
  root.replaceChildren(form);
  (lastStore ? email : store).focus();

  async function submit(event) {
    event.preventDefault();
    button.disabled = true;
    status.replaceChildren();
    try {
      const data = await api.post("/v1/staff/sign-in", {
        store: store.value.trim(),
        email: email.value.trim(),
        password: password.value,
      });
      localStorage.setItem("fw.store", store.value.trim());
      session.set(data);
      onSignedIn();
    } catch (err) {
      status.replaceChildren(errorBox(err));
      button.disabled = false;
    }
  }
}
