import { describe, expect, it } from "vitest";
import { parsePsRows, processProbe } from "./process-probe.ts";
import { contextOf, ok, specOf } from "./testing/probe-fixtures.ts";

// Shape of procps `ps -eo pid=,etimes=,args=` (right-aligned numbers, no header); written from the format, not recorded
// on a node with the runc rc93 hang (bugs.md 3 describes the lingering `runc:[2:INIT]` and `runc init` processes).
const ps = [
  "      1    1234 /sbin/init",
  "    812    1200 /usr/bin/containerd",
  "   4242     600 runc init",
  "   4250     590 runc:[2:INIT]",
  "   4300      20 runc init",
  "   4400       0 ps -eo pid=,etimes=,args=",
  "garbage line",
].join("\n");

describe("process probe", () => {
  const ctx = contextOf();
  it("reads ps rows and skips other lines", () => {
    expect(parsePsRows(ps)).toHaveLength(6);
    expect(parsePsRows(ps)[3]).toEqual({ pid: 4250, elapsedSeconds: 590, args: "runc:[2:INIT]" });
  });

  it.each([
    { match: "runc( init|:\\[2:INIT\\])", olderThan: "5m", value: 2, pids: [4242, 4250] },
    { match: "runc( init|:\\[2:INIT\\])", olderThan: "0s", value: 3, pids: [4242, 4250, 4300] },
    { match: "^runc init$", olderThan: "10m", value: 1, pids: [4242] },
    { match: "kubelet", olderThan: "0s", value: 0, pids: [] },
  ])("counts /$match/ older than $olderThan", async ({ match, olderThan, value, pids }) => {
    const sample = processProbe.parse(ok(ps), specOf({ kind: "process", match, olderThan }), await ctx);
    expect(sample.value).toBe(value);
    expect(sample.evidence.map((l) => Number(/^pid (\d+)/.exec(l)?.[1]))).toEqual(pids);
  });
});
