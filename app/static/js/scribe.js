// The scribe's editor: keyboard-first. Typing streams as a draft; Enter adds; Shift+Enter is a
// new line. Unsent entries are kept across a reconnect and a reload (see live.js) and shown as
// "not yet saved" until the server has them.

import { $, el, fill, getBoot, offerUndo, t } from "./dom.js";
import { CLOSED, Live } from "./live.js";
import { setupFeedback, showFeedbackIfClosed } from "./feedback.js";
import { RecordView, renderPhaseHead, renderTimer } from "./record.js";
import { canCorrect, closedNote, correctionActions, correctionSaved, startCorrection } from "./correct.js";
import { answerButton, canResolve } from "./request.js";
import { renderDialogue, showError, showPreparation } from "./common.js";
import { participantName } from "./model.js";
import { Glossary, setupJargon } from "./glossary.js";
import { renderReview } from "./process.js";

let state = null;
let followChair = true;
const text = $("#text");
const phaseSelect = $("#phase");

// The glossary in the record's language (known with the first snapshot): plain alternatives.
let jargon = null;
function setupGlossary() {
  if (jargon || !state) return;
  const glossary = new Glossary(getBoot().meeting, state.meeting.language);
  jargon = setupJargon(text, $("#jargon"), glossary, () => $("#own-words").checked);
}

const record = new RecordView($("#record"), {
  actions: entryActions,
  // Edit and Delete while open; Correct after the close, only while the socket is still ours.
  actionsKey: (s) => `${s.meeting.status}:${canCorrect(s, live)}`,
  reactionNames: true,
  unclear: true,
  focusable: true,
});

const live = new Live({
  snapshot(s) {
    state = s;
    setupGlossary();
    render();
  },
  event(ev, s, mine) {
    state = s;
    if (ev.name === "phase.changed") keepDraftWhereStarted();
    if (ev.name === "entry.corrected" && mine) correctionSaved();
    if (ev.name === "participant.role_changed" && ev.data.participant === live.you?.id && ev.data.kind !== "scribe") {
      location.reload(); // no longer the scribe: show the view of the new role
      return;
    }
    if (ev.name === "round.started" || ev.name === "round.advanced") speakerFromRound(ev.data.round);
    render();
    keepFocus();
    if (ev.name === "entry.added") record.highlight(ev.data.entry.id);
  },
  pending() {
    if (!state) return;
    record.render(state, live.pendingEntries());
    showLocked();
  },
  error(frame) {
    if (frame.code === "conflict" && frame.entry) {
      showError({ message: t("Someone changed this entry meanwhile. Here is the current text.") });
      record.editing.delete(frame.entry.id);
      record.forget(frame.entry.id);
      render();
      return;
    }
    showError(frame);
  },
  ended(code) {
    if (code === CLOSED) return; // the closed record is drawn from the snapshot
    location.reload();
  },
});

// In a round, whose turn it is is whose voice the next entries are, unless the scribe says else.
let roundVoice = "";
function speakerFromRound(round) {
  const box = $("#speaker");
  const name = round.speaker ? participantName(state, round.speaker) : "";
  if (!box.value || box.value === roundVoice) box.value = name;
  roundVoice = name;
}

function currentKey() {
  return phaseSelect.value || state.phases[state.current_phase].key;
}

function phaseOptions(selected) {
  return state.phases.map((p, i) =>
    el("option", { value: p.key, selected: p.key === selected }, `${i + 1}. ${p.title}${i === state.current_phase ? " ●" : ""}`),
  );
}

