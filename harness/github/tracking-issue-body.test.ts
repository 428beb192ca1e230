import { describe, expect, it } from "vitest";
import {
  allPass,
  trackingBody,
  trackingTitle,
  type TrackedCell,
  type TrackingReport,
} from "./tracking-issue-body.ts";

const at = new Date(Date.UTC(2026, 10, 23, 2, 17, 45));
const cell = (cellId: string, pass: boolean): TrackedCell => ({
  cellId,
  expect: "healthy",
  verdict: pass ? "healthy" : "unhealthy",
  pass,
});
const report = (cells: TrackedCell[], runUrl?: string): TrackingReport => ({
  name: "nightly",
  cells,
  runUrl,
  at,
});

describe("tracking issue body", () => {
  it.each([
    [
      [cell("a", true), cell("b", false)],
      false,
      "nightly: 1 of 2 scenario cells fail",
      "**1 of 2 cells fail**",
    ],
    [[cell("a", true)], true, "nightly: all 1 scenario cells pass", "**All 1 cells pass**"],
    [[], false, "nightly: 0 of 0 scenario cells fail", "**No cell produced a result**"],
  ])("titles and heads %j", (cells, pass, title, headline) => {
    const r = report(cells, "https://github.test/run/1");
    expect(allPass(r)).toBe(pass);
    expect(trackingTitle(r)).toBe(title);
    expect(trackingBody(r)).toContain(
      `${headline} in the [nightly run](https://github.test/run/1) (2026-11-23 02:17 UTC).`,
    );
  });

  it("lists failing cells first", () => {
    const body = trackingBody(report([cell("ok", true), cell("bad", false)]));
    expect(body.indexOf("`bad`")).toBeLessThan(body.indexOf("`ok`"));
  });

  it("drops passing rows first to stay within the limit, and says so", () => {
    const cells = [
      cell("failing", false),
      ...Array.from({ length: 200 }, (_, i) => cell(`passing-${i}`, true)),
    ];
    const body = trackingBody(report(cells), 4_000);
    expect(body.length).toBeLessThanOrEqual(4_000);
    expect(body).toContain("`failing`");
    expect(body).toMatch(/_\d+ passing cells left out to fit GitHub's body limit\._/);
  });
});
