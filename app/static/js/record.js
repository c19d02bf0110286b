// The open record, drawn the same way on every screen. Entries are keyed by id and redrawn only
// when their version changes, so an entry being edited or read keeps its place and focus.

import { el, fill, t } from "./dom.js";
import { entriesOf, participantName } from "./model.js";
import { groupsOf, isExpert } from "./workshop_model.js";
import { markedText } from "./glossary.js";

export class RecordView {
  /**
   * @param {HTMLElement} root
   * @param {object} opts  { only: "current"|null, currentFirst: bool,
   *                         actions: (entry, state) => Node[] | null,
   *                         actionsKey: (state) => string (what the actions depend on besides the
   *                           entry: when it changes, e.g. at the close, every entry is redrawn),
   *                         reactionNames: bool (say who reacted, for the chair and scribe),
   *                         unclear: bool (show how many said they do not understand an entry),
   *                         glossary: Glossary (mark the terms it explains: glossary.js),
   *                         focusable: bool (entries take focus, for keyboard actions) }
   */
  constructor(root, opts = {}) {
    this.root = root;
    this.opts = opts;
    this.sections = new Map();
    this.items = new Map();
    this.numbers = new Map();
    this.editing = new Set();
  }

  /** Draw the record; `pending` are entry.add ops sent but not yet acknowledged. */
  render(state, pending = []) {
    let phases = this.opts.only === "current" ? [state.phases[state.current_phase]] : [...state.phases];
    if (this.opts.currentFirst) {
      const current = phases.splice(state.current_phase, 1);
      phases = [...current, ...phases];
    }
    const live = state.entries.filter((e) => !e.deleted);
    this.numbers = entryNumbers(state, live);
    const wanted = new Set(phases.map((p) => p.key));
    for (const [key, section] of this.sections) {
      if (!wanted.has(key)) {
        section.node.remove();
        this.sections.delete(key);
      }
    }
    phases.forEach((phase, index) => {
      const section = this.section(phase);
      const current = state.phases[state.current_phase]?.key === phase.key;
      section.node.classList.toggle("current", current);
      if (this.root.children[index] !== section.node) this.root.insertBefore(section.node, this.root.children[index] || null);
      this.fillPhase(section, entriesOf(state, phase.key), state);
      this.fillPending(section, pending.filter((op) => op.phase === phase.key && !op.board));
    });
  }

  fillPending(section, ops) {
    for (const ghost of section.node.querySelectorAll(".entry.pending")) ghost.remove();
    for (const op of ops) {
      section.list.append(
        el("li", { class: "entry pending", dataset: { pending: op.id } },
          el("span", { class: "num", "aria-hidden": "true" }, "…"),
          el("p", { class: "text" }, op.text),
          el("p", { class: "meta" }, el("span", { class: "unsaved" }, t("Not yet saved"))),
        ),
      );
    }
    if (ops.length) section.empty.hidden = true;
  }

  section(phase) {
    let section = this.sections.get(phase.key);
    if (!section) {
      const heading = el("h2", { id: `phase-${phase.key}` }, phase.title);
      const list = el("ol", { class: "entries", "aria-labelledby": `phase-${phase.key}` });
      const empty = el("p", { class: "empty muted" }, t("Nothing recorded yet."));
      const node = el("section", { class: `phase kind-${phase.kind}`, dataset: { phase: phase.key } }, heading, empty, list);
      section = { node, list, empty };
      this.sections.set(phase.key, section);
    }
    return section;
  }

  fillPhase(section, entries, state) {
    section.empty.hidden = entries.length > 0;
    entries.forEach((entry, index) => {
      let item = this.items.get(entry.id);
      const stamp = `${this.opts.actionsKey?.(state) ?? ""}:${this.numbers.get(entry.id)}:${isExpert(state, entry.speaker)}:${entry.version}:${JSON.stringify(entry.reactions)}:${JSON.stringify(entry.agreements || {})}:${(entry.corrections || []).length}:${JSON.stringify(entry.requests || [])}:${this.numbers.get(entry.answers) || ""}:${state.participants.length}:${JSON.stringify(entry.ask_first || null)}:${this.opts.unclear ? entry.unclear : ""}:${this.opts.glossary ? JSON.stringify(this.opts.glossary.spans(entry.text)) : ""}`;
      if (!item || (item.stamp !== stamp && !this.editing.has(entry.id))) {
        const node = this.entryNode(entry, state);
        if (item) {
          // Keep the keyboard where it was when an entry is redrawn under it.
          const active = document.activeElement;
          const focused = item.node === active;
          const control = !focused && item.node.contains(active) ? active.dataset.key : null;
          item.node.replaceWith(node);
          if (focused && node.tabIndex >= 0) node.focus();
          if (control) node.querySelector(`[data-key="${control}"]`)?.focus();
        }
        item = { node, stamp };
        this.items.set(entry.id, item);
      }
      if (section.list.children[index] !== item.node) section.list.insertBefore(item.node, section.list.children[index] || null);
    });
    // Whatever else is in the list (a deleted entry, an editor that was replaced) goes.
    const keep = new Set(entries.map((e) => this.items.get(e.id).node));
    for (const li of [...section.list.children]) {
      if (!keep.has(li) && !li.classList.contains("pending")) li.remove();
    }
  }

