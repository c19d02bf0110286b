// Correction requests (app/meetings/requests.py): anyone let in asks for a change to an entry,
// in their own words; the scribe or the chair takes it into the record (as it is or edited) or
// answers it. Both are inline editors on the entry, as an edit is; the trail under the entry is
// drawn by record.js on every screen.

import { el, t } from "./dom.js";
import { participantName } from "./model.js";
import { announce } from "./record.js";

/** The open requests of an entry, oldest first. */
export const openRequests = (entry) => (entry.requests || []).filter((r) => r.status === "open");

/** Whether `you` may answer requests now: the scribe or the chair while the meeting is open;
 * after the close whoever can still correct the record (`canCorrect`). */
export function canResolve(state, you, correcting) {
  if (state?.meeting.status === "closed") return correcting;
  return you?.kind === "chair" || you?.kind === "scribe";
}

/** The phone's control: ask for a change, or a quiet note that the request is waiting. */
export function askButton(entry, state, live, record, render) {
  if (state.meeting.status !== "open" || entry.deleted) return [];
  const waiting = openRequests(entry).some((r) => r.by === live.you?.id);
  if (waiting) {
    return [el("button", { type: "button", class: "react", dataset: { key: "request" }, disabled: true }, `✎ ${t("Your request is waiting")}`)];
  }
  return [
    el("button", { type: "button", class: "react", dataset: { key: "request" }, onclick: () => startRequest(entry, live, record, render) }, `✎ ${t("Ask for a change")}`),
  ];
}

function startRequest(entry, live, record, render) {
  const li = document.getElementById(`entry-${entry.id}`);
  if (!li) return;
  record.editing.add(entry.id);
  const wordingId = `request-wording-${entry.id}`;
  const noteId = `request-note-${entry.id}`;
  const hintId = `request-hint-${entry.id}`;
  const wording = el("textarea", { id: wordingId, rows: 3, maxlength: 4000 });
  wording.value = entry.text;
  const note = el("textarea", { id: noteId, rows: 2, maxlength: 500, "aria-describedby": hintId });
  const hint = el("p", { id: hintId, class: "muted" }, t("Change the wording, or say what is not right, or both."));
  const done = () => {
    record.editing.delete(entry.id);
    record.forget(entry.id);
    render();
    document.querySelector(`#entry-${entry.id} [data-key="request"]`)?.focus();
  };
  const send = () => {
    const text = wording.value.trim();
    const why = note.value.trim();
    const changed = text && text !== entry.text;
    if (!changed && !why) {
      note.setAttribute("aria-invalid", "true");
      hint.classList.add("alert");
      note.focus();
      return;
    }
    const op = { op: "entry.request", entry: entry.id };
    if (changed) op.wording = text;
    if (why) op.note = why;
    live.send(op);
    announce(t("Your request was sent. The scribe will answer it."));
    done();
  };
  li.addEventListener("keydown", (e) => {
    if (e.key === "Escape") done();
  });
  li.replaceChildren(
    el("form", { class: "edit request-form stack", onsubmit: (e) => { e.preventDefault(); send(); } },
      el("p", { class: "muted" }, `${t("Now it reads")}: ”${entry.text}”`),
      el("label", { for: wordingId }, t("How should it read?")),
      wording,
      el("label", { for: noteId }, t("What is not right? (optional)")),
      note,
      hint,
      el("div", { class: "actions" },
        el("button", { type: "submit", class: "primary" }, t("Send the request")),
        el("button", { type: "button", onclick: done }, t("Cancel")),
      ),
    ),
  );
  wording.focus();
}

/** The scribe's and the chair's control on an entry with a request waiting. */
export function answerButton(entry, state, live, record, render) {
  const waiting = openRequests(entry);
  if (!waiting.length) return [];
  return [
    el("button", { type: "button", class: "request-waiting", dataset: { key: "answer-request" }, onclick: () => startAnswer(entry, waiting[0], state, live, record, render) },
      `✎ ${t("Answer the request")} (${waiting.length})`),
  ];
}

function startAnswer(entry, request, state, live, record, render) {
  const li = document.getElementById(`entry-${entry.id}`);
  if (!li) return;
  record.editing.add(entry.id);
  const wordingId = `resolve-wording-${entry.id}`;
  const answerId = `resolve-answer-${entry.id}`;
  const wording = el("textarea", { id: wordingId, rows: 3, maxlength: 4000 });
  wording.value = request.wording || entry.text;
  const answer = el("textarea", { id: answerId, rows: 2, maxlength: 4000 });
  const done = () => {
    record.editing.delete(entry.id);
    record.forget(entry.id);
    render();
    document.querySelector(`#entry-${entry.id} [data-key="answer-request"]`)?.focus();
  };
  const resolve = (outcome, text) => {
    const op = { op: "request.resolve", entry: entry.id, request: request.id, outcome };
    if (text) op.text = text;
    live.send(op);
    done();
  };
  const takeIn = () => {
    if (!wording.value.trim()) {
      wording.setAttribute("aria-invalid", "true");
      wording.focus();
      return;
    }
    resolve("accept", wording.value.trim() === request.wording ? null : wording.value.trim());
  };
  const reply = () => {
    if (!answer.value.trim()) {
      answer.setAttribute("aria-invalid", "true");
      answer.focus();
      return;
    }
    resolve("answer", answer.value.trim());
  };
  li.addEventListener("keydown", (e) => {
    if (e.key === "Escape") done();
  });
  const who = participantName(state, request.by);
  li.replaceChildren(
    el("div", { class: "edit request-form stack" },
      el("p", {}, `${t("Request from %(name)s", { name: who })}:`),
      request.wording ? el("p", { class: "request-wording" }, `”${request.wording}”`) : null,
      request.note ? el("p", { class: "muted" }, request.note) : null,
      el("p", { class: "muted" }, `${t("Now it reads")}: ”${entry.text}”`),
      el("label", { for: wordingId }, t("Wording to take into the record")),
      wording,
      el("div", { class: "actions" }, el("button", { type: "button", class: "primary", onclick: takeIn }, t("Take it into the record"))),
      el("label", { for: answerId }, t("Or answer without changing the entry")),
      answer,
      el("div", { class: "actions" },
        el("button", { type: "button", onclick: reply }, t("Send the answer")),
        el("button", { type: "button", onclick: done }, t("Cancel")),
      ),
    ),
  );
  wording.focus();
}
