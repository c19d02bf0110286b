// The facilitator's extras in a workshop: the step's purpose and material, the groups' prepared
// boards, the experts-by-experience reminder, and the time plan against the clock.

import { $, confirmInPage, el, fill, t } from "./dom.js";
import { participantName } from "./model.js";
import { groupsOf } from "./workshop_model.js";
import { bowlView, renderBoards } from "./workshop_views.js";

const pad = (n) => String(n).padStart(2, "0");
const clock = (date) => `${pad(date.getHours())}:${pad(date.getMinutes())}`;

/** When the workshop started, as this facilitator set it (remembered on this device). */
function startOf(meetingId) {
  const key = `avoin:workshop-start:${meetingId}`;
  let stamp = Number(localStorage.getItem(key));
  if (!stamp) {
    stamp = Date.now();
    localStorage.setItem(key, String(stamp));
  }
  return new Date(stamp);
}

function setStart(meetingId, value) {
  const [h, m] = value.split(":").map(Number);
  if (Number.isNaN(h) || Number.isNaN(m)) return;
  const start = new Date();
  start.setHours(h, m, 0, 0);
  localStorage.setItem(`avoin:workshop-start:${meetingId}`, String(start.getTime()));
}

function timePlan(state, now) {
  const start = startOf(state.meeting.id);
  let offset = 0;
  const rows = state.phases.map((p, i) => {
    const begins = new Date(start.getTime() + offset * 60000);
    offset += p.minutes;
    const current = i === state.current_phase;
    return el("tr", { class: current ? "current" : null, "aria-current": current ? "step" : null },
      el("td", {}, clock(begins)), el("td", {}, p.title), el("td", {}, `${p.minutes} min`));
  });
  const planned = state.phases.slice(0, state.current_phase).reduce((sum, p) => sum + p.minutes, 0);
  const late = Math.round((now - start) / 60000 - planned - state.phases[state.current_phase].minutes);
  let status = t("On time");
  if (late > 0) status = t("Behind the plan by %(n)s min", { n: late });
  return { rows, status, start };
}

/** The groups step whose boards this step is about: itself, or the one a share step shows. */
function boardsStep(state) {
  const phase = state.phases[state.current_phase];
  if (phase.kind === "groups") return phase.key;
  if (phase.kind === "share") return phase.answers_from;
  return null;
}

function renderControls(state, live) {
  const phase = state.phases[state.current_phase];
  const open = state.meeting.status === "open";
  $("#ws-group-controls").hidden = !open || phase.kind !== "groups";
  const bowl = state.workshop.bowl;
  $("#ws-bowl-controls").hidden = !open || (phase.kind !== "fishbowl" && !bowl);
  $("#ws-bowl-open").hidden = Boolean(bowl);
  $("#ws-bowl-close").hidden = !bowl;
  const view = bowlView(state);
  if (view && bowl) {
    for (const id of bowl.seats) {
      view.append(el("button", { type: "button", onclick: () => live.send({ op: "bowl.leave", participant: id }) },
        `${t("Let out")}: ${participantName(state, id)}`));
    }
    for (const id of bowl.asking) {
      view.append(el("button", { type: "button", class: "primary", disabled: bowl.seats.length >= 5 || null, onclick: () => live.send({ op: "bowl.seat", participant: id }) },
        `${t("Step in")}: ${participantName(state, id)}`));
    }
  }
  fill($("#ws-bowl"), view ? [view] : []);
  const step = boardsStep(state);
  const groups = step ? groupsOf(state, step) : [];
  $("#ws-show-controls").hidden = !open || groups.length === 0;
  const showing = state.workshop.showing;
  const show = (id) => live.send(id ? { op: "board.show", group: id } : { op: "board.show" });
  renderBoards($("#ws-boards"), state, step || "", (g) => [
    el("button", { type: "button", "aria-pressed": String(showing === g.id), onclick: () => show(showing === g.id ? null : g.id) },
      showing === g.id ? t("Shown to everyone") : t("Show to everyone")),
  ]);
  $("#ws-show-none").disabled = !showing;
  $("#ws-show-next").onclick = () => {
    const at = groups.findIndex((g) => g.id === showing);
    const next = groups[(at + 1) % groups.length];
    if (next && next.id !== showing) show(next.id);
  };
  $("#ws-show-none").onclick = () => show(null);
  renderExperts(state, live);
}

