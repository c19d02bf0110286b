// The three questions at the end, on every phone and laptop: anonymous to the room.

import { $, t } from "./dom.js";
import { newId } from "./live.js";

/** Post the answers; a failed post keeps the form, says why, and may be sent again. */
async function send(meeting, body, form) {
  const status = $("#feedback-status");
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    const answer = await fetch(`/api/meetings/${meeting}/feedback`, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    if (answer.ok || answer.status === 409) {
      form.hidden = true;
      $("#thanks").hidden = false;
      return;
    }
    const problem = await answer.json().catch(() => ({}));
    status.textContent = problem.error?.message || t("Could not send. Try again.");
  } catch {
    status.textContent = t("Could not send. Try again.");
  } finally {
    button.disabled = false;
  }
}

/** Wire the feedback form (in _feedback.html) to the live client. */
export function setupFeedback(live) {
  const form = $("#feedback");
  if (!form) return;
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const value = (name) => Number(form.elements[name].value);
    const body = { id: newId(), heard: value("heard"), next: value("next"), together: value("together") };
    const comment = $("#comment").value.trim();
    if (comment) body.comment = comment;
    send(live.meeting, body, form);
  });
}

/** Show the questions once the meeting is closed (unless already answered on this device). */
export function showFeedbackIfClosed(state) {
  const section = $("#closed");
  if (section) section.hidden = state.meeting.status !== "closed";
}
