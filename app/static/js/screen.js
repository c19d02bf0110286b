// The shared screen: read from 4 m. Current phase and question large, its record growing,
// the draft as it is typed, the other phases summarised, and how to join. The page is one
// screen high: the flow under the phase head is kept at its end, so that the newest entries
// and what is being typed are always in sight, and older entries scroll off the top.

import { $, el, fill } from "./dom.js";
import { Live } from "./live.js";
import { RecordView, renderPhaseHead, renderTimer } from "./record.js";
import { entriesOf } from "./model.js";
import { hideDraft, renderDialogue, showDraft, showPreparation } from "./common.js";
import { renderReview } from "./process.js";
import { boardDraft, bowlView, renderBoards, shownBoard } from "./workshop_views.js";

let state = null;
const record = new RecordView($("#record"), { only: "current" });
const flow = $("#flow");

const live = new Live({
  snapshot(s) {
    state = s;
    render();
  },
  event(ev, s) {
    state = s;
    if (ev.name === "entry.added") hideDraft();
    render();
    if (ev.name === "entry.added") record.highlight(ev.data.entry.id);
  },
  draft(frame) {
    if (boardDraft(frame)) {
      renderWorkshopScreen();
      return;
    }
    showDraft(frame, state, null);
    keepInSight();
  },
});

function render() {
  if (!state) return;
  const closed = state.meeting.status === "closed";
  for (const id of ["#phase-head", "#flow"]) $(id).hidden = closed;
  $("#ended").hidden = !closed;
  renderPhaseHead($("#phase-head"), state);
  renderTimer($("#timer"), state);
  renderDialogue($("#dialogue"), state, null);
  if (closed) {
    $("#timer").hidden = true;
    $("#dialogue").hidden = true;
  }
  renderWorkshopScreen();
  showPreparation(state);
  renderReview($("#review"), state, live);
  record.render(state);
  renderPhases();
  $("#join").hidden = state.meeting.status !== "open" || !state.meeting.lobby_open;
  renderSummaryCode();
  keepInSight();
}

/** Every phase with its count; when they do not all fit, the current one stays in the middle. */
function renderPhases() {
  const list = $("#summary");
  const open = state.meeting.status !== "closed";
  fill(
    list,
    state.phases.map((p, i) =>
      el("li", { class: open && i === state.current_phase ? "current" : "" },
        el("span", { class: "title" }, p.title),
        el("span", { class: "count" }, String(i === state.current_phase ? entriesOf(state, p.key).length : state.counts?.[p.key] ?? 0)),
      ),
    ),
  );
  centreCurrentPhase();
}

function centreCurrentPhase() {
  const list = $("#summary");
  const current = list.querySelector("li.current");
  if (current) list.scrollTop = current.offsetTop - list.offsetTop - (list.clientHeight - current.offsetHeight) / 2;
}

/** The family's summary link as a QR code, once the chair has shared it after the close. */
function renderSummaryCode() {
  const summary = state.process.summary;
  const box = $("#summary-box");
  box.hidden = !summary;
  if (!summary) return;
  const src = `/api/meetings/${state.meeting.id}/summary-qr.svg?as=screen&v=${encodeURIComponent(summary.url.slice(-8))}`;
  const img = box.querySelector("img");
  if (img.getAttribute("src") !== src) img.setAttribute("src", src);
}

/** The flow at its end while something is written in this phase (the newest entries and the
 * draft in sight); at its start while nothing is, so that what the family brought reads from
 * its beginning. Each group's board likewise shows its newest lines and its draft. */
function keepInSight() {
  if (!state) return;
  const phase = state.phases[state.current_phase];
  const writing = entriesOf(state, phase.key).length > 0 || !$("#draft").hidden;
  flow.scrollTop = writing ? flow.scrollHeight : 0;
  flow.classList.toggle("scrolled", flow.scrollTop > 0);
  for (const list of flow.querySelectorAll(".board-entries")) {
    list.scrollTop = list.scrollHeight;
    list.classList.toggle("scrolled", list.scrollTop > 0);
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
  let boardsMode = false;
  if (shown) {
    parts.push(el("div", { class: "shown" }, shown));
  } else if (phase.kind === "groups") {
    const boards = el("div", { class: "boards" });
    renderBoards(boards, state, phase.key);
    parts.push(boards);
    boardsMode = true;
  }
  fill(box, parts);
  box.hidden = parts.length === 0;
  // During group work the boards share the flow's height, each scrolling on its own.
  flow.classList.toggle("with-boards", boardsMode);
  keepInSight();
}

// Text wraps anew when the window or the fonts change, and the QR codes load late.
new ResizeObserver(keepInSight).observe(flow);
new ResizeObserver(keepInSight).observe($("#record"));
new ResizeObserver(centreCurrentPhase).observe($("#summary"));

live.start();
