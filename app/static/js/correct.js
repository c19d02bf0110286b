// Correcting the closed record: the chair and a scribe with an account keep a live socket after
// the close (see docs/protocol.md, 4001), and only they are offered the control. A correction is
// shown as one, with its reason; the entry shows it once the server has it.

import { el, t } from "./dom.js";
import { announce } from "./record.js";

/** Whether this page can send a correction now: the record is closed and the socket still ours. */
export function canCorrect(state, live) {
  return state?.meeting.status === "closed" && !live.stopped;
}

/** The actions of an entry of the closed record: Correct, or nothing when it cannot work. */
export function correctionActions(entry, state, live, record, render) {
  if (!canCorrect(state, live)) return [];
  return [el("button", { type: "button", class: "subtle", onclick: () => startCorrection(entry, live, record, render) }, t("Correct"))];
}

/** The line a page shows above a closed record: who can still correct it, and how. */
export function closedNote(state, live) {
  if (state?.meeting.status !== "closed") return "";
  return canCorrect(state, live)
    ? t("The meeting is closed and the record locked. A change is now a correction: choose Correct on the entry and give the reason.")
    : t("The meeting is closed and the record locked. The chair can still correct it.");
}

/** Say that one of ours was saved (the entry itself shows the correction). */
export function correctionSaved() {
  announce(t("The correction is saved."));
}

export function startCorrection(entry, live, record, render) {
  const li = document.getElementById(`entry-${entry.id}`);
  if (!li) return;
  record.editing.add(entry.id);
  const area = el("textarea", { rows: 3, maxlength: 4000, "aria-label": t("Corrected text") });
  area.value = entry.text;
  const reason = el("input", { maxlength: 300, required: true, "aria-label": t("Reason for the correction"), placeholder: t("Reason for the correction") });
  const done = () => {
    record.editing.delete(entry.id);
    record.forget(entry.id);
    render();
    document.getElementById(`entry-${entry.id}`)?.focus();
  };
  const save = () => {
    if (!reason.value.trim()) {
      reason.setAttribute("aria-invalid", "true");
      reason.focus();
      return;
    }
    live.send({ op: "entry.correct", entry: entry.id, text: area.value, reason: reason.value.trim() });
    done();
  };
  li.addEventListener("keydown", (e) => {
    if (e.key === "Escape") done();
  });
  li.replaceChildren(
    el("div", { class: "edit" }, area, reason,
      el("div", { class: "actions" },
        el("button", { type: "button", class: "primary", onclick: save }, t("Save the correction")),
        el("button", { type: "button", onclick: done }, t("Cancel")),
      ),
    ),
  );
  area.focus();
}
