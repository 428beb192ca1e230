import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { fakeClock } from "./clock.ts";
import { parseEvents } from "./read-events.ts";
import { Timeline } from "./timeline.ts";

describe("Timeline", () => {
  it("stamps events with the injected clock and appends them as NDJSON immediately", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "timeline-"));
    const file = path.join(dir, "events.ndjson");
    const clock = fakeClock(1_000);
    const t = new Timeline(file, clock);
    t.emit({ kind: "phase-start", phase: "create" });
    clock.advance(250);
    t.emit({ kind: "phase-end", phase: "create", durationMs: 250, failed: false });
    t.emit({ kind: "probe", at: 900, probe: "p", node: "n", value: 1, evidence: [] });
    expect(parseEvents(await readFile(file, "utf8")).map((e) => [e.kind, e.at])).toEqual([
      ["phase-start", 1_000],
      ["phase-end", 1_250],
      ["probe", 900],
    ]);
    t.close();
    await rm(dir, { recursive: true });
  });

  it("keeps going when a listener throws, and says so once", () => {
    const t = new Timeline(null, fakeClock(0));
    const seen: string[] = [];
    t.listen(() => {
      throw new Error("terminal gone");
    });
    t.listen((e) => seen.push(e.kind));
    t.emit({ kind: "phase-start", phase: "create" });
    t.emit({ kind: "phase-start", phase: "configure" });
    expect(seen).toEqual(["error", "phase-start", "phase-start"]);
  });
});

describe("parseEvents", () => {
  it("skips a last line torn by a crash", () => {
    expect(parseEvents('{"kind":"phase-start","at":1,"phase":"create"}\n{"kind":"pha')).toHaveLength(1);
  });

  it("rejects a bad line in the middle", () => {
    expect(() => parseEvents('{"kind":"x","at":1}\nnot json\n{"kind":"x","at":2}\n')).toThrow(
      /line 2 is not JSON/,
    );
  });
});
