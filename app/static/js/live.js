// The shared live client: connect, hello with `since`, keep and resend unacknowledged ops,
// close gaps, show the connection state. Every view is built on it.

import { applyEvent } from "./model.js";
import { el, getBoot, t } from "./dom.js";

const BACKOFF_MAX = 10000;
// Refusals that mean "not now": the op stays pending and is sent again (a resend is idempotent).
const RETRYABLE = new Set(["rate_limited", "unavailable"]);
const RETRY_AFTER = 3000;
// The heartbeat: a ping when nothing was sent for a while; a socket from which nothing at all
// arrives for longer is taken as dead (a phone that lost its network may never see a close).
const PING_EVERY = 10000;
const SILENT_MAX = 25000;
export const CLOSED = 4001; // the meeting was closed: its record is read over HTTP, not followed live
export const REMOVED = 4003; // declined in the lobby or removed: this page is not let in
export const GONE = 4004; // the meeting was deleted: nothing of it is left to show or to wait for

export function newId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

export class Live {
  constructor(handlers = {}) {
    const boot = getBoot();
    this.meeting = boot.meeting;
    // The shared screen's page asks as the screen (its credential is its own cookie).
    this.screen = boot.view === "screen";
    this.lang = boot.lang || "fi";
    this.handlers = handlers;
    this.seq = 0;
    this.state = null;
    this.you = null;
    this.ws = null;
    this.status = "connecting";
    this.backoff = 500;
    this.stopped = false;
    this.youId = boot.you || "";
    this.storeKey = `avoin:pending:${this.meeting}:${boot.you || ""}`;
    this.pending = new Map(this.loadPending());
  }

  loadPending() {
    try {
      return JSON.parse(localStorage.getItem(this.storeKey) || "[]");
    } catch {
      return [];
    }
  }

  savePending() {
    try {
      localStorage.setItem(this.storeKey, JSON.stringify([...this.pending]));
    } catch {
      /* private mode: the ops are still kept in memory */
    }
  }

  /** The socket's and the closed record's query: the language, and whether this is the screen. */
  params() {
    const params = new URLSearchParams({ lang: this.lang });
    if (this.screen) params.set("as", "screen");
    return params;
  }

