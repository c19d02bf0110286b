// The plain-language companion. The server finds a glossary's terms in a text by their base
// forms (Finnish inflects: "lastensuojeluilmoituksen" is "lastensuojeluilmoitus"); the page shows
// what a term means in the reader's language, or offers the scribe its plain alternative.

import { el, t } from "./dom.js";

const BATCH = 100; // texts per request (the server's MAX_TEXTS)
const KEPT = 2000; // texts whose terms are remembered

export class Glossary {
  /** `lang`: the language the meanings are shown in; `onFound`: called when terms arrive. */
  constructor(meeting, lang, onFound = () => {}) {
    this.meeting = meeting;
    this.onFound = onFound;
    this.terms = {};
    this.found = new Map();
    this.wanted = new Set();
    this.timer = null;
    this.ready = fetch(`/api/glossary?lang=${encodeURIComponent(lang)}`, { credentials: "same-origin" })
      .then((answer) => (answer.ok ? answer.json() : { terms: {} }))
      .then((body) => {
        this.terms = body.terms;
      })
      .catch(() => {});
  }

  /** What a term means: {term, plain, explain}. */
  meaning(key) {
    return this.terms[key];
  }

  /** The terms found in a record's text, or null until the server has said (it is asked soon). */
  spans(text) {
    const known = this.found.get(text);
    if (known) return known;
    this.wanted.add(text);
    this.timer ??= setTimeout(() => this.askWanted(), 50);
    return null;
  }

  async askWanted() {
    this.timer = null;
    const texts = [...this.wanted].slice(0, BATCH);
    for (const text of texts) this.wanted.delete(text);
    const found = await this.find(texts);
    texts.forEach((text, i) => this.found.set(text, found?.[i] || []));
    if (this.found.size > KEPT) this.found.delete(this.found.keys().next().value);
    if (this.wanted.size) this.timer = setTimeout(() => this.askWanted(), 50);
    this.onFound();
  }

  /** The terms in each text ([{start, end, key}] each), or null when the server cannot say. */
  async find(texts) {
    try {
      const answer = await fetch(`/api/meetings/${this.meeting}/glossary`, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ texts }),
      });
      if (!answer.ok) return null;
      await this.ready;
      return (await answer.json()).found;
    } catch {
      return null; // offline: the record is shown without its marks
    }
  }
}

let notes = 0;

/** The text with its terms as buttons: a tap opens what the word means, below the paragraph. */
export function markedText(text, spans, glossary) {
  if (!spans?.length) return [text];
  const nodes = [];
  let at = 0;
  for (const span of spans) {
    const meaning = glossary.meaning(span.key);
    if (!meaning || span.start < at) continue;
    nodes.push(text.slice(at, span.start));
    const id = `term-note-${++notes}`;
    const button = el(
      "button",
      { type: "button", class: "term", "aria-expanded": "false", "aria-controls": id, title: t("What does this mean?") },
      text.slice(span.start, span.end),
    );
    button.addEventListener("click", () => toggleNote(button, id, meaning));
    nodes.push(button);
    at = span.end;
  }
  nodes.push(text.slice(at));
  return nodes;
}

function toggleNote(button, id, meaning) {
  const open = document.getElementById(id);
  if (open) {
    open.remove();
    button.setAttribute("aria-expanded", "false");
    return;
  }
  const note = el(
    "div",
    { class: "term-note", id, role: "note" },
    el("p", {}, el("strong", {}, meaning.term), ` — ${meaning.plain}`),
    el("p", {}, meaning.explain),
  );
  button.closest("p").after(note);
  button.setAttribute("aria-expanded", "true");
}

/**
 * The scribe's companion: as they type, the professional words of the entry and a plainer way
 * to say each, in the record's language. Alt+J (or the button) takes the first one: the word
 * is replaced where the scribe wrote it as the dictionary does, and explained in brackets after
 * it where they inflected it (the plain words' own inflection is the scribe's to choose).
 */
export function setupJargon(textarea, box, glossary, skip = () => false) {
  let found = [];
  let timer = null;
  const check = async () => {
    timer = null;
    const text = textarea.value;
    if (!text.trim() || skip()) return show(text, []);
    const spans = (await glossary.find([text]))?.[0] || [];
    if (textarea.value === text) show(text, spans);
  };
  const show = (text, spans) => {
    found = spans.filter((s) => glossary.meaning(s.key) && !hasPlain(text, s, glossary.meaning(s.key)));
    box.hidden = !found.length;
    box.replaceChildren(
      ...found.slice(0, 3).map((span, i) => {
        const meaning = glossary.meaning(span.key);
        return el(
          "p",
          { class: "jargon-item" },
          el("strong", {}, text.slice(span.start, span.end)),
          ` → ${meaning.plain} `,
          el("button", { type: "button", class: "subtle", onclick: () => take(i) }, i === 0 ? t("Use the plain words (Alt+J)") : t("Use the plain words")),
        );
      }),
    );
  };
  const take = (i) => {
    const span = found[i];
    if (!span) return;
    const text = textarea.value;
    const meaning = glossary.meaning(span.key);
    const word = text.slice(span.start, span.end);
    const plain = word.toLocaleLowerCase() === meaning.term.toLocaleLowerCase() ? meaning.plain : `${word} (${meaning.plain})`;
    const cased = word[0] === word[0].toLocaleUpperCase() ? plain[0].toLocaleUpperCase() + plain.slice(1) : plain;
    textarea.value = text.slice(0, span.start) + cased + text.slice(span.end);
    const caret = span.start + cased.length;
    textarea.setSelectionRange(caret, caret);
    textarea.focus();
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  };
  textarea.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(check, 300);
  });
  textarea.addEventListener("keydown", (e) => {
    if (e.altKey && !e.ctrlKey && !e.metaKey && (e.key === "j" || e.key === "J" || e.code === "KeyJ") && found.length) {
      e.preventDefault();
      take(0);
    }
  });
  return { check };
}

/** Whether the plain words already follow the term (taken once, not offered again). */
function hasPlain(text, span, meaning) {
  return text.slice(span.end, span.end + meaning.plain.length + 3).includes(meaning.plain);
}
