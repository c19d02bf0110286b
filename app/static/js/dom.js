// Small DOM helpers: text is always set with textContent, never parsed as HTML.

const boot = JSON.parse(document.getElementById("boot")?.textContent || "{}");

export function getBoot() {
  return boot;
}

// Numbers as the reader's language writes them (6,5 in Finnish and Swedish), with CLDR's rules
// as Babel applies them on the server.
const numbers = new Intl.NumberFormat(boot.lang || document.documentElement.lang || "fi", {
  maximumFractionDigits: 1,
});

/** A number in the page's language. */
export function formatNumber(n) {
  return numbers.format(n);
}

/** Translate a string the server sent with the page; `vars` fill %(name)s (numbers localised). */
export function t(message, vars = {}) {
  const text = (boot.strings && boot.strings[message]) || message;
  return text.replace(/%\((\w+)\)s/g, (_, key) => {
    const value = vars[key];
    return typeof value === "number" ? formatNumber(value) : String(value ?? "");
  });
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

/** Replace the children of a node; the keyboard stays on the control it was on. */
export function fill(node, ...children) {
  const next = children.flat().filter((c) => c !== null && c !== undefined && c !== false);
  // Live lists are redrawn whenever someone joins or comes online. Without this a keyboard
  // user's focus would fall to the top of the page in the middle of a meeting.
  const focused = document.activeElement;
  const key = focused && focused !== node && node.contains(focused) ? focusKey(node, focused) : null;
  node.replaceChildren(...next);
  if (key) findByKey(node, key)?.focus();
}

/**
 * fill(), but a list whose markup is unchanged is left as it is: a press on one of its buttons
 * that began before the redraw (someone came online meanwhile) still ends as a click. Only for
 * lists whose buttons act on what their markup says (a participant's id in data-key).
 */
export function fillIfChanged(node, ...children) {
  const next = children.flat().filter((c) => c !== null && c !== undefined && c !== false);
  if (!sameAs(node.childNodes, next)) fill(node, next);
}

function sameAs(current, next) {
  if (current.length !== next.length) return false;
  return next.every((child, i) => {
    const old = current[i];
    if (!(child instanceof Node)) return old.nodeType === Node.TEXT_NODE && old.textContent === String(child);
    if (child.nodeType !== old.nodeType) return false;
    return child.nodeType === Node.ELEMENT_NODE ? child.outerHTML === old.outerHTML : child.textContent === old.textContent;
  });
}

// A control is the same one after a redraw when it has the same data-key or, without one,
// the same tag and text at the same place among its like.
function focusKey(root, node) {
  if (node.dataset.key) return { key: node.dataset.key };
  const like = [...root.querySelectorAll(node.tagName)].filter((n) => n.textContent === node.textContent);
  return { tag: node.tagName, text: node.textContent, index: like.indexOf(node) };
}

function findByKey(root, key) {
  if (key.key) return [...root.querySelectorAll("[data-key]")].find((n) => n.dataset.key === key.key);
  const like = [...root.querySelectorAll(key.tag)].filter((n) => !n.dataset.key && n.textContent === key.text);
  return like[key.index];
}

export function $(selector, root = document) {
  return root.querySelector(selector);
}

/**
 * Ask before something that cannot be undone, in the page's own dialog (a browser's confirm()
 * is unstyled, blocks every timer and reads badly on a phone). Resolves true on `yes`; Cancel
 * has the focus first, Esc cancels, and the keyboard returns to the control that asked.
 */
export function confirmInPage(question, yes) {
  const heading = el("h2", { id: "confirm-h" }, question);
  const dialog = el(
    "dialog",
    { class: "confirm", "aria-labelledby": "confirm-h" },
    el(
      "form",
      { method: "dialog" },
      heading,
      el("div", { class: "buttons-row" }, el("button", { value: "cancel", autofocus: true }, t("Cancel")), el("button", { value: "yes", class: "danger" }, yes)),
    ),
  );
  // A live list may be redrawn while the dialog is open: the asking control is then found
  // again by its data-key.
  const opener = document.activeElement;
  const key = opener?.dataset?.key;
  document.body.append(dialog);
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => {
      resolve(dialog.returnValue === "yes");
      dialog.remove();
      const again = opener?.isConnected ? opener : key && document.querySelector(`[data-key="${CSS.escape(key)}"]`);
      again?.focus();
    });
    dialog.showModal();
  });
}

// How long an "Undo" stays offered after a deletion or a phase step.
export const UNDO_MS = 10000;

/**
 * Offer to undo what was just done, in the toast `toast` for UNDO_MS. With `focus`, the Undo
 * button takes the keyboard (after a deletion); without, the keyboard stays where it is (after a
 * phase step, where a second press of Next must not become an undo).
 */
/** Take an Undo offer back before its time: what it would undo can no longer be done. */
export function withdrawUndo(toast) {
  clearTimeout(toast._hide);
  toast.hidden = true;
}

export function offerUndo(toast, message, undo, focus = false) {
  const button = el("button", { type: "button" }, t("Undo"));
  button.addEventListener("click", () => {
    clearTimeout(toast._hide);
    toast.hidden = true;
    undo();
  });
  // Never kept from the last offer: the same words may undo something else now.
  toast.replaceChildren(el("span", {}, message), button);
  toast.hidden = false;
  if (focus) button.focus();
  clearTimeout(toast._hide);
  toast._hide = setTimeout(() => {
    toast.hidden = true;
  }, UNDO_MS);
}