  url() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    return `${scheme}//${location.host}/ws/meetings/${this.meeting}?${this.params()}`;
  }

  start() {
    this.connect();
    window.addEventListener("online", () => this.reconnectNow());
    window.addEventListener("offline", () => this.dropNow());
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") this.reconnectNow();
    });
  }

  reconnectNow() {
    if (this.stopped) return;
    if (!this.ws || this.ws.readyState === WebSocket.CLOSED) {
      clearTimeout(this.timer);
      this.backoff = 500;
      this.connect();
    }
  }

  /** The device says its network is gone: say so at once, and let the socket go. */
  dropNow() {
    if (this.stopped || !this.ws) return;
    const ws = this.ws;
    this.onClose({ code: 1006 });
    ws.close();
  }

  /** Ping when we have been quiet; give up on a socket that has been silent too long. */
  beat() {
    clearInterval(this.heart);
    this.lastSent = this.lastHeard = Date.now();
    this.heart = setInterval(() => {
      const ws = this.ws;
      if (!ws || ws.readyState !== WebSocket.OPEN) return;
      const now = Date.now();
      if (now - this.lastHeard > SILENT_MAX) {
        this.dropNow();
      } else if (now - this.lastSent >= PING_EVERY) {
        this.write({ op: "ping" });
      }
    }, 1000);
  }

  /** Put a frame on the open socket. */
  write(frame) {
    this.lastSent = Date.now();
    this.ws.send(JSON.stringify(frame));
  }

  /** Entries sent but not yet acknowledged, to be shown as "not yet saved". */
  pendingEntries() {
    return [...this.pending.values()].filter((op) => op.op === "entry.add");
  }

  setStatus(status) {
    this.status = status;
    this.handlers.status?.(status, this.pending.size);
    this.handlers.pending?.();
    const badge = document.getElementById("conn");
    if (badge) {
      badge.dataset.state = status;
      const unsaved = this.pending.size ? ` · ${t("Not yet saved")} (${this.pending.size})` : "";
      const label = {
        online: t("Connected"),
        connecting: t("Connecting…"),
        offline: t("Offline — your changes are kept and sent when the connection returns"),
        ended: t("The meeting has ended"),
        declined: t("Not let in"),
      }[status];
      badge.textContent = label + unsaved;
    }
  }

  connect() {
    this.setStatus("connecting");
    const ws = new WebSocket(this.url());
    this.ws = ws;
    ws.addEventListener("open", () => {
      this.backoff = 500;
      this.beat();
      this.write({ op: "hello", since: this.seq });
      for (const op of this.pending.values()) this.write(op);
    });
    ws.addEventListener("message", (msg) => {
      if (ws !== this.ws) return; // a socket already given up on
      this.lastHeard = Date.now();
      this.onFrame(JSON.parse(msg.data));
    });
    ws.addEventListener("close", (e) => {
      if (ws === this.ws) this.onClose(e);
    });
  }

  onClose(e) {
    this.ws = null;
    clearInterval(this.heart);
    if (e.code === CLOSED) {
      this.stopped = true;
      this.setStatus("ended");
      this.readClosed();
      return;
    }
    if (e.code === GONE) {
      this.stopped = true;
      this.clearRecord();
      return;
    }
    if (e.code === REMOVED || e.code === 1008) {
      // Not let in (declined, removed, or the credential refused): nothing will be sent, so no
      // promise of it, and no reconnecting.
      this.stopped = true;
      this.pending.clear();
      this.savePending();
      this.setStatus("declined");
      this.handlers.ended?.(e.code);
      return;
    }
    this.setStatus("offline");
    const delay = this.backoff * (0.75 + Math.random() * 0.5);
    this.backoff = Math.min(this.backoff * 2, BACKOFF_MAX);
    this.timer = setTimeout(() => this.connect(), delay);
  }

  /** The meeting was deleted: what this page held of it goes, and the page says so. */
  clearRecord() {
    clearTimeout(this.timer);
    this.state = null;
    this.seq = 0;
    this.pending.clear();
    try {
      localStorage.removeItem(this.storeKey);
    } catch {
      /* private mode: nothing was kept */
    }
    const main = document.getElementById("main");
    const message = el("p", { class: "gone", role: "status" }, t("This meeting has been deleted."));
    if (main) main.replaceChildren(el("h1", {}, t("The meeting is gone")), message);
  }

  onFrame(frame) {
    switch (frame.type) {
      case "welcome":
        this.you = frame.you;
        // "Connected" promises a page that works: an admitted page that holds no record yet is
        // still connecting until its snapshot (an Enter before it would add nothing).
        if (this.state || !frame.you.admitted) this.setStatus("online");
        this.handlers.welcome?.(frame.you);
        break;
      case "snapshot":
        this.state = frame.state;
        this.seq = frame.seq;
        // Said before the page draws the record, so that it is drawn once, not again for the badge.
        if (this.status !== "online") this.setStatus("online");
        this.handlers.snapshot?.(this.state);
        break;
      case "event":
        this.onEvent(frame);
        break;
      case "draft":
        this.handlers.draft?.(frame);
        break;
      case "silent.mine":
        // Our own silent thought, which nobody else sees before the reveal.
        if (this.state?.silent && !this.state.silent.mine.some((i) => i.id === frame.item.id)) {
          this.state.silent.mine.push(frame.item);
        }
        this.handlers.silent?.(this.state);
        break;
      case "pong":
        break; // heard: the time of it is all it says
      case "presence":
        if (this.state) {
          const online = new Set(frame.online);
          for (const p of this.state.participants) p.online = online.has(p.id);
          this.handlers.presence?.(online);
        }
        break;
      case "error":
        if (frame.id && this.pending.has(frame.id)) {
          if (RETRYABLE.has(frame.code)) {
            this.retrySoon();
          } else {
            this.pending.delete(frame.id);
            this.savePending();
            this.setStatus(this.status);
          }
        }
        this.handlers.error?.(frame);
        break;
      default:
        break;
    }
  }

  onEvent(ev) {
    const mine = ev.id && this.pending.has(ev.id);
    if (mine) {
      this.pending.delete(ev.id);
      this.savePending();
      this.setStatus(this.status);
    }
    if (this.you && !this.you.admitted) {
      // In the lobby: only our own admission or removal reaches us.
      if (ev.name === "participant.admitted") {
        this.you.admitted = true;
        if (!this.state) this.setStatus("connecting"); // until the record's snapshot follows
      }
      this.handlers.lobby?.(ev);
      return;
    }
    if (!this.state || ev.seq <= this.seq) return; // already seen
    if (ev.seq > this.seq + 1) {
      // A gap: ask again from what we have; the server answers with exactly the missed ones.
      if (this.ws) this.write({ op: "hello", since: this.seq });
      return;
    }
    applyEvent(this.state, ev);
    this.seq = ev.seq;
    if (ev.name === "participant.role_changed" && ev.data.participant === this.you?.id) {
      this.you.kind = ev.data.kind;
    }
    this.handlers.event?.(ev, this.state, Boolean(mine));
  }

  /** Send an op; it is kept (and resent after a reconnect) until the server acknowledges it. */
  send(op) {
    const frame = { ...op, id: newId() };
    this.pending.set(frame.id, frame);
    this.savePending();
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.write(frame);
    this.setStatus(this.status);
    return frame.id;
  }

  /** The closed meeting's record, read once over HTTP (the live view ends at the close). */
  async readClosed() {
    try {
      const answer = await fetch(`/api/meetings/${this.meeting}?${this.params()}`, { credentials: "same-origin" });
      if (!answer.ok) return;
      const body = await answer.json();
      this.state = body.state;
      this.seq = body.seq;
      this.you = this.state.participants.find((p) => p.id === this.youId) || this.you;
      this.handlers.snapshot?.(this.state);
      this.handlers.ended?.(CLOSED);
      this.followAfter(Date.now());
    } catch {
      /* offline: the page shows what it had */
    }
  }

  /** After the close the chair may still set the next meeting or share the family's summary:
   * asked for every few seconds at first, then more rarely, for half an hour. */
  followAfter(closedAt) {
    const age = Date.now() - closedAt;
    if (age > 30 * 60000) return;
    setTimeout(async () => {
      if (document.visibilityState === "visible") {
        try {
          const answer = await fetch(`/api/meetings/${this.meeting}/after`, { credentials: "same-origin" });
          if (answer.ok) {
            const after = await answer.json();
            const process = this.state.process;
            if (JSON.stringify([process.next_meeting, process.summary]) !== JSON.stringify([after.next_meeting, after.summary])) {
              process.next_meeting = after.next_meeting;
              process.summary = after.summary;
              this.handlers.snapshot?.(this.state);
            }
          }
        } catch {
          /* offline for a moment: asked again later */
        }
      }
      this.followAfter(closedAt);
    }, age < 120000 ? 3000 : 30000);
  }

  /** Send every pending op again a little later (the server was busy or its database away). */
  retrySoon() {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.ws && this.ws.readyState === WebSocket.OPEN) {
        for (const op of this.pending.values()) this.write(op);
      }
    }, RETRY_AFTER);
  }

  /** Ephemeral frames (drafts): sent if connected, never kept. */
  sendNow(frame) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.write(frame);
  }
}
