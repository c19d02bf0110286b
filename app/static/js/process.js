// The process around the meeting on the live pages: the review of the last plan (steps marked
// done / partly / not yet, and the family's 0–10 answer), the next meeting, the summary link.

import { el, fill, t } from "./dom.js";
import { formatDate } from "./record.js";

const STATUSES = [
  ["done", t("Done")],
  ["partly", t("Partly")],
  ["not_yet", t("Not yet")],
];

/** Whether the phase now going on is the review of the last meeting's plan. */
export function inReview(state) {
  return Boolean(state.process?.review && state.phases[state.current_phase]?.key === "review");
}

/**
 * The review: every screen lists the steps and how they went; writers mark them; family members
 * answer how things are now, on 0–10, against what they said last time.
 */
export function renderReview(node, state, live, { canMark = false, canRate = false } = {}) {
  if (!node) return;
  node.hidden = !inReview(state);
  if (node.hidden) return;
  const review = state.process.review;
  const steps = review.steps.map((step) => {
    const mark = review.marks[step.id];
    const label = mark ? STATUSES.find(([k]) => k === mark)[1] : t("Not looked at yet");
    const meta = [step.owner, step.due && formatDate(step.due, state.meeting.language)].filter(Boolean).join(" · ");
    const buttons = canMark
      ? el("span", { class: "buttons" },
          STATUSES.map(([key, word]) =>
            el("button", { type: "button", class: "react", "aria-pressed": String(mark === key), onclick: () => live.send({ op: "review.mark", step: step.id, status: key }) }, word),
          ),
        )
      : null;
    return el("li", { class: `review-step ${mark || "unmarked"}` },
      el("p", { class: "text" }, step.text),
      meta ? el("p", { class: "muted" }, meta) : null,
      el("p", { class: "status" }, label),
      buttons,
    );
  });
  const wellbeing = review.wellbeing || { count: 0, average: null };
  const now = wellbeing.average === null ? t("Now: no answers yet") : t("Now: %(n)s / 10 (%(count)s answers)", { n: wellbeing.average, count: wellbeing.count });
  // A case's first meeting: no steps yet, only where the family starts from.
  const parts = review.baseline
    ? [el("h2", {}, t("How are things now?")), el("p", { class: "wellbeing" }, now)]
    : [
        el("h2", {}, t("The steps from the last meeting")),
        steps.length ? el("ol", { class: "review-steps" }, steps) : el("p", { class: "muted" }, t("No steps were written down last time.")),
        el("h2", {}, t("How are things now?")),
        el("p", { class: "wellbeing" },
          review.previous_wellbeing === null || review.previous_wellbeing === undefined ? t("Last time: no answer") : t("Last time: %(n)s / 10", { n: review.previous_wellbeing }),
          " · ",
          now,
        ),
      ];
  if (canRate) {
    parts.push(
      el("fieldset", { class: "scale-10" },
        el("legend", {}, t("On a scale of 0 to 10, how are things now? (0 = very hard, 10 = very good)")),
        Array.from({ length: 11 }, (_, n) =>
          el("button", { type: "button", class: "react", "aria-pressed": String(review.mine === n), onclick: () => { review.mine = n; live.send({ op: "wellbeing.rate", score: n }); } }, String(n)),
        ),
      ),
    );
  }
  fill(node, parts);
}

/** After the meeting: when the next one is, with calendar links, for everyone in the meeting. */
export function renderNext(node, state) {
  if (!node) return;
  const next = state.process?.next_meeting;
  node.hidden = !next;
  if (!next) return;
  const when = new Date(next.when);
  const label = `${when.toLocaleDateString(state.meeting.language)} ${when.toLocaleTimeString(state.meeting.language, { hour: "2-digit", minute: "2-digit" })}`;
  fill(node,
    el("h2", {}, t("The next meeting")),
    el("p", { class: "lead" }, label, next.place ? ` · ${next.place}` : ""),
    el("p", {},
      el("a", { href: `/api/meetings/${state.meeting.id}/next.ics` }, t("Add the next meeting to my calendar")),
      " · ",
      el("a", { href: `/api/meetings/${state.meeting.id}/plan.ics` }, t("Add the plan's dates to my calendar")),
    ),
  );
}