function render() {
  if (!state) return;
  renderPhaseHead($("#phase-head"), state);
  renderTimer($("#timer"), state);
  const chosen = followChair ? state.phases[state.current_phase].key : phaseSelect.value;
  fill(phaseSelect, phaseOptions(chosen));
  fill(
    $("#people-list"),
    state.participants
      .filter((p) => p.admitted && p.kind !== "screen")
      .map((p) => el("option", { value: participantName(state, p.id) })),
  );
  $("#interpreted-fields").hidden = !state.participants.some((p) => p.interpreter && p.admitted);
  const asked = $("#ask-first").value;
  fill(
    $("#ask-first"),
    el("option", { value: "" }, t("No one: everyone sees it")),
    state.participants
      .filter((p) => p.admitted && p.kind === "participant")
      .map((p) => el("option", { value: p.id, selected: p.id === asked }, participantName(state, p.id))),
  );
  kindFields();
  record.render(state, live.pendingEntries());
  const closed = state.meeting.status === "closed";
  // The locked record takes no new entries: the editor goes rather than stand there disabled.
  $("#compose").hidden = closed;
  showLocked();
  if (closed) hideMoved();
  renderDialogue($("#dialogue"), state, live.you?.id);
  showPreparation(state);
  showFeedbackIfClosed(state);
  renderReview($("#review"), state, live, { canMark: !closed });
}

function showLocked() {
  const note = closedNote(state, live);
  $("#locked").textContent = note;
}

function answerOptions(phase, selected) {
  const source = state.entries.filter((e) => !e.deleted && (!phase.answers_from || e.phase === phase.answers_from));
  return [
    el("option", { value: "" }, t("No solution tied")),
    ...source.map((e) => el("option", { value: e.id, selected: e.id === selected }, `${record.numbers.get(e.id)}. ${e.text.slice(0, 80)}`)),
  ];
}

function kindFields() {
  const phase = state.phases.find((p) => p.key === currentKey());
  $("#plan-fields").hidden = phase.kind !== "plan";
  $("#solution-fields").hidden = phase.kind !== "solution";
  $("#could-it-be").hidden = phase.kind !== "hypothesis";
  if (phase.kind === "solution") fill($("#answers"), answerOptions(phase, $("#answers").value));
}

/** A voice as typed, for the server to match to someone in the meeting (app/meetings/voices.py
 * owns that rule); `known` is the id the field was filled with, kept while its text is. */
function voiceOf(value, known = null) {
  const typed = value.trim();
  if (!typed) return null;
  return known && typed === participantName(state, known) ? known : typed;
}

function submit() {
  const value = text.value.trim();
  if (!value || !state) return;
  const phase = state.phases.find((p) => p.key === currentKey());
  const op = { op: "entry.add", phase: phase.key, text: value, own_words: $("#own-words").checked };
  const speaker = voiceOf($("#speaker").value, state.round?.speaker);
  if (speaker) op.speaker = speaker;
  if (phase.kind === "plan") {
    const owner = voiceOf($("#owner").value);
    if (owner) op.owner = owner;
    if ($("#due").value) op.due = $("#due").value;
    $("#owner").value = "";
    $("#due").value = "";
  }
  if (phase.kind === "solution" && $("#answers").value) op.answers = $("#answers").value;
  if ($("#ask-first").value) op.ask_first = $("#ask-first").value;
  // The language stays for the next entry; whether an entry came through the interpreter is said
  // for each one, as its voice is.
  if ($("#interpreted").checked && $("#interpreted-from").value.trim()) op.interpreted_from = $("#interpreted-from").value.trim();
  $("#interpreted").checked = false;
  $("#ask-first").value = ""; // each entry is asked of someone first only when the scribe says so
  // A new entry starts untied, as its voice starts unsaid: a remembered hypothesis would tie
  // the next solution to it without anyone choosing so.
  $("#answers").value = "";
  live.send(op);
  text.value = "";
  draftPhase = null;
  keepDraftLocally();
  if (hideMoved()) {
    followChair = true; // the entry went where it was started; now the scribe follows again
    render();
  }
  // Each entry's voice is said anew (a remembered speaker would put words in the wrong mouth),
  // except in a round, where it is the voice of whoever's turn it is.
  $("#speaker").value = state.round?.speaker ? participantName(state, state.round.speaker) : "";
  roundVoice = $("#speaker").value;
  $("#own-words").checked = false;
  live.sendNow({ op: "draft", phase: phase.key, text: "" });
  text.focus();
}

// The phase an entry being written belongs to: the one it was started in. When the chair moves
// on meanwhile, the entry still goes there, and the scribe is told (and may move it instead).
let draftPhase = null;

