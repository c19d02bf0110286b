// The shared screen: read from 4 m. Current phase and question large, its record growing,
// the draft as it is typed, the other phases summarised, and how to join.

import { $, el, fill } from "./dom.js";
import { Live } from "./live.js";
import { RecordView, renderPhaseHead, renderTimer } from "./record.js";
import { entriesOf } from "./model.js";
import { hideDraft, renderDialogue, showDraft, showPreparation } from "./common.js";
import { renderReview } from "./process.js";
import { boardDraft, bowlView, renderBoards, shownBoard } from "./workshop_views.js";

let state = null;
const record = new RecordView($("#record"), { only: "current" });

const live = new Live({
  snapshot(s) {
    state = s;
    render();
  },
  event(ev, s) {
    state = s;
    if (ev.name === "entry.added") hideDraft();
    render();
    if (ev.name === "entry.added") {
      record.highlight(ev.data.entry.id);
      document.getElementById(`entry-${ev.data.entry.id}`)?.scrollIntoView({ block: "end", behavior: "smooth" });
    }
  },
  draft(frame) {
    if (boardDraft(frame)) {
      renderWorkshopScreen();
      return;
    }
    showDraft(frame, state, null);
  },
});

function render() {
  if (!state) return;
  renderPhaseHead($("#phase-head"), state);
  renderTimer($("#timer"), state);
  renderDialogue($("#dialogue"), state, null);
  renderWorkshopScreen();
  showPreparation(state);
  renderReview($("#review"), state, live);
  record.render(state);
  fill(
    $("#summary"),
    state.phases.map((p, i) =>
      el("li", { class: i === state.current_phase ? "current" : "" },
        el("span", { class: "title" }, p.title),
        el("span", { class: "count" }, String(i === state.current_phase ? entriesOf(state, p.key).length : state.counts?.[p.key] ?? 0)),
      ),
    ),
  );
  $("#join").hidden = state.meeting.status !== "open" || !state.meeting.lobby_open;
  const summary = state.process.summary;
  const box = $("#summary-box");
  box.hidden = !summary;
  if (summary) {
    const src = `/api/meetings/${state.meeting.id}/summary-qr.svg?as=screen&v=${encodeURIComponent(summary.url.slice(-8))}`;
    const img = box.querySelector("img");
    if (img.getAttribute("src") !== src) img.setAttribute("src", src);
  }
}

/** The fishbowl, and the board brought to the plenary (or, during group work, every board). */
function renderWorkshopScreen() {
  const box = $("#ws-screen");
  const parts = [];
  const bowl = bowlView(state);
  if (bowl) parts.push(bowl);
  const shown = shownBoard(state);
  const phase = state.phases[state.current_phase];
  if (shown) {
    parts.push(el("div", { class: "shown" }, shown));
  } else if (phase.kind === "groups") {
    const boards = el("div", { class: "boards" });
    renderBoards(boards, state, phase.key);
    parts.push(boards);
  }
  fill(box, parts);
  box.hidden = parts.length === 0;
}

live.start();
