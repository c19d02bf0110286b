// The phone: the lobby, then the record in large adjustable text, raise a hand, say whether an
// entry is right; feedback after the meeting closes.

import { $, el, fill, getBoot, t } from "./dom.js";
import { Glossary } from "./glossary.js";
import { CLOSED, Live } from "./live.js";
import { RecordView, announce, formatDate, renderPhaseHead, renderTimer, stopTimer } from "./record.js";
import { hideDraft, housesView, renderDialogue, showDraft, showError, showPreparation } from "./common.js";
import { setupFeedback } from "./feedback.js";
import { askButton } from "./request.js";
import { readAloud } from "./speech.js";
import { entriesOf, participantName } from "./model.js";
import { renderNext, renderReview } from "./process.js";
import { boardDraft, renderBoardWriter, renderParticipantWorkshop, setupBoardWriter } from "./workshop_views.js";

let state = null;
// Professional words are marked; a tap says what they mean, in the reader's own language.
const glossary = new Glossary(getBoot().meeting, getBoot().lang || "fi", () => render());
const record = new RecordView($("#record"), {
  actions: reactionButtons,
  actionsKey: (s) => (s.unclear_mine || []).join(","),
  currentFirst: true,
  glossary,
});
const sizes = [1, 1.15, 1.3, 1.5, 1.75];
let size = Number(localStorage.getItem("avoin:size") || 1);

const live = new Live({
  welcome(you) {
    if (!you.admitted) show("lobby");
  },
  lobby(ev) {
    if (ev.name === "participant.removed") notLetIn();
  },
  snapshot(s) {
    state = s;
    render();
  },
  event(ev, s) {
    state = s;
    if (ev.name === "participant.role_changed" && ev.data.participant === live.you?.id) {
      location.reload();
      return;
    }
    if (ev.name === "entry.added") {
      hideDraft();
      announce(ev.data.entry.text);
    }
    if (ev.name === "entry.approved" && ev.data.entry.ask_first.participant !== live.you?.id) announce(ev.data.entry.text);
    if (ev.name === "phase.changed") announce(state.phases[state.current_phase].title);
    render();
    if (ev.name === "entry.added" || ev.name === "entry.approved") record.highlight(ev.data.entry.id);
  },
  draft(frame) {
    if (boardDraft(frame)) {
      renderParticipantWorkshop(state, live);
      return;
    }
    showDraft(frame, state, live.you?.id);
  },
  silent(s) {
    state = s;
    render();
  },
  error: showError,
  ended(code) {
    if (code === CLOSED) return; // the closed record is drawn from the snapshot
    notLetIn();
  },
});

/** Said calmly, once: the chair did not let this phone in; nothing is waited for any more. */
function notLetIn() {
  show("lobby");
  $("#lobby-text").textContent = t("You were not let in to this meeting.");
  $("#lobby .waiting").hidden = true;
}

function show(which) {
  for (const id of ["lobby", "inside", "closed"]) $(`#${id}`).hidden = id !== which;
}

function me() {
  return state?.participants.find((p) => p.id === live.you?.id);
}

function render() {
  if (!state) return;
  if (state.meeting.status === "closed") {
    stopTimer($("#timer"));
    show("closed");
    renderNext($("#next-meeting"), state);
    const summary = state.process.summary;
    $("#summary-for-me").hidden = !summary;
    if (summary) $("#summary-for-me a").href = summary.url;
    return;
  }
  show("inside");
  renderPhaseHead($("#phase-head"), state);
  renderTimer($("#timer"), state);
  record.render(state);
  renderDialogue($("#dialogue"), state, live.you?.id);
  renderParticipantWorkshop(state, live);
  renderBoardWriter(state, live);
  showPreparation(state);
  renderMyHouses();
  renderReview($("#review"), state, live, { canRate: Boolean(me()?.family) });
  $("#pass").hidden = !state.round || state.round.speaker !== live.you?.id;
  $("#listen-plan").hidden = !planText();
  $("#silent-form").hidden = !state.silent;
  if (state.silent) fill($("#silent-mine"), state.silent.mine.map((item) => el("li", {}, item.text)));
  const interpreter = Boolean(me()?.interpreter);
  const pausing = Boolean(me()?.pause);
  $("#pause").hidden = !interpreter;
  $("#pause").setAttribute("aria-pressed", String(pausing));
  $("#pause").textContent = pausing ? t("Pause asked for: take it back") : t("Pause to interpret");
  const hand = Boolean(me()?.hand);
  const button = $("#hand");
  button.setAttribute("aria-pressed", String(hand));
  button.textContent = hand ? t("Lower my hand") : t("I want to say something");
}

/** One clear choice per entry: the family's word on a plan step, a reaction on anything else;
 * and on every entry, asking for a change in one's own words. */
function reactionButtons(entry) {
  if (entry.ask_first && !entry.ask_first.approved) return askedOfMe(entry);
  const listen = el("button", { type: "button", class: "react listen", dataset: { key: "listen" }, "aria-label": t("Listen to this entry"), onclick: () => readAloud(entry.text, state.meeting.language, $("#speech-note")) }, t("Listen"));
  return [...choiceButtons(entry), ...askButton(entry, state, live, record, render), unclearButton(entry), listen];
}

/** My three houses, when the chair asks whether they may be shown: I answer here, and only I. */
function renderMyHouses() {
  const houses = state.houses;
  const asked = Boolean(houses && houses.status === "offered" && houses.child === live.you?.id);
  const box = $("#my-houses");
  const opening = asked && box.hidden;
  box.hidden = !asked;
  if (!asked) return;
  fill($("#my-houses-view"), housesView(houses.items));
  if (opening) $("#my-houses-h").focus();
}
$("#houses-yes").addEventListener("click", () => live.send({ op: "houses.answer", show: true }));
$("#houses-no").addEventListener("click", () => live.send({ op: "houses.answer", show: false }));