function keepDraftWhereStarted() {
  const now = state.phases[state.current_phase];
  if (!text.value.trim() || !draftPhase || !followChair || draftPhase === now.key) return;
  followChair = false; // render() keeps the phase selector where the entry was started
  const started = state.phases.find((p) => p.key === draftPhase);
  const box = $("#moved");
  fill(box,
    el("span", {}, t("The chair moved on to %(now)s. What you are writing goes to %(started)s, where you started it.", { now: now.title, started: started.title })),
    el("button", { type: "button", onclick: () => moveDraftTo(now.key) }, t("Move it to %(now)s", { now: now.title })),
  );
}

function moveDraftTo(key) {
  hideMoved();
  draftPhase = key;
  followChair = key === state.phases[state.current_phase].key;
  phaseSelect.value = key;
  kindFields();
  live.sendNow({ op: "draft", phase: key, text: text.value });
  text.focus();
}

/** Take the notice away; true if it was shown. */
function hideMoved() {
  const box = $("#moved");
  const shown = box.childNodes.length > 0;
  box.replaceChildren();
  return shown;
}

// The half-typed entry is kept on this device as it is typed, as unsent ops are (live.js): a
// crashed or reloaded tab gets it back. It is dropped once added.
const DRAFT_KEY = `avoin:draft:${getBoot().meeting}`;
function keepDraftLocally() {
  try {
    if (text.value.trim()) {
      localStorage.setItem(DRAFT_KEY, JSON.stringify({ text: text.value, phase: draftPhase }));
    } else {
      localStorage.removeItem(DRAFT_KEY);
    }
  } catch {
    // storage full or refused: the draft still streams to the room
  }
}
function restoreDraft() {
  try {
    const kept = JSON.parse(localStorage.getItem(DRAFT_KEY) || "null");
    if (kept?.text && !text.value) {
      text.value = kept.text;
      draftPhase = kept.phase || null;
    }
  } catch {
    localStorage.removeItem(DRAFT_KEY);
  }
}

let draftTimer = null;
text.addEventListener("input", () => {
  keepDraftLocally();
  if (text.value.trim()) {
    if (!draftPhase) draftPhase = currentKey();
  } else {
    draftPhase = null;
    if (hideMoved()) {
      followChair = true; // nothing is being written any more: follow the chair again
      render();
    }
  }
  if (draftTimer) return;
  draftTimer = setTimeout(() => {
    draftTimer = null;
    if (state) live.sendNow({ op: "draft", phase: currentKey(), text: draftText() });
  }, 100);
});
// An entry asked of someone first is not seen by the room while it is typed either.
$("#ask-first").addEventListener("change", () => {
  if (state) live.sendNow({ op: "draft", phase: currentKey(), text: draftText() });
});
function draftText() {
  return $("#ask-first").value ? "" : text.value;
}
text.addEventListener("keydown", (e) => {
  if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    submit();
  }
});
$("#compose").addEventListener("submit", (e) => {
  e.preventDefault();
  submit();
});
$("#could-it-be").addEventListener("click", () => {
  // The phrasing without its closing "…?", so that the scribe goes on writing the sentence.
  text.value = `${t("Could it be that …?").replace(/\s*…\?$/, "")} ${text.value}`;
  text.focus();
});
phaseSelect.addEventListener("change", () => {
  followChair = phaseSelect.value === state.phases[state.current_phase].key;
  if (text.value.trim()) draftPhase = phaseSelect.value; // the scribe chose where it goes
  hideMoved();
  kindFields();
});

// Keyboard on a focused entry: Enter edits, Delete deletes, Alt+↑/↓ moves it between phases.
$("#record").addEventListener("keydown", (e) => {
  const li = e.target.closest?.("li.entry[data-entry]");
  if (!li || e.target !== li || !state) return;
  const entry = state.entries.find((x) => x.id === li.dataset.entry);
  if (!entry) return;
  if (state.meeting.status === "closed") {
    // The record is locked: Enter corrects (where this page can), nothing else changes it.
    if (e.key === "Enter" && canCorrect(state, live)) {
      e.preventDefault();
      startCorrection(entry, live, record, render);
    }
    return;
  }
  if (e.key === "Enter") {
    e.preventDefault();
    startEdit(entry);
  } else if (e.key === "Delete") {
    e.preventDefault();
    remove(entry);
  } else if (e.altKey && (e.key === "ArrowUp" || e.key === "ArrowDown")) {
    e.preventDefault();
    const index = state.phases.findIndex((p) => p.key === entry.phase) + (e.key === "ArrowUp" ? -1 : 1);
    if (index >= 0 && index < state.phases.length) {
      live.send({ op: "entry.edit", entry: entry.id, version: entry.version, phase: state.phases[index].key });
      refocus = entry.id; // the entry is drawn anew in its new phase: the keyboard goes with it
    }
  }
});

