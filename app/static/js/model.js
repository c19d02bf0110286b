// The meeting as the browser holds it: a snapshot plus the events after it. Mirrors
// app/meetings/domain.py `evolve`, so every screen shows the same record.

import { applyWorkshopEvent } from "./workshop_model.js";

export function applyEvent(state, ev) {
  const d = ev.data;
  const people = state.participants;
  const person = (id) => people.find((p) => p.id === id);
  switch (ev.name) {
    case "participant.joined":
      if (!person(d.participant.id)) people.push({ ...d.participant });
      break;
    case "participant.admitted": {
      const p = person(d.participant.id);
      if (p) p.admitted = true;
      else people.push({ ...d.participant, admitted: true });
      break;
    }
    case "participant.removed":
      state.participants = people.filter((p) => p.id !== d.participant);
      break;
    case "participant.role_changed": {
      const p = person(d.participant);
      if (p) p.kind = d.kind;
      const previous = d.previous && person(d.previous);
      if (previous) previous.kind = "participant";
      break;
    }
    case "participant.changed": {
      const p = person(d.participant.id);
      if (p) p.family = d.participant.family;
      break;
    }
    case "phase.changed":
      state.current_phase = d.index;
      break;
    case "timer.started":
      state.timer = d.timer;
      break;
    case "timer.stopped":
      state.timer = null;
      break;
    case "meeting.closed":
      state.meeting.status = "closed";
      state.process.retain_until = d.retain_until;
      state.timer = null;
      state.round = null;
      for (const p of people) p.hand = false;
      break;
    case "entry.added":
      state.entries.push({ ...d.entry });
      break;
    case "entry.corrected": {
      const i = state.entries.findIndex((e) => e.id === d.entry.id);
      if (i >= 0) state.entries[i] = { ...d.entry };
      break;
    }
    case "next.scheduled":
      state.process.next_meeting = d.next;
      break;
    case "summary.shared":
      state.process.summary = d.url ? { url: d.url, expires_at: d.expires_at } : null;
      break;
    case "summary.revoked":
      state.process.summary = null;
      break;
    case "review.marked":
      if (state.process.review) state.process.review.marks[d.step] = d.status;
      break;
    case "wellbeing.rated":
      if (state.process.review) state.process.review.wellbeing = { count: d.count, average: d.average };
      break;
    case "lobby.changed":
      state.meeting.lobby_open = d.open;
      break;
    case "entry.edited":
    case "entry.restored": {
      const i = state.entries.findIndex((e) => e.id === d.entry.id);
      if (i >= 0) state.entries[i] = { ...d.entry };
      break;
    }
    case "entry.deleted": {
      const e = state.entries.find((x) => x.id === d.entry);
      if (e) {
        e.deleted = true;
        e.version = d.version;
      }
      break;
    }
    case "hand.raised":
    case "hand.lowered": {
      const p = person(d.participant);
      if (p) {
        p.hand = ev.name === "hand.raised";
        p.hand_at = p.hand ? d.at : null;
      }
      break;
    }
    case "round.started":
    case "round.advanced":
      state.round = d.round;
      break;
    case "round.ended":
      state.round = null;
      break;
    case "silent.opened":
      state.silent = { phase: d.phase, count: 0, mine: [] };
      break;
    case "silent.written":
      if (state.silent) state.silent.count = d.count;
      break;
    case "silent.revealed":
      state.silent = null;
      for (const e of d.entries) state.entries.push({ ...e });
      break;
    case "plan.agreed": {
      const e = state.entries.find((x) => x.id === d.entry);
      if (e) e.agreements = { ...(e.agreements || {}), [d.participant]: { agreement: d.agreement, comment: d.comment } };
      break;
    }
    case "entry.reacted": {
      const e = state.entries.find((x) => x.id === d.entry);
      if (e) {
        if (d.reaction === null) delete e.reactions[d.participant];
        else e.reactions[d.participant] = d.reaction;
      }
      break;
    }
    case "feedback.received":
      state.feedback_count = d.count;
      break;
    default:
      applyWorkshopEvent(state, ev);
      break;
  }
}

export function participantName(state, id) {
  if (!id) return "";
  const p = state.participants.find((x) => x.id === id);
  if (!p) return id; // a free label
  return p.role_label ? `${p.name} (${p.role_label})` : p.name;
}

export function currentPhase(state) {
  return state.phases[state.current_phase];
}

export function entriesOf(state, phaseKey) {
  // A group's board is shown with its group, not in the plenary's record.
  return state.entries.filter((e) => e.phase === phaseKey && !e.deleted && !e.board);
}
