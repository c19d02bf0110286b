// The browser's model (app/static/js/model.js) applies the conformance log's events, as the chair's
// screen receives them, and must arrive at the snapshot the server would send at the end.
// Run by tests/conformance/test_conformance.py: node --test tests/conformance/model.test.mjs
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const root = new URL("../../", import.meta.url);
const log = JSON.parse(readFileSync(new URL("tests/conformance/log.json", root), "utf8"));

// The browser loads app/static/js as ES modules; Node reads a folder's .js as modules only with a
// package.json that says so, which the static folder does not need: a copy gets one.
async function loadModel() {
  const dir = mkdtempSync(join(tmpdir(), "avoin-model-"));
  cpSync(new URL("app/static/js/", root), dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), '{"type": "module"}');
  return import(pathToFileURL(join(dir, "model.js")).href);
}

const { applyEvent } = await loadModel();

for (const [key, meeting] of Object.entries(log.meetings)) {
  test(`model.js arrives at the server's state: ${key}`, () => {
    const state = structuredClone(meeting.browser.start);
    for (const frame of meeting.browser.frames) applyEvent(state, frame);
    assert.deepStrictEqual(state, meeting.browser.end);
  });
}

test("the log covers at least one event", () => {
  const names = new Set(Object.values(log.meetings).flatMap((m) => m.browser.frames.map((f) => f.name)));
  assert.ok(names.size > 30, `only ${names.size} event types`);
});