// An entry moved with Alt+↑/↓ keeps the keyboard once it is drawn in its new phase.
let refocus = null;
function keepFocus() {
  if (!refocus) return;
  const node = document.getElementById(`entry-${refocus}`);
  if (node && document.activeElement !== node) {
    node.focus();
    node.scrollIntoView({ block: "nearest" });
  }
  if (node && state?.entries.find((e) => e.id === refocus)?.phase === node.closest("section.phase")?.dataset.phase) {
    refocus = null;
  }
}

function entryActions(entry) {
  const requests = canResolve(state, live.you, canCorrect(state, live)) ? answerButton(entry, state, live, record, render) : [];
  if (state?.meeting.status === "closed") return [...requests, ...correctionActions(entry, state, live, record, render)];
  return [
    ...requests,
    el("button", { type: "button", class: "subtle", onclick: () => startEdit(entry) }, t("Edit")),
    el("button", { type: "button", class: "subtle", onclick: () => remove(entry) }, t("Delete")),
  ];
}

function startEdit(entry) {
  const li = document.getElementById(`entry-${entry.id}`);
  if (!li) return;
  record.editing.add(entry.id);
  const area = el("textarea", { rows: 3, maxlength: 4000, "aria-label": t("Edit") });
  area.value = entry.text;
  const speaker = el("input", { list: "people-list", maxlength: 80, "aria-label": t("Whose voice?"), placeholder: t("Whose voice?") });
  speaker.value = participantName(state, entry.speaker);
  const phase = el("select", { "aria-label": t("Phase") }, phaseOptions(entry.phase));
  const fields = [area, speaker, phase];
  const kind = state.phases.find((p) => p.key === entry.phase);
  let owner = null;
  let due = null;
  let answers = null;
  if (entry.kind === "plan") {
    owner = el("input", { list: "people-list", maxlength: 80, "aria-label": t("Who"), placeholder: t("Who") });
    owner.value = participantName(state, entry.owner);
    due = el("input", { type: "date", "aria-label": t("By when") });
    due.value = entry.due || "";
    fields.push(owner, due);
  }
  if (entry.kind === "solution") {
    answers = el("select", { "aria-label": t("Answers") }, answerOptions(kind, entry.answers));
    fields.push(answers);
  }
  const done = () => {
    record.editing.delete(entry.id);
    record.forget(entry.id);
    render();
    document.getElementById(`entry-${entry.id}`)?.focus();
  };
  const save = () => {
    const op = { op: "entry.edit", entry: entry.id, version: entry.version, text: area.value, speaker: voiceOf(speaker.value, entry.speaker) };
    if (phase.value !== entry.phase) op.phase = phase.value;
    if (owner) op.owner = voiceOf(owner.value, entry.owner);
    if (due) op.due = due.value || null;
    if (answers) op.answers = answers.value || null;
    live.send(op);
    done();
  };
  li.addEventListener("keydown", (e) => {
    if (e.key === "Escape") done();
    if (e.key === "Enter" && !e.shiftKey && e.target.tagName !== "SELECT") {
      e.preventDefault();
      save();
    }
  });
  li.replaceChildren(
    el("div", { class: "edit" }, fields,
      el("div", { class: "actions" },
        el("button", { type: "button", class: "primary", onclick: save }, t("Save")),
        el("button", { type: "button", onclick: done }, t("Cancel")),
      ),
    ),
  );
  area.focus();
}

function remove(entry) {
  live.send({ op: "entry.delete", entry: entry.id });
  const restore = () => {
    live.send({ op: "entry.restore", entry: entry.id });
    text.focus();
  };
  offerUndo($("#undo"), t("Deleted."), restore, true);
}

setupFeedback(live);
restoreDraft();
live.start();
text.focus();
