// The chair's console: a bar always in sight (phase, timer, hands, the round, Back/Next), the
// lobby with knocks, the participants, the frame as a stepper, handing over roles, closing the
// meeting; and the record as everyone sees it.

import { $, confirmInPage, el, fill, fillIfChanged, offerUndo, t, withdrawUndo } from "./dom.js";
import { Live, newId } from "./live.js";
import { setupFeedback, showFeedbackIfClosed } from "./feedback.js";
import { RecordView, announce, renderPhaseHead, renderTimer, stopTimer } from "./record.js";
import { hideDraft, housesView, renderDialogue, showDraft, showError, showPreparation } from "./common.js";
import { entriesOf, participantName } from "./model.js";
import { renderNext, renderReview } from "./process.js";
import { renderWorkshop, setupWorkshop } from "./workshop.js";
import { boardDraft } from "./workshop_views.js";
import { canCorrect, closedNote, correctionActions, correctionSaved } from "./correct.js";
import { answerButton, canResolve } from "./request.js";

const record = new RecordView($("#record"), {
  // After the close the chair corrects the locked record (the chair's socket outlasts the close).
  actions: (entry, s) => [
    ...(canResolve(s, live.you, canCorrect(s, live)) ? answerButton(entry, s, live, record, render) : []),
    ...correctionActions(entry, s, live, record, render),
  ],
  actionsKey: (s) => String(canCorrect(s, live)),
  reactionNames: true,
  unclear: true,
});
const baseTitle = document.title;
let state = null;
let roundOrder = null; // the round being set up: [{id, on}], in the order the chair chose
let shareOnClose = null; // the family's summary to share once the close is through: its days

const live = new Live({
  snapshot(s) {
    state = s;
    if (state.meeting.status === "closed") shareAfterClose();
    render();
  },
  event(ev, s, mine) {
    state = s;
    if (ev.name === "participant.joined") knock(ev.data.participant);
    if (ev.name === "entry.corrected" && mine) correctionSaved();
    if (ev.name === "participant.role_changed" && ev.data.previous === live.you?.id) {
      location.reload(); // the chair was handed over: this page becomes a participant's
      return;
    }
    if (ev.name === "entry.added") hideDraft();
    if (ev.name === "meeting.closed") {
      // A closed meeting's phase cannot be stepped back: the offer would cover the record.
      withdrawUndo($("#phase-undo"));
      shareAfterClose();
    }
    if (ev.name === "phase.changed" && mine) offerPhaseBack(shownPhase);
    render();
    if (ev.name === "meeting.closed") {
      // The close was clicked far down the console: what it means is shown at the top.
      $("#closed-h").focus();
      $("#closed").scrollIntoView({ block: "start" });
    }
    if (ev.name === "entry.added") record.highlight(ev.data.entry.id);
  },
  presence() {
    renderPeople();
  },
  draft(frame) {
    if (boardDraft(frame)) {
      renderWorkshop(state, Date.now(), live);
      return;
    }
    showDraft(frame, state, live.you?.id);
  },
  error: showError,
});

function knock(person) {
  const who = person.role_label ? `${person.name} (${person.role_label})` : person.name;
  announce(`${who}: ${t("Waiting in the lobby")}`);
  const toast = $("#knock");
  toast.textContent = `${who} — ${t("Waiting in the lobby")}`;
  toast.dataset.who = person.id;
  toast.hidden = false;
  clearTimeout(toast._hide);
  toast._hide = setTimeout(() => {
    toast.hidden = true;
  }, 8000);
}

// The phase the console shows: after a step, the one to offer going back to.
let shownPhase = null;

/** "Oops, wrong phase": for a few seconds after a step, one click takes the room back. */
function offerPhaseBack(previous) {
  if (previous === null || previous === state.current_phase) return;
  const title = state.phases[state.current_phase].title;
  const back = () => live.send({ op: "phase.goto", index: previous });
  offerUndo($("#phase-undo"), t("Moved to %(phase)s.", { phase: title }), back);
}

