// A workshop on every screen: the small groups' boards, the fishbowl, the board shown to the
// plenary. The facilitator's controls are in workshop.js.

import { $, el, fill, t } from "./dom.js";
import { participantName } from "./model.js";
import { boardEntries, groupsOf, isExpert, themeOf } from "./workshop_model.js";

const drafts = new Map(); // board id → the group scribe's draft being typed

/** Remember a draft typed on a group's board (drafts of the plenary record go elsewhere). */
export function boardDraft(frame) {
  if (!frame.board) return false;
  drafts.set(frame.board, frame.text);
  return true;
}

export function groupTitle(state, group) {
  // A prepared board's title names its group ("Ryhmä 1: …"); only when the room was split into
  // more groups than there are boards does the number tell the groups of one board apart.
  const title = themeOf(state, group).title;
  const phase = state.phases.find((p) => p.key === group.phase);
  if (groupsOf(state, group.phase).length <= (phase?.groups || []).length) return title;
  return `${title} · ${t("Group %(n)s", { n: group.number })}`;
}

/** One group's board: its prepared structure, its people, what it has written so far. */
export function boardCard(state, group, extra = []) {
  const theme = themeOf(state, group);
  const names = group.members.map((id) => {
    const marks = [];
    if (id === group.chair) marks.push(t("chair"));
    if (id === group.scribe) marks.push(t("scribe"));
    const name = participantName(state, id);
    return marks.length ? `${name} (${marks.join(", ")})` : name;
  });
  const entries = boardEntries(state, group.id);
  const draft = drafts.get(group.id);
  const id = `board-${group.id}`;
  return el("section", { class: "board", "aria-labelledby": id, dataset: { group: group.id } },
    el("h3", { id }, groupTitle(state, group)),
    el("p", { class: "muted members" }, names.join(", ")),
    theme.prompts.length ? el("ul", { class: "board-prompts" }, ...theme.prompts.map((p) => el("li", {}, p))) : "",
    entries.length
      ? el("ol", { class: "board-entries" }, ...entries.map((e) =>
        el("li", { class: isExpert(state, e.speaker) ? "expert" : null, dataset: { entry: e.id } }, e.text)))
      : el("p", { class: "muted" }, t("Nothing written on this board yet.")),
    draft ? el("p", { class: "draft", "aria-hidden": "true" }, draft) : "",
    continuedFrom(state, group),
    ...extra,
  );
}

/** Where the groups continue from one another (workshop 3), what the previous group left. */
function continuedFrom(state, group) {
  const phase = state.phases.find((p) => p.key === group.phase);
  if (!phase?.continues) return "";
  const groups = groupsOf(state, group.phase);
  const at = groups.findIndex((g) => g.id === group.id);
  if (at <= 0) return "";
  const previous = groups[at - 1];
  const entries = boardEntries(state, previous.id);
  return el("details", { class: "continues", open: true },
    el("summary", {}, t("Continues from: %(board)s", { board: groupTitle(state, previous) })),
    entries.length ? el("ol", {}, ...entries.map((e) => el("li", {}, e.text))) : el("p", { class: "muted" }, t("Nothing written on this board yet.")));
}

/** Every board of a groups step, in order (for the facilitator and the shared screen). */
export function renderBoards(container, state, phaseKey, extra = () => []) {
  fill(container, groupsOf(state, phaseKey).map((g) => boardCard(state, g, extra(g))));
}

/** The group a participant belongs to in the current step, or null. */
export function myGroup(state, youId) {
  const phase = state.phases[state.current_phase];
  if (phase.kind !== "groups") return null;
  return groupsOf(state, phase.key).find((g) => g.members.includes(youId)) || null;
}

/** The fishbowl as everyone sees it: who is in the bowl, who waits to step in. */
export function bowlView(state) {
  const bowl = state.workshop?.bowl;
  if (!bowl) return null;
  const seats = bowl.seats.map((id) => el("li", { class: isExpert(state, id) ? "expert" : null }, participantName(state, id)));
  return el("div", { class: "bowl" },
    el("h3", {}, t("In the fishbowl")),
    seats.length ? el("ul", { class: "bowl-seats" }, ...seats) : el("p", { class: "muted" }, t("Nobody in the bowl yet.")),
    bowl.asking.length
      ? el("p", { class: "muted" }, `${t("Waiting to step in")}: ${bowl.asking.map((id) => participantName(state, id)).join(", ")}`)
      : "",
  );
}

/** The board the facilitator brought to the plenary, or null. */
export function shownBoard(state) {
  const id = state.workshop?.showing;
  const group = id && (state.workshop.groups || []).find((g) => g.id === id);
  return group ? boardCard(state, group) : null;
}

/** A phone's or laptop's workshop section: the bowl, my group and its board, the shown board. */
export function renderParticipantWorkshop(state, live) {
  const box = $("#ws-live");
  if (!box) return;
  const you = live.you?.id;
  const parts = [];
  const bowl = bowlView(state);
  if (bowl) {
    const seated = state.workshop.bowl.seats.includes(you);
    const asked = state.workshop.bowl.asking.includes(you);
    if (seated) {
      bowl.append(el("button", { type: "button", onclick: () => live.send({ op: "bowl.leave", participant: you }) }, t("Step out of the bowl")));
    } else if (asked) {
      bowl.append(el("p", { role: "status" }, t("You have asked to step in.")));
    } else {
      bowl.append(el("button", { type: "button", class: "primary", onclick: () => live.send({ op: "bowl.ask" }) }, t("Ask to step in")));
    }
    parts.push(bowl);
  }
  const shown = shownBoard(state);
  if (shown) parts.push(el("div", { class: "shown" }, el("h2", {}, t("Now in the plenary")), shown));
  const group = myGroup(state, you);
  if (group) parts.push(myGroupView(state, group, live));
  fill(box, parts);
  box.hidden = parts.length === 0;
}

function myGroupView(state, group, live) {
  const you = live.you?.id;
  const controls = [];
  if (!group.chair || !group.scribe) {
    const offer = (role, label) => el("button", { type: "button", onclick: () => live.send({ op: "group.role", group: group.id, participant: you, role }) }, label);
    const buttons = [];
    if (!group.chair && group.scribe !== you) buttons.push(offer("chair", t("I will chair the group")));
    if (!group.scribe && group.chair !== you) buttons.push(offer("scribe", t("I will write the board")));
    if (buttons.length) controls.push(el("div", { class: "buttons-row" }, ...buttons));
  }
  return el("div", { class: "my-group" }, el("h2", {}, t("Your group")), boardCard(state, group, controls));
}

/** The group writer's form stays in the page (not redrawn) so that typing is never lost. */
export function renderBoardWriter(state, live) {
  const form = $("#ws-write");
  if (!form) return;
  const you = live.you?.id;
  const group = myGroup(state, you);
  const writes = Boolean(group) && (you === group.chair || you === group.scribe);
  form.hidden = !writes || state.meeting.status === "closed";
  form.dataset.group = writes ? group.id : "";
  form.dataset.phase = writes ? group.phase : "";
}

export function setupBoardWriter(live) {
  const form = $("#ws-write");
  if (!form) return;
  const area = $("#ws-write-text");
  const target = () => ({ phase: form.dataset.phase, board: form.dataset.group });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const text = area.value.trim();
    if (!text || !form.dataset.group) return;
    live.send({ op: "entry.add", ...target(), text });
    area.value = "";
    live.sendNow({ op: "draft", ...target(), text: "" });
  });
  area.addEventListener("input", () => {
    if (form.dataset.group) live.sendNow({ op: "draft", ...target(), text: area.value });
  });
}
