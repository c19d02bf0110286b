// The shared screen: read from 4 m. Current phase and question large, its record growing,
// the draft as it is typed, the other phases summarised, and how to join.

import { $, el, fill } from "./dom.js";
import { Live } from "./live.js";
import { RecordView, renderPhaseHead, renderTimer } from "./record.js";
import { entriesOf } from "./model.js";
import { hideDraft, renderDialogue, showDraft, showPreparation } from "./common.js";
import { renderReview } from "./process.js";

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
    showDraft(frame, state, null);
  },
});

function render() {
  if (!state) return;
  renderPhaseHead($("#phase-head"), state);
  renderTimer($("#timer"), state);
  renderDialogue($("#dialogue"), state, null);
  showPreparation(state);
  renderReview($("#review"), state, live);
  record.render(state);
  fill(
    $("#summary"),
    state.phases.map((p, i) =>
      el("li", { class: i === state.current_phase ? "current" : "" },
        el("span", { class: "title" }, p.title),
        el("span", { class: "count" }, String(entriesOf(state, p.key).length)),
      ),
    ),
  );
  $("#join").hidden = state.meeting.status !== "open" || !state.meeting.lobby_open;
  const summary = state.process.summary;
  const box = $("#summary-box");
  box.hidden = !summary;
  if (summary) {
    const src = `/api/meetings/${state.meeting.id}/summary-qr.svg?token=${encodeURIComponent(live.token)}&v=${encodeURIComponent(summary.url.slice(-8))}`;
    const img = box.querySelector("img");
    if (img.getAttribute("src") !== src) img.setAttribute("src", src);
  }
}

live.start();