function render() {
  if (!state) return;
  shownPhase = state.current_phase;
  renderPhaseHead($("#phase-head"), state);
  const phase = state.phases[state.current_phase];
  fill($("#prompts"), phase.prompts.map((p) => el("li", {}, p)));
  renderWorkshop(state, Date.now(), live);
  fill(
    $("#stepper"),
    state.phases.map((p, i) =>
      el("li", {},
        el("button", {
          type: "button",
          class: i === state.current_phase ? "step current" : "step",
          "aria-current": i === state.current_phase ? "step" : null,
          onclick: () => i !== state.current_phase && live.send({ op: "phase.goto", index: i }),
        }, `${i + 1}. ${p.title}`, el("span", { class: "muted" }, ` · ${p.minutes} min`)),
      ),
    ),
  );
  const closed = state.meeting.status === "closed";
  for (const step of $("#stepper").querySelectorAll("button")) step.disabled = closed;
  $("#prev").disabled = closed || state.current_phase === 0;
  $("#next").disabled = closed || state.current_phase === state.phases.length - 1;
  renderBar(closed);
  renderDialogue($("#dialogue"), state, live.you?.id);
  showPreparation(state);
  renderHouses(closed);
  renderDialogueControls(closed);
  renderVoices();
  $("#timer-extend").disabled = closed || !state.timer;
  $("#timer-stop").disabled = closed || !state.timer;
  $("#timer-start").disabled = closed;
  renderPeople();
  record.render(state);
  $("#locked").textContent = closedNote(state, live);
  $("#close-meeting").disabled = closed;
  const lobbyButton = $("#lobby-toggle");
  lobbyButton.disabled = closed;
  lobbyButton.textContent = state.meeting.lobby_open ? t("Close the lobby") : t("Open the lobby");
  $("#lobby-state").textContent = state.meeting.lobby_open ? t("The lobby is open: people can knock with the code.") : t("The lobby is closed: nobody new can join.");
  const count = $("#feedback-count");
  count.hidden = !closed;
  count.textContent = t("Feedback from %(n)s people", { n: state.feedback_count });
  document.body.classList.toggle("closed", closed);
  showFeedbackIfClosed(state);
  renderReview($("#review"), state, live, { canMark: !closed });
  renderNext($("#next-meeting"), state);
  renderSummaryShare(closed);
}

/** The child's three houses: the chair sees them, asks the child, and sees the answer. */
function renderHouses(closed) {
  const houses = state.houses;
  $("#houses").hidden = !houses || houses.status === "shown" || closed;
  if (!houses) return;
  const child = participantName(state, houses.child);
  const status = {
    ready: t("Not shown to anyone. Ask the child on their phone whether to show them."),
    offered: t("Asked %(name)s: waiting for their answer.", { name: child }),
    declined: t("%(name)s did not want to show them now. You may ask again later.", { name: child }),
    shown: "",
  }[houses.status];
  $("#houses-status").textContent = status;
  fillIfChanged($("#houses-view"), housesView(houses.items));
  $("#houses-ask").hidden = houses.status === "offered";
  const chosen = $("#houses-child").value || houses.child || "";
  const people = state.participants.filter((p) => p.admitted && p.kind === "participant");
  fillIfChanged(
    $("#houses-child"),
    people.map((p) => el("option", { value: p.id, selected: p.id === chosen || (!chosen && p.family) }, participantName(state, p.id))),
  );
  $("#houses-offer").disabled = !people.length;
}

$("#houses-offer").addEventListener("click", () => {
  const participant = $("#houses-child").value;
  if (participant) live.send({ op: "houses.offer", participant });
});

