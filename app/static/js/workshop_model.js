// A workshop's part of the state as the browser holds it: mirrors
// app/meetings/workshop_state.py `evolve`.

export function applyWorkshopEvent(state, ev) {
  const w = state.workshop;
  if (!w) return;
  const d = ev.data;
  switch (ev.name) {
    case "groups.formed":
      w.groups = [...w.groups.filter((g) => g.phase !== d.phase), ...d.groups.map((g) => ({ ...g }))];
      break;
    case "group.role_set": {
      const g = w.groups.find((x) => x.id === d.group);
      if (g) g[d.role] = d.participant;
      break;
    }
    case "board.shown":
      w.showing = d.group;
      break;
    case "participant.expert_set":
      w.experts = w.experts.filter((id) => id !== d.participant);
      if (d.expert) w.experts.push(d.participant);
      break;
    case "bowl.opened":
      w.bowl = { phase: d.phase, seats: [...(d.seats || [])], asking: [] };
      break;
    case "bowl.closed":
      w.bowl = null;
      break;
    case "bowl.asked":
      if (w.bowl && !w.bowl.asking.includes(d.participant)) w.bowl.asking.push(d.participant);
      break;
    case "bowl.seated":
      if (w.bowl) {
        w.bowl.seats.push(d.participant);
        w.bowl.asking = w.bowl.asking.filter((id) => id !== d.participant);
      }
      break;
    case "bowl.left":
      if (w.bowl) w.bowl.seats = w.bowl.seats.filter((id) => id !== d.participant);
      break;
    default:
      break;
  }
}

/** The groups of one step, in their order. */
export function groupsOf(state, phaseKey) {
  return (state.workshop?.groups || []).filter((g) => g.phase === phaseKey).sort((a, b) => a.number - b.number);
}

/** What was written on one group's board. */
export function boardEntries(state, groupId) {
  return state.entries.filter((e) => e.board === groupId && !e.deleted);
}

/** The prepared structure (title and prompts) of a group's board. */
export function themeOf(state, group) {
  const phase = state.phases.find((p) => p.key === group.phase);
  return (phase?.groups || []).find((t) => t.key === group.theme) || { title: group.theme, prompts: [] };
}

export function isExpert(state, participantId) {
  return (state.workshop?.experts || []).includes(participantId);
}
