// Pieces several views share: errors, drafts, the phase head.

import { $, el, t } from "./dom.js";
import { participantName } from "./model.js";

export function showError(frame) {
  const box = $("#error");
  if (!box) return;
  box.textContent = frame.message;
  box.hidden = false;
  clearTimeout(box._hide);
  box._hide = setTimeout(() => {
    box.hidden = true;
  }, 6000);
}

/** What the scribe is typing, shown live under the record. */
export function showDraft(frame, state, youId) {
  const box = $("#draft");
  if (!box || !state || frame.actor === youId) return;
  const phase = state.phases[state.current_phase];
  if (!frame.text.trim() || frame.phase !== phase.key) {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  box.replaceChildren();
  const who = document.createElement("span");
  who.className = "who";
  who.textContent = `${participantName(state, frame.actor)} ${t("is typing…")}`;
  const text = document.createElement("span");
  text.className = "text";
  text.textContent = frame.text;
  box.append(who, text);
}

export function hideDraft() {
  const box = $("#draft");
  if (box) box.hidden = true;
}

/** The round and silent writing, as a banner on every screen: who speaks now, who is next. */
export function renderDialogue(node, state, youId) {
  if (!node) return;
  const parts = [];
  if (state.round) {
    const now = participantName(state, state.round.speaker);
    const next = state.round.next ? participantName(state, state.round.next) : "";
    const mine = state.round.speaker === youId;
    parts.push(
      el("p", { class: mine ? "round mine" : "round" },
        el("strong", {}, mine ? t("Your turn") : `${t("Speaking now")}: ${now}`),
        next ? el("span", { class: "next" }, ` · ${t("Next")}: ${next}`) : null,
      ),
    );
  }
  if (state.silent) {
    const phase = state.phases.find((p) => p.key === state.silent.phase);
    parts.push(
      el("p", { class: "silent" },
        el("strong", {}, t("Silent writing")),
        ` · ${phase ? phase.title : ""} · ${t("%(n)s thoughts written", { n: state.silent.count })}`,
      ),
    );
  }
  node.replaceChildren(...parts);
  node.hidden = parts.length === 0;
}

/** What the family chose to bring is shown while the meeting is in its opening phase. */
export function showPreparation(state) {
  const box = document.getElementById("preparation");
  if (box) box.hidden = state.current_phase !== 0 || !box.textContent.trim();
}

const HOUSE_NAMES = () => ({ worries: t("Worries"), good: t("Good things"), dreams: t("Dreams") });

/** The child's three houses side by side: each thing with the picture the child chose. */
export function housesView(items) {
  return el(
    "div",
    { class: "houses" },
    Object.entries(HOUSE_NAMES()).map(([key, name]) =>
      el(
        "section",
        { class: `house house-${key}`, "aria-label": name },
        el("h3", {}, name),
        el(
          "ul",
          {},
          items.filter((i) => i.house === key).map((i) => el("li", {}, i.picture ? el("span", { class: "house-picture", "aria-hidden": "true" }, `${i.picture} `) : null, i.text)),
        ),
      ),
    ),
  );
}
