// The three questions at the end, on every phone and laptop: anonymous to the room.

import { $ } from "./dom.js";

/** Wire the feedback form (in _feedback.html) to the live client. */
export function setupFeedback(live) {
  const form = $("#feedback");
  if (!form) return;
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const value = (name) => Number(form.elements[name].value);
    const op = { op: "feedback.submit", heard: value("heard"), next: value("next"), together: value("together") };
    const comment = $("#comment").value.trim();
    if (comment) op.comment = comment;
    live.send(op);
    form.hidden = true;
    $("#thanks").hidden = false;
  });
}

/** Show the questions once the meeting is closed (unless already answered on this device). */
export function showFeedbackIfClosed(state) {
  const section = $("#closed");
  if (section) section.hidden = state.meeting.status !== "closed";
}