/** The bar that stays in sight: the phase, the timer, who waits, the round, the hands. */
function renderBar(closed) {
  const phase = state.phases[state.current_phase];
  $("#bar-phase").textContent = `${state.current_phase + 1}/${state.phases.length} · ${phase.title}`;
  $("#bar-closed").hidden = !closed;
  if (closed) stopTimer($("#timer"));
  else renderTimer($("#timer"), state);
  // With an interpreter in the room the timers give interpreting time, unless the chair says not.
  const withTime = $("#timer-interpreting");
  if (!withTime.dataset.chosen) withTime.checked = state.participants.some((p) => p.interpreter && p.admitted);
  const pausing = state.participants.filter((p) => p.pause && p.interpreter);
  $("#pause-signal").hidden = !pausing.length || closed;
  if (pausing.length) {
    $("#pause-text").textContent = `⏸ ${t("%(name)s asks for a pause to interpret", { name: pausing[0].name })}`;
    $("#pause-end").onclick = () => live.send({ op: "pause.end", participant: pausing[0].id });
  }
  const round = state.round;
  $("#bar-round").hidden = !round || closed;
  if (round) {
    const next = round.next ? ` · ${t("next")}: ${participantName(state, round.next)}` : "";
    $("#bar-speaker").textContent = `${t("Speaking now")}: ${round.speaker ? participantName(state, round.speaker) : "–"}${next}`;
  }
}

function renderDialogueControls(closed) {
  const round = Boolean(state.round);
  if (round || closed) roundOrder = null;
  $("#round-start").hidden = round || Boolean(roundOrder);
  $("#round-start").disabled = closed;
  for (const id of ["#round-pass", "#round-end"]) $(id).hidden = !round;
  renderRoundSetup();
  $("#silent-open").hidden = Boolean(state.silent);
  $("#silent-open").disabled = closed;
  const reveal = $("#silent-reveal");
  reveal.hidden = !state.silent;
  if (state.silent) reveal.textContent = `${t("Reveal the thoughts")} (${state.silent.count})`;
}

/** A quiet overview for the chair only: who has a voice in this phase, and who not yet. */
function renderVoices() {
  const phase = state.phases[state.current_phase];
  const people = state.participants.filter((p) => p.admitted && p.kind !== "screen");
  const spoke = new Set(entriesOf(state, phase.key).map((e) => e.speaker));
  const heard = people.filter((p) => spoke.has(p.id));
  const notYet = people.filter((p) => !spoke.has(p.id) && p.kind !== "scribe");
  const attributed = state.entries.filter((e) => !e.deleted && people.some((p) => p.id === e.speaker));
  const family = attributed.filter((e) => people.find((p) => p.id === e.speaker)?.family).length;
  const share = attributed.length ? Math.round((100 * family) / attributed.length) : 0;
  fill(
    $("#voices"),
    el("p", {}, el("strong", {}, `${t("Heard in this phase")}: `), heard.length ? heard.map((p) => participantName(state, p.id)).join(", ") : "–"),
    el("p", {}, el("strong", {}, `${t("Not yet heard in this phase")}: `), notYet.length ? notYet.map((p) => participantName(state, p.id)).join(", ") : "–"),
    el("p", { class: "muted" }, t("The family's voices in the record: %(n)s of %(total)s entries (%(share)s %)", { n: family, total: attributed.length, share })),
  );
}

function renderSummaryShare(closed) {
  $("#summary-share").hidden = !closed;
  const summary = state.process.summary;
  const box = $("#summary-qr");
  box.hidden = !summary;
  $("#summary-offer").hidden = Boolean(summary);
  if (summary) {
    const img = box.querySelector("img");
    const src = `/api/meetings/${state.meeting.id}/summary-qr.svg?v=${encodeURIComponent(summary.url.slice(-8))}`;
    if (img.getAttribute("src") !== src) img.setAttribute("src", src);
    const link = $("#summary-link");
    link.href = summary.url;
    link.textContent = `${location.origin}${summary.url}`;
  }
}

/** The round's order as the chair sets it: everyone in the room in a random order, the chair and
 * the scribe left out unless added; whoever should speak first is moved to the top. */
