// Small DOM helpers: text is always set with textContent, never parsed as HTML.

const boot = JSON.parse(document.getElementById("boot")?.textContent || "{}");

export function getBoot() {
  return boot;
}

/** Translate a string the server sent with the page; `vars` fill %(name)s. */
export function t(message, vars = {}) {
  const text = (boot.strings && boot.strings[message]) || message;
  return text.replace(/%\((\w+)\)s/g, (_, key) => String(vars[key] ?? ""));
}

/** Create an element: el("li", {class: "x", onclick: fn}, "text", child). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      node.addEventListener(key.slice(2), value);
    } else if (key === "class") {
      node.className = value;
    } else if (key === "dataset") {
      Object.assign(node.dataset, value);
    } else if (value === true) {
      node.setAttribute(key, "");
    } else {
      node.setAttribute(key, String(value));
    }
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Replace the children of a node. */
export function fill(node, ...children) {
  node.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
}

export function $(selector, root = document) {
  return root.querySelector(selector);
}