function renderExperts(state, live) {
  const experts = state.workshop.experts;
  fill($("#ws-experts-list"), experts.map((id) =>
    el("li", {}, participantName(state, id), " ",
      el("button", { type: "button", onclick: () => live.send({ op: "participant.expert", participant: id, expert: false }) }, t("Unmark")))));
  const pick = $("#ws-expert-pick");
  const people = state.participants.filter((p) => p.admitted && p.kind !== "screen" && !experts.includes(p.id));
  const wanted = people.map((p) => p.id).join(",");
  if (pick.dataset.options !== wanted) {
    const value = pick.value;
    fill(pick, people.map((p) => el("option", { value: p.id }, participantName(state, p.id))));
    pick.dataset.options = wanted;
    if (people.some((p) => p.id === value)) pick.value = value;
  }
  $("#ws-expert-add").disabled = people.length === 0;
}

/** Draw the workshop panel (hidden for an ordinary meeting). */
export function renderWorkshop(state, now = Date.now(), live = null) {
  const panel = $("#workshop");
  if (!panel) return;
  panel.hidden = state.meeting.kind !== "workshop";
  if (panel.hidden) return;
  const phase = state.phases[state.current_phase];
  $("#ws-experts").hidden = !phase.experts;
  // At the end of each step the word returns to the experts by experience.
  $("#ws-return").hidden = phase.experts || phase.kind === "break" || !state.workshop.experts.length;
  $("#ws-purpose").textContent = phase.purpose || "";
  $("#ws-purpose").hidden = !phase.purpose;
  const material = phase.material;
  // The agendas' notes say what they are ("Video: …", "Materiaali 1.4: …").
  fill($("#ws-material"), material ? [
    material.note || "",
    material.url ? el("a", { href: material.url, target: "_blank", rel: "noopener noreferrer" }, ` ${material.url}`) : "",
  ] : []);
  $("#ws-material").hidden = !material;
  const formed = groupsOf(state, phase.key).length > 0;
  fill($("#ws-groups"), (phase.groups || []).map((g) =>
    el("li", {}, el("strong", {}, g.title), el("ul", {}, ...g.prompts.map((p) => el("li", {}, p))))));
  // Once the groups are formed, their live boards show the same structure.
  $("#ws-groups-box").hidden = !(phase.groups || []).length || formed;
  if (live) renderControls(state, live);
  const plan = timePlan(state, now);
  fill($("#ws-plan"), plan.rows);
  $("#ws-status").textContent = plan.status;
  const input = $("#ws-start");
  if (document.activeElement !== input) input.value = clock(plan.start);
}

/** Let the facilitator set the start time and run the groups, the bowl and the experts. */
export function setupWorkshop(live, redraw, current) {
  const meetingId = live.meeting;
  const input = $("#ws-start");
  if (!input) return;
  $("#ws-form").addEventListener("click", async () => {
    const state = current();
    const phase = state.phases[state.current_phase];
    if (groupsOf(state, phase.key).length && !(await confirmInPage(t("Split the room again? The groups change; what they wrote stays."), t("Split again")))) return;
    live.send({ op: "groups.form", phase: phase.key, size: Number($("#ws-size").value) });
  });
  $("#ws-bowl-open").addEventListener("click", () => {
    const state = current();
    live.send({ op: "bowl.open", phase: state.phases[state.current_phase].key });
  });
  $("#ws-bowl-close").addEventListener("click", () => live.send({ op: "bowl.close" }));
  $("#ws-expert-add").addEventListener("click", () => {
    const id = $("#ws-expert-pick").value;
    if (id) live.send({ op: "participant.expert", participant: id, expert: true });
  });
  input.addEventListener("change", () => {
    setStart(meetingId, input.value);
    redraw();
  });
  setInterval(redraw, 30000); // the clock moves on
}
