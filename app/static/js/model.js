// The meeting as the browser holds it: a snapshot plus the events after it. What each event
// changes is the table of app/meetings/changes.py, in the browser's shape of the state (lists of
// people and entries, the meeting's own fields under `meeting`); it is applied one way per entity
// kind, and tests/conformance/ checks that it arrives where the server's state does.

import { applyWorkshopEvent } from "./workshop_model.js";

// A person's whole object, but not whether they are online: presence frames say that.
const participant = (d) => {
  const { online, ...fields } = d.participant;
  return [{ kind: "participant", id: d.participant.id, set: fields, add: { online, ...fields } }];
};
const entry = (added) => (d) => [{ kind: "entry", id: d.entry.id, whole: d.entry, added }];
const top = (set) => [{ kind: "state", set }];
const hand = (raised) => (d) => [
  { kind: "participant", id: d.participant, set: { hand: raised, hand_at: raised ? d.at : null } },
];

const CHANGES = {
  "participant.joined": participant,
  "participant.admitted": participant,
  "participant.changed": participant,
  "participant.removed": (d) => [{ kind: "participant", id: d.participant, remove: true }],
  "participant.role_changed": (d) => [
    { kind: "participant", id: d.participant, set: { kind: d.kind } },
    ...(d.previous ? [{ kind: "participant", id: d.previous, set: { kind: "participant" } }] : []),
  ],
  "hand.raised": hand(true),
  "hand.lowered": hand(false),
  "pause.asked": (d) => [{ kind: "participant", id: d.participant, set: { pause: true, pause_at: d.at } }],
  "pause.ended": (d) => [{ kind: "participant", id: d.participant, set: { pause: false, pause_at: null } }],
  "lobby.changed": (d) => [{ kind: "meeting", set: { lobby_open: d.open } }],
  "phase.changed": (d) => top({ current_phase: d.index }),
  "timer.started": (d) => top({ timer: d.timer }),
  "timer.stopped": () => top({ timer: null }),
  "meeting.closed": (d) => [
    { kind: "meeting", set: { status: "closed" } },
    { kind: "state", set: { timer: null, round: null } },
    { kind: "process", set: { retain_until: d.retain_until } },
    // Every hand goes down, and every pause asked for ends.
    { kind: "participant", id: null, set: { hand: false, pause: false, pause_at: null } },
  ],
  "entry.added": entry(true),
  "entry.edited": entry(false),
  "entry.restored": entry(false),
  "entry.corrected": entry(false),
  // Approved, it enters the shared record: the phones that did not have it add it now.
  "entry.approved": entry(true),
  "entry.requested": entry(false),
  "request.resolved": entry(false),
  "entry.deleted": (d) => [{ kind: "entry", id: d.entry, set: { deleted: true, version: d.version } }],
  "entry.reacted": (d) => [{ kind: "entry", id: d.entry, merge: { reactions: { [d.participant]: d.reaction } } }],
  "entry.unclear": (d) => [{ kind: "entry", id: d.entry, set: { unclear: d.count } }],
  "plan.agreed": (d) => [
    {
      kind: "entry",
      id: d.entry,
      merge: { agreements: { [d.participant]: { agreement: d.agreement, comment: d.comment } } },
    },
  ],
  "round.started": (d) => top({ round: d.round }),
  "round.advanced": (d) => top({ round: d.round }),
  "round.ended": () => top({ round: null }),
  "silent.opened": (d) => top({ silent: { phase: d.phase, count: 0, mine: [] } }),
  // The room learns how many thoughts there are; the writer's own comes as `silent.mine`.
  "silent.written": (d) => [{ kind: "silent", set: { count: d.count } }],
  "silent.revealed": (d) => [
    ...d.entries.map((e) => ({ kind: "entry", id: e.id, whole: e, added: true })),
    { kind: "state", set: { silent: null } },
  ],
  "houses.offered": (d) => top({ houses: { items: d.houses, child: d.participant, status: "offered" } }),
  "houses.shown": (d) => [
    ...d.entries.map((e) => ({ kind: "entry", id: e.id, whole: e, added: true })),
    { kind: "houses", set: { status: "shown" } },
  ],
  "houses.declined": () => [{ kind: "houses", set: { status: "declined" } }],
  "feedback.received": (d) => top({ feedback_count: d.count }),
  "next.scheduled": (d) => [{ kind: "process", set: { next_meeting: d.next } }],
  "summary.shared": (d) => [
    { kind: "process", set: { summary: d.url ? { url: d.url, expires_at: d.expires_at } : null } },
  ],
  "summary.revoked": () => [{ kind: "process", set: { summary: null } }],
  "review.marked": (d) => [{ kind: "review", merge: { marks: { [d.step]: d.status } } }],
  "wellbeing.rated": (d) => [{ kind: "review", set: { wellbeing: { count: d.count, average: d.average } } }],
};

// Events are JSON: a copy of JSON is what the state keeps (nothing shared with the frame).
const copy = (value) => JSON.parse(JSON.stringify(value));

function assign(target, change) {
  Object.assign(target, copy(change.set || {}));
  for (const [field, values] of Object.entries(change.merge || {})) {
    const merged = { ...(target[field] || {}) };
    for (const [key, value] of Object.entries(values)) {
      if (value === null) delete merged[key];
      else merged[key] = copy(value);
    }
    target[field] = merged;
  }
}

// One item of a list (a person, an entry): taken away, replaced whole, or given new values; a
// new one is added when the change brings it (`add`, or an entry `added`).
function applyToList(list, change) {
  const i = list.findIndex((x) => x.id === change.id);
  if (change.remove) {
    if (i >= 0) list.splice(i, 1);
  } else if (change.whole && i >= 0) {
    list[i] = copy(change.whole);
  } else if (change.whole) {
    if (change.added) list.push(copy(change.whole));
  } else if (i >= 0) {
    assign(list[i], change);
  } else if (change.add) {
    list.push(copy(change.add));
  }
}

const APPLY = {
  state: (state, change) => assign(state, change),
  meeting: (state, change) => assign(state.meeting, change),
  participant: (state, change) => {
    if (change.id === null) for (const p of state.participants) assign(p, change);
    else applyToList(state.participants, change);
  },
  entry: (state, change) => applyToList(state.entries, change),
  process: (state, change) => assign(state.process, change),
  review: (state, change) => {
    if (state.process.review) assign(state.process.review, change);
  },
  houses: (state, change) => {
    if (state.houses) assign(state.houses, change);
  },
  silent: (state, change) => {
    if (state.silent) assign(state.silent, change);
  },
};

export function applyEvent(state, ev) {
  const changes = CHANGES[ev.name];
  if (!changes) {
    applyWorkshopEvent(state, ev); // the workshop's part, by its own rules
    return;
  }
  for (const change of changes(ev.data)) APPLY[change.kind](state, change);
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