function openRoundSetup() {
  const people = state.participants.filter((p) => p.admitted && p.kind !== "screen");
  const voices = people.filter((p) => p.kind === "participant");
  for (let i = voices.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [voices[i], voices[j]] = [voices[j], voices[i]];
  }
  const staff = people.filter((p) => p.kind !== "participant");
  roundOrder = [...voices.map((p) => ({ id: p.id, on: true })), ...staff.map((p) => ({ id: p.id, on: false }))];
  render();
  $("#round-order input")?.focus();
}

function moveInRound(index, by) {
  const to = index + by;
  if (to < 0 || to >= roundOrder.length) return;
  [roundOrder[index], roundOrder[to]] = [roundOrder[to], roundOrder[index]];
  renderRoundSetup();
}

function renderRoundSetup() {
  const box = $("#round-setup");
  box.hidden = !roundOrder;
  if (!roundOrder) return;
  const inRoom = new Set(state.participants.filter((p) => p.admitted).map((p) => p.id));
  roundOrder = roundOrder.filter((item) => inRoom.has(item.id));
  fill(
    $("#round-order"),
    roundOrder.map((item, i) => {
      const name = participantName(state, item.id);
      return el("li", { class: item.on ? "in-round" : "out-of-round" },
        el("label", {},
          el("input", { type: "checkbox", checked: item.on, dataset: { key: `in-${item.id}` }, onchange: (e) => { item.on = e.target.checked; renderRoundSetup(); } }),
          ` ${name}`),
        el("span", { class: "buttons" },
          el("button", { type: "button", class: "subtle", disabled: i === 0, dataset: { key: `up-${item.id}` }, "aria-label": t("Move %(name)s up", { name }), onclick: () => moveInRound(i, -1) }, "↑"),
          el("button", { type: "button", class: "subtle", disabled: i === roundOrder.length - 1, dataset: { key: `down-${item.id}` }, "aria-label": t("Move %(name)s down", { name }), onclick: () => moveInRound(i, 1) }, "↓"),
        ),
      );
    }),
  );
  $("#round-go").disabled = !roundOrder.some((item) => item.on);
}

/** Closed with the family's summary: shared over HTTP, since a phone that chairs loses its
 * live socket at the close. */
async function shareAfterClose() {
  if (shareOnClose === null) return;
  const days = shareOnClose;
  shareOnClose = null;
  const answer = await fetch(`/api/meetings/${live.meeting}/summary`, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ id: newId(), days }),
  });
  if (!answer.ok) showError({ message: (await answer.json().catch(() => ({}))).error?.message || t("Something went wrong.") });
}

function handOver(p) {
  const dialog = $("#handover");
  $("#handover-h").textContent = t("Hand the chair over to %(name)s?", { name: p.name });
  $("#handover-account").hidden = Boolean(p.account);
  dialog.returnValue = "";
  dialog.onclose = () => {
    if (dialog.returnValue === "hand") live.send({ op: "participant.role", participant: p.id, role: "chair" });
  };
  dialog.showModal();
}

function kindLabel(p) {
  return { chair: t("chair"), scribe: t("scribe"), screen: t("screen") }[p.kind] || "";
}

function send(op) {
  return () => live.send(op);
}

