import { describe, expect, it } from "vitest";
import { execa } from "execa";
import { parsePsRows, processProbe, psCommand } from "./process-probe.ts";
import { contextOf, ok, specOf } from "./testing/probe-fixtures.ts";

// Shape of procps `ps -eo pid=,etimes=,stat=,wchan:64=,args=` (right-aligned numbers, no header); written from the
// format, not recorded on a node with the runc rc93 hang (bugs.md 3: the stuck `runc init` is state S in pipe_write).
const ps = [
  "      1    1234 Ss   ep_poll                          /sbin/init",
  "    812    1200 Ssl  futex_wait_queue_me              /usr/bin/containerd",
  "   4242     600 Sl   pipe_write                       runc init",
  "   4250     590 Sl   pipe_write                       runc:[2:INIT]",
  "   4300      20 Sl   pipe_write                       runc init",
  "   4310     700 Sl   do_wait                          runc init",
  "   4400       0 R+   -                                ps -eo pid=,etimes=,stat=,wchan:64=,args=",
  "garbage line",
].join("\n");

describe("process probe", () => {
  const ctx = contextOf();
  it("reads ps rows and skips other lines", () => {
    expect(parsePsRows(ps)).toHaveLength(7);
    expect(parsePsRows(ps)[3]).toEqual({
      pid: 4250,
      elapsedSeconds: 590,
      state: "Sl",
      waitChannel: "pipe_write",
      args: "runc:[2:INIT]",
    });
  });

  it.each([
    { match: "runc( init|:\\[2:INIT\\])", olderThan: "5m", value: 3, pids: [4242, 4250, 4310] },
    { match: "runc( init|:\\[2:INIT\\])", olderThan: "0s", value: 4, pids: [4242, 4250, 4300, 4310] },
    { match: "^runc init$", olderThan: "10m", value: 2, pids: [4242, 4310] },
    { match: "kubelet", olderThan: "0s", value: 0, pids: [] },
  ])("counts /$match/ older than $olderThan", async ({ match, olderThan, value, pids }) => {
    const sample = processProbe.parse(ok(ps), specOf({ kind: "process", match, olderThan }), await ctx);
    expect(sample.value).toBe(value);
    expect(sample.evidence.map((l) => Number(/^pid (\d+)/.exec(l)?.[1]))).toEqual(pids);
  });

  it("counts only processes in the wait channel when one is given, and names state and channel in the evidence", async () => {
    const spec = specOf({ kind: "process", match: "runc", olderThan: "60s", waitChannel: "pipe_write" });
    const sample = processProbe.parse(ok(ps), spec, await ctx);
    expect(sample.value).toBe(2);
    expect(sample.evidence).toEqual([
      "pid 4242 up 600s state Sl in pipe_write: runc init",
      "pid 4250 up 590s state Sl in pipe_write: runc:[2:INIT]",
    ]);
  });

  it("reads the wait channel from the real ps of this host (pid 1 sleeps, ps itself runs)", async () => {
    const { stdout } = await execa("sh", ["-c", psCommand]);
    const rows = parsePsRows(stdout);
    expect(rows.find((r) => r.pid === 1)?.state).toMatch(/^[SD]/);
    expect(rows.some((r) => r.args.startsWith("ps -eo") && r.waitChannel === "-")).toBe(true);
  });
});
