// The phone: the lobby, then the record in large adjustable text, raise a hand, say whether an
// entry is right; feedback after the meeting closes.

import { $, el, t } from "./dom.js";
import { Live } from "./live.js";
import { RecordView, announce, renderPhaseHead, renderTimer } from "./record.js";
import { hideDraft, showDraft, showError } from "./common.js";

let state = null;
const record = new RecordView($("#record"), { actions: reactionButtons, currentFirst: true });
const sizes = [1, 1.15, 1.3, 1.5, 1.75];
let size = Number(localStorage.getItem("avoin:size") || 1);

const live = new Live({
  welcome(you) {
    if (!you.admitted) show("lobby");
  },
  lobby(ev) {
    if (ev.name === "participant.removed") {
      $("#lobby-text").textContent = t("You were not let in to this meeting.");
    }
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
    if (ev.name === "phase.changed") announce(state.phases[state.current_phase].title);
    render();
    if (ev.name === "entry.added") record.highlight(ev.data.entry.id);
  },
  draft(frame) {
    showDraft(frame, state, live.you?.id);
  },
  error: showError,
  ended(code) {
    show("lobby");
    $("#lobby-text").textContent = t("You were not let in to this meeting.");
  },
});

function show(which) {
  for (const id of ["lobby", "inside", "closed"]) $(`#${id}`).hidden = id !== which;
}

function me() {
  return state?.participants.find((p) => p.id === live.you?.id);
}

function render() {
  if (!state) return;
  if (state.meeting.status === "closed") {
    show("closed");
    return;
  }
  show("inside");
  renderPhaseHead($("#phase-head"), state);
  renderTimer($("#timer"), state);
  record.render(state);
  const hand = Boolean(me()?.hand);
  const button = $("#hand");
  button.setAttribute("aria-pressed", String(hand));
  button.textContent = hand ? t("Lower my hand") : t("I want to say something");
}

function reactionButtons(entry) {
  const mine = entry.reactions?.[live.you?.id] || null;
  const react = (reaction) => live.send({ op: "entry.react", entry: entry.id, reaction: mine === reaction ? null : reaction });
  return [
    el("button", { type: "button", class: "react", "aria-pressed": String(mine === "agree"), onclick: () => react("agree") }, `✓ ${t("This is right")}`),
    el("button", { type: "button", class: "react", "aria-pressed": String(mine === "unsure"), onclick: () => react("unsure") }, `? ${t("Not quite")}`),
  ];
}

function applySize() {
  document.documentElement.style.setProperty("--reader-scale", String(size));
  localStorage.setItem("avoin:size", String(size));
}

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
$("#feedback").addEventListener("submit", (e) => {
  e.preventDefault();
  const form = e.target;
  const value = (name) => Number(form.elements[name].value);
  const op = { op: "feedback.submit", heard: value("heard"), next: value("next"), together: value("together") };
  const comment = $("#comment").value.trim();
  if (comment) op.comment = comment;
  live.send(op);
  form.hidden = true;
  $("#thanks").hidden = false;
});

applySize();
live.start();