  entryNode(entry, state) {
    const number = this.numbers.get(entry.id);
    const glossary = this.opts.glossary;
    const text = glossary ? markedText(entry.text, glossary.spans(entry.text), glossary) : entry.text;
    const body = el("p", { class: entry.own_words ? "text own-words" : "text" }, text);
    const meta = el("p", { class: "meta" });
    const voice = participantName(state, entry.speaker);
    if (voice) meta.append(el("span", { class: "voice" }, voice));
    if (entry.own_words) meta.append(el("span", { class: "tag" }, t("own words")));
    if (entry.interpreted_from) meta.append(el("span", { class: "tag interpreted" }, t("interpreted from %(language)s", { language: entry.interpreted_from })));
    const expert = isExpert(state, entry.speaker);
    if (expert) meta.append(el("span", { class: "tag expert-tag" }, t("expert by experience")));
    if (entry.kind === "plan") {
      if (entry.owner) meta.append(el("span", { class: "owner" }, `${t("Owner")}: ${participantName(state, entry.owner)}`));
      if (entry.due) meta.append(el("span", { class: "due" }, `${t("By when")}: ${formatDate(entry.due, state.meeting.language)}`));
    }
    if (entry.kind === "solution" && entry.answers && this.numbers.has(entry.answers)) {
      meta.append(el("span", { class: "answers" }, `→ ${t("Answers")} ${this.numbers.get(entry.answers)}`));
    }
    for (const fix of entry.corrections || []) {
      meta.append(el("span", { class: "correction" }, `${t("Corrected")} ${formatDate(fix.at.slice(0, 10), state.meeting.language)}: ${t("earlier")} ”${fix.previous}” — ${fix.reason}`));
    }
    if (entry.ask_first) meta.append(askFirstLine(entry.ask_first, state));
    for (const request of entry.requests || []) meta.append(requestLine(request, state));
    if (this.opts.unclear && entry.unclear) {
      meta.append(el("span", { class: "unclear-count" }, t("Did not understand: %(count)s", { count: entry.unclear })));
    }
    for (const [pid, word] of Object.entries(entry.agreements || {})) {
      const agreed = word.agreement === "agree";
      const label = agreed ? t("Agreed") : t("Not agreed");
      const comment = word.comment ? ` — ${word.comment}` : "";
      meta.append(el("span", { class: agreed ? "agreement agree" : "agreement dispute" }, `${agreed ? "✓" : "✗"} ${label}: ${participantName(state, pid)}${comment}`));
    }
    const reactions = Object.entries(entry.reactions || {});
    for (const [kind, mark, label] of [["agree", "✓", t("This is right")], ["unsure", "?", t("Not quite")]]) {
      const who = reactions.filter(([, r]) => r === kind).map(([pid]) => participantName(state, pid));
      if (!who.length) continue;
      const text = this.opts.reactionNames ? `${mark} ${label}: ${who.join(", ")}` : `${mark} ${who.length}`;
      meta.append(el("span", { class: `reaction ${kind}`, title: `${label}: ${who.length}` }, text));
    }
    const li = el("li", {
      class: `entry kind-${entry.kind}${expert ? " expert" : ""}`,
      dataset: { entry: entry.id },
      id: `entry-${entry.id}`,
      tabindex: this.opts.focusable ? "0" : null,
    },
      el("span", { class: "num", "aria-hidden": "true" }, number === undefined ? "•" : String(number)), body, meta);
    const actions = this.opts.actions?.(entry, state);
    if (actions && actions.length) li.append(el("div", { class: "actions" }, actions));
    return li;
  }