/** An entry that concerns me, asked of me first: I let it into the shared record, or ask for a
 * change in my own words (a correction request, answered before I approve). */
function askedOfMe(entry) {
  const approve = () => live.send({ op: "entry.approve", entry: entry.id });
  return [
    el("p", { class: "ask-note" }, t("This entry is about you. Only you, the chair and the scribe see it. It goes into the shared record when you approve it.")),
    el("button", { type: "button", class: "react primary", dataset: { key: "approve" }, onclick: approve }, `✓ ${t("Approve")}`),
    ...askButton(entry, state, live, record, render),
  ];
}

/** "I don't understand this": the chair sees how many said it, never who. */
function unclearButton(entry) {
  const mine = state.unclear_mine.includes(entry.id);
  const toggle = () => {
    const unclear = !state.unclear_mine.includes(entry.id);
    state.unclear_mine = unclear ? [...state.unclear_mine, entry.id] : state.unclear_mine.filter((id) => id !== entry.id);
    live.send({ op: "entry.unclear", entry: entry.id, unclear });
    render();
  };
  return el("button", { type: "button", class: "react unclear", dataset: { key: "unclear" }, "aria-pressed": String(mine), onclick: toggle }, t("I don't understand"));
}

/** The plan read aloud: each step, who does it and by when. */
function planText() {
  const plan = state.phases.find((p) => p.kind === "plan");
  if (!plan) return "";
  return entriesOf(state, plan.key)
    .map((e) => [e.text, e.owner ? `${t("Owner")}: ${participantName(state, e.owner)}` : "", e.due ? `${t("By when")}: ${formatDate(e.due, state.meeting.language)}` : ""].filter(Boolean).join(". "))
    .join(".\n");
}

function choiceButtons(entry) {
  if (entry.kind === "plan") return me()?.family && state.meeting.status === "open" ? agreementButtons(entry) : [];
  const mine = entry.reactions?.[live.you?.id] || null;
  const react = (reaction) => live.send({ op: "entry.react", entry: entry.id, reaction: mine === reaction ? null : reaction });
  return [
    el("button", { type: "button", class: "react", dataset: { key: "agree" }, "aria-pressed": String(mine === "agree"), onclick: () => react("agree") }, `✓ ${t("This is right")}`),
    el("button", { type: "button", class: "react", dataset: { key: "unsure" }, "aria-pressed": String(mine === "unsure"), onclick: () => react("unsure") }, `? ${t("Not quite")}`),
  ];
}

/** The family's word on a plan step: it works for them, or not yet (with an optional reason). */
function agreementButtons(entry) {
  const mine = entry.agreements?.[live.you?.id]?.agreement || null;
  const agree = () => live.send({ op: "plan.agree", entry: entry.id, agreement: "agree" });
  return [
    el("button", { type: "button", class: "react", dataset: { key: "agree" }, "aria-pressed": String(mine === "agree"), onclick: agree }, `✓ ${t("Works for us")}`),
    el("button", { type: "button", class: "react", dataset: { key: "dispute" }, "aria-pressed": String(mine === "dispute"), onclick: (e) => askWhy(entry, e.currentTarget) }, `✗ ${t("Not yet")}`),
  ];
}

/** "Not yet": the reason is asked in the page's own dialog; the keyboard comes back to the step. */
function askWhy(entry, button) {
  const dialog = $("#dispute");
  const text = $("#dispute-text");
  $("#dispute-step").textContent = entry.text;
  text.value = entry.agreements?.[live.you?.id]?.comment || "";
  dialog.returnValue = "";
  dialog.onclose = () => {
    if (dialog.returnValue === "send") {
      const op = { op: "plan.agree", entry: entry.id, agreement: "dispute" };
      if (text.value.trim()) op.comment = text.value.trim();
      live.send(op);
    }
    // The step may have been redrawn meanwhile: its button is found again by the entry's id.
    const again = document.querySelector(`#entry-${entry.id} [data-key="dispute"]`);
    (again && again.isConnected ? again : button)?.focus();
  };
  dialog.showModal();
  text.focus();
}

function applySize() {
  document.documentElement.style.setProperty("--reader-scale", String(size));
  localStorage.setItem("avoin:size", String(size));
}

$("#pause").addEventListener("click", () => {
  live.send(me()?.pause ? { op: "pause.end" } : { op: "pause.ask" });
});
$("#hand").addEventListener("click", () => {
  live.send({ op: me()?.hand ? "hand.lower" : "hand.raise" });
});
$("#smaller").addEventListener("click", () => {
  size = sizes[Math.max(0, sizes.indexOf(size) - 1)] || 1;
  applySize();
});
$("#larger").addEventListener("click", () => {
  size = sizes[Math.min(sizes.length - 1, sizes.indexOf(size) + 1)] || 1;
  applySize();
});
$("#pass").addEventListener("click", () => live.send({ op: "round.pass" }));
// The question is the reader's own language's (the frame says it in each); the record is read in
// the meeting's, in which it was written.
$("#listen-question").addEventListener("click", () => {
  const phase = state.phases[state.current_phase];
  readAloud(`${phase.title}. ${phase.question}`, document.documentElement.lang || "fi", $("#speech-note"));
});
$("#listen-plan").addEventListener("click", () => readAloud(planText(), state.meeting.language, $("#speech-note")));
$("#silent-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const text = $("#silent-text").value.trim();
  if (!text) return;
  live.send({ op: "silent.write", text });
  $("#silent-text").value = "";
});
setupFeedback(live);
setupBoardWriter(live);

applySize();
live.start();
