// The scribe's editor: keyboard-first. Typing streams as a draft; Enter adds; Shift+Enter is a
// new line. Unsent entries are kept across a reconnect and a reload (see live.js).

import { $, el, fill, t } from "./dom.js";
import { Live } from "./live.js";
import { RecordView, renderPhaseHead } from "./record.js";
import { showError } from "./common.js";
import { participantName } from "./model.js";

let state = null;
let followChair = true;
const text = $("#text");
const phaseSelect = $("#phase");

const record = new RecordView($("#record"), { actions: entryActions });

const live = new Live({
  snapshot(s) {
    state = s;
    render();
  },
  event(ev, s) {
    state = s;
    if (ev.name === "participant.role_changed" && ev.data.participant === live.you?.id && ev.data.kind !== "scribe") {
      location.reload(); // no longer the scribe: show the view of the new role
      return;
    }
    render();
    if (ev.name === "entry.added") record.highlight(ev.data.entry.id);
  },
  error(frame) {
    if (frame.code === "conflict" && frame.entry) {
      showError({ message: t("Someone changed this entry meanwhile. Here is the current text.") });
      record.editing.delete(frame.entry.id);
      render();
      return;
    }
    showError(frame);
  },
  ended() {
    location.reload();
  },
});

function currentKey() {
  return phaseSelect.value || state.phases[state.current_phase].key;
}

function render() {
  if (!state) return;
  renderPhaseHead($("#phase-head"), state);
  const chosen = followChair ? state.phases[state.current_phase].key : phaseSelect.value;
  fill(
    phaseSelect,
    state.phases.map((p, i) =>
      el("option", { value: p.key, selected: p.key === chosen }, `${i + 1}. ${p.title}${i === state.current_phase ? " ●" : ""}`),
    ),
  );
  fill(
    $("#people-list"),
    state.participants
      .filter((p) => p.admitted && p.kind !== "screen")
      .map((p) => el("option", { value: p.role_label ? `${p.name} (${p.role_label})` : p.name })),
  );
  kindFields();
  record.render(state);
  const closed = state.meeting.status === "closed";
  for (const node of $("#compose").elements) node.disabled = closed;
}

function kindFields() {
  const phase = state.phases.find((p) => p.key === currentKey());
  $("#plan-fields").hidden = phase.kind !== "plan";
  $("#solution-fields").hidden = phase.kind !== "solution";
  if (phase.kind === "solution") {
    const source = state.entries.filter((e) => !e.deleted && (!phase.answers_from || e.phase === phase.answers_from));
    const selected = $("#answers").value;
    fill(
      $("#answers"),
      el("option", { value: "" }, t("No solution tied")),
      source.map((e) => el("option", { value: e.id, selected: e.id === selected }, `${record.numbers.get(e.id)}. ${e.text.slice(0, 80)}`)),
    );
  }
}

/** A typed voice: a participant's id when it names one, else the free label as typed. */
function voiceOf(value) {
  const typed = value.trim();
  if (!typed) return null;
  const match = state.participants.find(
    (p) => p.admitted && (typed === p.name || typed === `${p.name} (${p.role_label})`),
  );
  return match ? match.id : typed;
}

function submit() {
  const value = text.value.trim();
  if (!value || !state) return;
  const phase = state.phases.find((p) => p.key === currentKey());
  const op = { op: "entry.add", phase: phase.key, text: value, own_words: $("#own-words").checked };
  const speaker = voiceOf($("#speaker").value);
  if (speaker) op.speaker = speaker;
  if (phase.kind === "plan") {
    const owner = voiceOf($("#owner").value);
    if (owner) op.owner = owner;
    if ($("#due").value) op.due = $("#due").value;
  }
  if (phase.kind === "solution" && $("#answers").value) op.answers = $("#answers").value;
  live.send(op);
  text.value = "";
  // Each entry's voice is said anew: a remembered speaker would put words in the wrong mouth.
  $("#speaker").value = "";
  $("#own-words").checked = false;
  live.sendNow({ op: "draft", phase: phase.key, text: "" });
  text.focus();
}

let draftTimer = null;
text.addEventListener("input", () => {
  if (draftTimer) return;
  draftTimer = setTimeout(() => {
    draftTimer = null;
    if (state) live.sendNow({ op: "draft", phase: currentKey(), text: text.value });
  }, 100);
});
text.addEventListener("keydown", (e) => {
  if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    submit();
  }
});
$("#compose").addEventListener("submit", (e) => {
  e.preventDefault();
  submit();
});
phaseSelect.addEventListener("change", () => {
  followChair = phaseSelect.value === state.phases[state.current_phase].key;
  kindFields();
});

function entryActions(entry) {
  return [
    el("button", { type: "button", class: "subtle", onclick: () => startEdit(entry) }, t("Edit")),
    el("button", { type: "button", class: "subtle", onclick: () => remove(entry) }, t("Delete")),
  ];
}

function startEdit(entry) {
  const li = document.getElementById(`entry-${entry.id}`);
  if (!li) return;
  record.editing.add(entry.id);
  const area = el("textarea", { rows: 3, maxlength: 4000, "aria-label": t("Edit") });
  area.value = entry.text;
  const speaker = el("input", { list: "people-list", maxlength: 80, "aria-label": t("Whose voice?") });
  speaker.value = participantName(state, entry.speaker);
  const done = () => {
    record.editing.delete(entry.id);
    record.forget(entry.id);
    render();
  };
  const save = () => {
    const op = { op: "entry.edit", entry: entry.id, version: entry.version, text: area.value };
    const voice = voiceOf(speaker.value);
    op.speaker = voice;
    live.send(op);
    done();
  };
  area.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey) {
      e.preventDefault();
      save();
    } else if (e.key === "Escape") {
      done();
    }
  });
  li.replaceChildren(
    el("div", { class: "edit" }, area, speaker,
      el("div", { class: "actions" },
        el("button", { type: "button", class: "primary", onclick: save }, t("Save")),
        el("button", { type: "button", onclick: done }, t("Cancel")),
      ),
    ),
  );
  area.focus();
}

function remove(entry) {
  live.send({ op: "entry.delete", entry: entry.id });
}

live.start();
text.focus();