function renderPeople() {
  if (!state) return;
  const closed = state.meeting.status !== "open";
  const waiting = closed ? [] : state.participants.filter((p) => !p.admitted);
  const inside = state.participants.filter((p) => p.admitted && p.kind !== "screen");
  // The queue: whoever raised a hand first speaks first (the server's time, to the millisecond).
  const hands = inside.filter((p) => p.hand).sort((a, b) => Date.parse(a.hand_at || "") - Date.parse(b.hand_at || ""));
  // In another tab the chair still sees who waits and how many hands are up.
  const counts = [waiting.length ? `(${waiting.length})` : "", hands.length ? `${t("Hands up: %(n)s", { n: hands.length })} ·` : ""].filter(Boolean);
  document.title = counts.length ? `${counts.join(" ")} ${baseTitle}` : baseTitle;
  const toast = $("#knock");
  if (!toast.hidden && !waiting.some((p) => p.id === toast.dataset.who)) toast.hidden = true;
  const barLobby = $("#bar-lobby");
  barLobby.hidden = !waiting.length;
  barLobby.textContent = t("In the lobby: %(n)s", { n: waiting.length });
  fillIfChanged(
    $("#lobby"),
    waiting.length
      ? waiting.map((p) =>
          el("li", { class: "person waiting" },
            el("span", { class: "name" }, p.name, p.role_label ? el("span", { class: "muted" }, ` · ${p.role_label}`) : null,
              p.family ? el("span", { class: "badge family" }, t("family")) : null),
            el("span", { class: "buttons" },
              el("button", { type: "button", class: "primary", dataset: { key: `admit-${p.id}` }, onclick: send({ op: "participant.admit", participant: p.id }) }, t("Admit")),
              el("button", { type: "button", dataset: { key: `decline-${p.id}` }, onclick: send({ op: "participant.remove", participant: p.id }) }, t("Decline")),
            ),
          ),
        )
      : [el("li", { class: "muted" }, t("Nobody is waiting."))],
  );
  // A workshop's sixty knock within minutes: one button lets in everyone who is waiting.
  const all = $("#admit-all");
  all.hidden = waiting.length < 2 || state.meeting.status !== "open";
  all.textContent = t("Admit everyone waiting (%(n)s)", { n: waiting.length });
  all.onclick = () => {
    for (const p of waiting) live.send({ op: "participant.admit", participant: p.id });
  };
  $("#hands").hidden = hands.length === 0;
  fill($("#hands-list"), hands.map((p, i) => el("li", {}, el("span", { class: "num", "aria-hidden": "true" }, `${i + 1}.`), el("span", { class: "name" }, p.name), " ", el("button", { type: "button", class: "subtle", dataset: { key: `lower-${p.id}` }, "aria-label": t("Lower %(name)s's hand", { name: p.name }), onclick: send({ op: "hand.lower", participant: p.id }) }, "✓"))));
  fill(
    $("#people"),
    inside.map((p) => {
      const badges = [
        kindLabel(p) && el("span", { class: "badge" }, kindLabel(p)),
        p.family && el("span", { class: "badge family" }, t("family")),
        p.interpreter && el("span", { class: "badge interpreter" }, t("interpreter")),
        p.hand && el("span", { class: "badge hand" }, t("Hand raised")),
      ];
      const buttons = [];
      // After the close no role, family mark or removal can change anything.
      if (closed) {
        /* no buttons */
      } else if (p.kind === "participant") {
        buttons.push(el("button", { type: "button", dataset: { key: `role-${p.id}` }, onclick: send({ op: "participant.role", participant: p.id, role: "scribe" }) }, t("Make scribe")));
        buttons.push(el("button", { type: "button", class: "subtle", dataset: { key: `interpreter-${p.id}` }, onclick: send({ op: "participant.interpreter", participant: p.id, interpreter: !p.interpreter }) }, p.interpreter ? t("Not interpreter") : t("Make interpreter")));
      } else if (p.kind === "scribe") {
        buttons.push(el("button", { type: "button", dataset: { key: `role-${p.id}` }, onclick: send({ op: "participant.role", participant: p.id, role: "participant" }) }, t("Make participant")));
      }
      if (p.kind !== "chair" && !closed) {
        buttons.push(el("button", { type: "button", class: "subtle", dataset: { key: `family-${p.id}` }, onclick: send({ op: "participant.family", participant: p.id, family: !p.family }) }, p.family ? t("Not family") : t("Mark as family")));
        buttons.push(el("button", {
          type: "button", class: "subtle", dataset: { key: `chair-${p.id}` },
          onclick: () => handOver(p),
        }, t("Hand over the chair")));
        buttons.push(el("button", { type: "button", class: "subtle", dataset: { key: `remove-${p.id}` }, onclick: async () => (await confirmInPage(t("Remove %(name)s from the meeting?", { name: p.name }), t("Remove"))) && live.send({ op: "participant.remove", participant: p.id }) }, t("Remove")));
      }
      return el("li", { class: p.hand ? "person hand-up" : "person" },
        closed ? null : el("span", { class: p.online ? "dot online" : "dot", role: "img", "aria-label": p.online ? t("online") : t("offline") }),
        el("span", { class: "name" }, p.name, p.role_label ? el("span", { class: "muted" }, ` · ${p.role_label}`) : null),
        el("span", { class: "badges" }, badges),
        buttons.length ? el("span", { class: "buttons" }, buttons) : null,
      );
    }),
  );
}

