import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildCommentBody } from "./comment-body.ts";
import { kernelExcerpts } from "./evidence-excerpt.ts";
import type { RunBundle } from "./run-bundle.ts";
import { sampleRunRecord } from "./testing/run-dir-fixture.ts";

// Real lines of one debian13-containerd16-apparmor run on this build host (2026-12-04, run 20261204-021455-43f9f1):
// the evidence line as run.json holds it (from dmesg --time-format=iso) and the kernel lines of logs/node1/journal.txt.
const evidenceLine =
  '  [node1 +0.0s]   2026-12-04T02:16:55,022150+00:00 audit: type=1400 audit(1796350614.997:12): apparmor="DENIED" operation="signal" class="signal" profile="cri-containerd.apparmor.d" pid=679 comm="runc" requested_mask="receive" denied_mask="receive" signal=kill peer="runc"';
const journal = readFileSync(
  path.join(import.meta.dirname, "testing", "journal-kernel-apparmor-debian13.txt"),
  "utf8",
);

function bundle(evidence: string[]): RunBundle {
  return {
    runDir: "/nonexistent",
    record: sampleRunRecord({
      evidence,
      nodes: { node1: { clockOffsetMs: -395, facts: {} } },
    }),
    summary: undefined,
    gantt: undefined,
    reproduce: undefined,
    versions: undefined,
    timelineHtml: undefined,
    logs: [{ path: "logs/node1/journal.txt", size: journal.length, text: journal, truncated: false }],
  };
}

describe("kernelExcerpts (recorded AppArmor run)", () => {
  it("keeps the kernel lines 10 s either side of the evidence, on the guest's clock, and nothing older", () => {
    const [excerpt] = kernelExcerpts(bundle(["holds: the kernel denied runc's signal", evidenceLine]));
    expect(excerpt?.node).toBe("node1");
    expect(excerpt?.lines.map((l) => l.slice(0, 32))).toEqual([
      "2026-12-04T02:16:52.978883+00:00",
      "2026-12-04T02:16:55.002417+00:00",
    ]);
    expect(excerpt?.lines[1]).toContain('apparmor="DENIED" operation="signal"');
  });

  it("gives nothing without evidence that carries a timestamp", () => {
    expect(kernelExcerpts(bundle(["  [node1 -3.0s]   ctr: unknown error after kill"]))).toEqual([]);
  });

  it("puts the excerpt in the comment, collapsed", () => {
    const body = buildCommentBody(bundle([evidenceLine]));
    expect(body).toContain(
      "<details><summary>kernel log of node1, 10 s either side of the evidence (2 lines)</summary>",
    );
  });
});