  highlight(entryId) {
    const item = this.items.get(entryId);
    if (!item) return;
    item.node.classList.remove("fresh");
    void item.node.offsetWidth; // restart the animation
    item.node.classList.add("fresh");
  }

  forget(entryId) {
    this.items.delete(entryId);
  }
}

/** A correction request and what became of it (app/meetings/requests.py), for everyone. */
function requestLine(request, state) {
  const who = participantName(state, request.by);
  const asked = [request.wording ? `”${request.wording}”` : null, request.note].filter(Boolean).join(" — ");
  const outcome = {
    open: t("waiting for an answer"),
    accepted: t("taken into the record"),
    edited: `${t("taken into the record as")} ”${request.answer}”`,
    answered: `${t("answered")}: ”${request.answer}”`,
  }[request.status];
  return el("span", { class: `request ${request.status}`, dataset: { request: request.id } },
    `✎ ${t("%(name)s asked for a change", { name: who })}: ${asked} — ${outcome}`);
}

export function formatDate(iso, lang) {
  const [y, m, d] = iso.split("-").map(Number);
  if (!y) return iso;
  if (lang === "en") return `${d}/${m}/${y}`;
  return `${d}.${m}.${y}`;
}

/** Say something to screen readers once, politely. */
export function announce(text) {
  const region = document.getElementById("announce");
  if (!region) return;
  region.textContent = "";
  setTimeout(() => {
    region.textContent = text;
  }, 50);
}

export function renderPhaseHead(node, state) {
  const phase = state.phases[state.current_phase];
  fill(
    node,
    el("p", { class: "phase-count" }, t("Phase %(n)s of %(total)s", { n: state.current_phase + 1, total: state.phases.length })),
    el("h1", { class: "phase-title" }, phase.title),
    el("p", { class: "question" }, phase.question),
  );
}

/** Stop a countdown: the timer was stopped, or the meeting closed (the page may stay open for
 * hours after it, and its state no longer has a timer to count down to). */
export function stopTimer(node) {
  clearInterval(node._tick);
  node._tick = null;
  node.hidden = true;
}

/** A gentle countdown shown on every screen. */
export function renderTimer(node, state) {
  stopTimer(node);
  if (!state.timer || state.meeting.status === "closed") return;
  node.hidden = false;
  // The end is read now: the state's timer may be gone by the next tick.
  const endsAt = Date.parse(state.timer.ends_at);
  const tick = () => {
    const left = Math.round((endsAt - Date.now()) / 1000);
    if (left <= 0) {
      node.textContent = t("Time is up");
      node.dataset.state = "over";
      return;
    }
    const min = Math.floor(left / 60);
    const sec = String(left % 60).padStart(2, "0");
    node.textContent = `${min}:${sec}`;
    if (state.timer.interpreting) node.textContent += ` (${t("with interpreting")})`;
    node.dataset.state = left < 60 ? "soon" : "ok";
  };
  tick();
  node._tick = setInterval(tick, 1000);
}

/** Entries numbered in the order the record is read, as the exported record numbers them
 * (app/records/model.py `build_record`): phase by phase in the frame's order, a phase's plenary
 * entries before its small groups' boards, the plan's steps unnumbered (they are a table), and
 * entries of a phase or board the frame no longer has last. */
export function entryNumbers(state, live) {
  const numbers = new Map();
  const number = (e) => numbers.set(e.id, numbers.size + 1);
  const known = new Set(state.phases.map((p) => p.key));
  const boards = new Set((state.workshop?.groups || []).map((g) => g.id));
  for (const phase of state.phases) {
    const plenary = live.filter((e) => e.phase === phase.key && !e.board);
    if (phase.kind !== "plan") plenary.forEach(number);
    for (const group of groupsOf(state, phase.key)) {
      live.filter((e) => e.board === group.id).forEach(number);
    }
  }
  live.filter((e) => !known.has(e.phase) || (e.board && !boards.has(e.board))).forEach(number);
  return numbers;
}

/** Whom an entry was asked of first: still waiting (only they, the chair and the scribe see it),
 * or approved into the shared record. */
function askFirstLine(ask, state) {
  const who = participantName(state, ask.participant);
  return ask.approved
    ? el("span", { class: "ask-first approved" }, `✓ ${t("Approved by %(name)s", { name: who })}`)
    : el("span", { class: "ask-first waiting" }, t("Waiting for %(name)s to approve it; nobody else sees it yet", { name: who }));
}