$("#prev").addEventListener("click", () => live.send({ op: "phase.goto", index: state.current_phase - 1 }));
$("#next").addEventListener("click", () => live.send({ op: "phase.goto", index: state.current_phase + 1 }));
$("#timer-start").addEventListener("click", () => {
  const minutes = Number($("#timer-min").value) || 10;
  const op = { op: "timer.start", seconds: Math.min(240, Math.max(1, Math.round(minutes))) * 60 };
  if ($("#timer-interpreting").checked) op.interpreting = true;
  live.send(op);
});
$("#timer-interpreting").addEventListener("change", (e) => {
  e.currentTarget.dataset.chosen = "1";
});
$("#timer-extend").addEventListener("click", () => state?.timer && live.send({ op: "timer.extend", seconds: 300 }));
$("#timer-stop").addEventListener("click", () => state?.timer && live.send({ op: "timer.stop" }));
$("#lobby-toggle").addEventListener("click", () => live.send({ op: "meeting.lobby", open: !state.meeting.lobby_open }));
$("#round-start").addEventListener("click", openRoundSetup);
$("#round-cancel").addEventListener("click", () => {
  roundOrder = null;
  render();
  $("#round-start").focus();
});
$("#round-go").addEventListener("click", () => {
  const order = roundOrder.filter((item) => item.on).map((item) => item.id);
  roundOrder = null;
  live.send({ op: "round.start", phase: state.phases[state.current_phase].key, order });
});
$("#round-next").addEventListener("click", () => live.send({ op: "round.next" }));
$("#round-pass").addEventListener("click", () => live.send({ op: "round.pass" }));
$("#round-end").addEventListener("click", () => live.send({ op: "round.end" }));
$("#silent-open").addEventListener("click", () => live.send({ op: "silent.open", phase: state.phases[state.current_phase].key }));
$("#silent-reveal").addEventListener("click", () => live.send({ op: "silent.reveal" }));
$("#schedule").addEventListener("submit", (e) => {
  e.preventDefault();
  const when = $("#next-when").value;
  if (!when) return;
  const op = { op: "meeting.schedule", when };
  const place = $("#next-place").value.trim();
  if (place) op.place = place;
  live.send(op);
});
$("#summary-make").addEventListener("click", () => live.send({ op: "summary.share", days: Number($("#summary-days").value) }));
$("#summary-revoke").addEventListener("click", () => live.send({ op: "summary.revoke" }));
$("#delete-meeting").addEventListener("click", async () => {
  if (!(await confirmInPage(t("Delete this meeting and its whole record now? This cannot be undone."), t("Delete")))) return;
  const answer = await fetch(`/api/meetings/${state.meeting.id}`, { method: "DELETE" });
  if (answer.ok) location.assign("/");
  else showError({ message: (await answer.json()).error?.message || t("Something went wrong.") });
});
$("#close-meeting").addEventListener("click", () => $("#close-dialog").showModal());
$("#close-dialog").addEventListener("close", (e) => {
  const choice = e.currentTarget.returnValue;
  e.currentTarget.returnValue = "";
  if (choice !== "share" && choice !== "close") return;
  if (choice === "share") shareOnClose = Number($("#summary-days").value) || 14;
  live.send({ op: "meeting.close" });
});

setupFeedback(live);
setupWorkshop(live, render, () => state);
live.start();
