// The chair's console: lobby, participants, the frame as a stepper, timer, close.

import { $, el, fill, t } from "./dom.js";
import { Live } from "./live.js";
import { RecordView, announce, renderPhaseHead, renderTimer } from "./record.js";
import { hideDraft, showDraft, showError } from "./common.js";

const record = new RecordView($("#record"));
let state = null;

const live = new Live({
  snapshot(s) {
    state = s;
    render();
  },
  event(ev, s) {
    state = s;
    if (ev.name === "participant.joined") announce(`${ev.data.participant.name}: ${t("Waiting in the lobby")}`);
    if (ev.name === "entry.added") hideDraft();
    render();
    if (ev.name === "entry.added") record.highlight(ev.data.entry.id);
  },
  presence() {
    renderPeople();
  },
  draft(frame) {
    showDraft(frame, state, live.you?.id);
  },
  error: showError,
});

function render() {
  if (!state) return;
  renderPhaseHead($("#phase-head"), state);
  const phase = state.phases[state.current_phase];
  fill($("#prompts"), phase.prompts.map((p) => el("li", {}, p)));
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
  $("#prev").disabled = state.current_phase === 0;
  $("#next").disabled = state.current_phase === state.phases.length - 1;
  renderTimer($("#timer"), state);
  renderPeople();
  record.render(state);
  const closed = state.meeting.status === "closed";
  $("#close-meeting").disabled = closed;
  const count = $("#feedback-count");
  count.hidden = !closed;
  count.textContent = `${t("Feedback")}: ${state.feedback_count}`;
  document.body.classList.toggle("closed", closed);
}

function kindLabel(p) {
  return { chair: t("chair"), scribe: t("scribe"), screen: t("screen") }[p.kind] || "";
}

function renderPeople() {
  if (!state) return;
  const waiting = state.participants.filter((p) => !p.admitted);
  fill(
    $("#lobby"),
    waiting.length
      ? waiting.map((p) =>
          el("li", { class: "person waiting" },
            el("span", { class: "name" }, p.name, p.role_label ? el("span", { class: "muted" }, ` · ${p.role_label}`) : null),
            el("span", { class: "buttons" },
              el("button", { type: "button", class: "primary", onclick: () => live.send({ op: "participant.admit", participant: p.id }) }, t("Admit")),
              el("button", { type: "button", onclick: () => live.send({ op: "participant.remove", participant: p.id }) }, t("Decline")),
            ),
          ),
        )
      : [el("li", { class: "muted" }, t("Nobody is waiting."))],
  );
  const inside = state.participants.filter((p) => p.admitted && p.kind !== "screen");
  fill(
    $("#people"),
    inside.map((p) => {
      const badges = [
        kindLabel(p) && el("span", { class: "badge" }, kindLabel(p)),
        p.family && el("span", { class: "badge family" }, t("family")),
        p.hand && el("span", { class: "badge hand" }, t("Hand raised")),
      ];
      const buttons = [];
      if (p.kind === "participant") {
        buttons.push(el("button", { type: "button", onclick: () => live.send({ op: "participant.role", participant: p.id, role: "scribe" }) }, t("Make scribe")));
      } else if (p.kind === "scribe") {
        buttons.push(el("button", { type: "button", onclick: () => live.send({ op: "participant.role", participant: p.id, role: "participant" }) }, t("Make participant")));
      }
      if (p.hand) buttons.push(el("button", { type: "button", onclick: () => live.send({ op: "hand.lower", participant: p.id }) }, t("Lower the hand")));
      if (p.kind !== "chair") buttons.push(el("button", { type: "button", class: "subtle", onclick: () => live.send({ op: "participant.remove", participant: p.id }) }, t("Remove")));
      return el("li", { class: p.hand ? "person hand-up" : "person" },
        el("span", { class: p.online ? "dot online" : "dot", title: p.online ? t("online") : t("offline") }),
        el("span", { class: "name" }, p.name, p.role_label ? el("span", { class: "muted" }, ` · ${p.role_label}`) : null),
        el("span", { class: "badges" }, badges),
        el("span", { class: "buttons" }, buttons),
      );
    }),
  );
}

$("#prev").addEventListener("click", () => live.send({ op: "phase.goto", index: state.current_phase - 1 }));
$("#next").addEventListener("click", () => live.send({ op: "phase.goto", index: state.current_phase + 1 }));
$("#timer-start").addEventListener("click", () => {
  const minutes = Number($("#timer-min").value) || 10;
  live.send({ op: "timer.start", seconds: Math.round(minutes * 60) });
});
$("#timer-stop").addEventListener("click", () => state?.timer && live.send({ op: "timer.stop" }));
$("#close-meeting").addEventListener("click", () => {
  if (confirm(t("Close the meeting for everyone?"))) live.send({ op: "meeting.close" });
});

live.start();
