// The facilitator's extras in a workshop: the step's purpose and material, the groups' prepared
// boards, the experts-by-experience reminder, and the time plan against the clock.

import { $, el, fill, t } from "./dom.js";

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

/** Draw the workshop panel (hidden for an ordinary meeting). */
export function renderWorkshop(state, now = Date.now()) {
  const panel = $("#workshop");
  if (!panel) return;
  panel.hidden = state.meeting.kind !== "workshop";
  if (panel.hidden) return;
  const phase = state.phases[state.current_phase];
  $("#ws-experts").hidden = !phase.experts;
  $("#ws-purpose").textContent = phase.purpose || "";
  $("#ws-purpose").hidden = !phase.purpose;
  const material = phase.material;
  fill($("#ws-material"), material ? [
    el("strong", {}, `${t("Material")}: `),
    material.note || "",
    material.url ? el("a", { href: material.url, target: "_blank", rel: "noopener noreferrer" }, ` ${material.url}`) : "",
  ] : []);
  $("#ws-material").hidden = !material;
  fill($("#ws-groups"), (phase.groups || []).map((g) =>
    el("li", {}, el("strong", {}, g.title), el("ul", {}, ...g.prompts.map((p) => el("li", {}, p))))));
  $("#ws-groups-box").hidden = !(phase.groups || []).length;
  const plan = timePlan(state, now);
  fill($("#ws-plan"), plan.rows);
  $("#ws-status").textContent = plan.status;
  const input = $("#ws-start");
  if (document.activeElement !== input) input.value = clock(plan.start);
}

/** Let the facilitator set the start time; redraw with `redraw`. */
export function setupWorkshop(meetingId, redraw) {
  const input = $("#ws-start");
  if (!input) return;
  input.addEventListener("change", () => {
    setStart(meetingId, input.value);
    redraw();
  });
  setInterval(redraw, 30000); // the clock moves on
}
