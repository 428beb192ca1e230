import { describe, expect, it } from "vitest";
import { execa } from "execa";
import { parsePsRows, processProbe, psCommand } from "./process-probe.ts";
import { contextOf, ok, specOf } from "./testing/probe-fixtures.ts";

// Shape of psCommand's output; the runc rows are as read on the Debian 11 node of debian11-runc-rc93-pipe-hang with
// the hang (runc:[2:INIT] with its main thread's kernel stack topped by pipe_write, the other threads in futex waits).
const ps = [
  "1 1234 Ss ep_poll /sbin/init",
  "812 1200 Ssl futex_wait_queue_me,ep_poll /usr/bin/containerd",
  "4242 600 Ssl pipe_write,futex_wait_queue_me /usr/local/sbin/runc init",
  "4250 590 Ssl pipe_write,futex_wait_queue_me /usr/local/sbin/runc init",
  "4300 20 Ssl pipe_write,futex_wait_queue_me /usr/local/sbin/runc init",
  "4310 700 Ssl do_wait,futex_wait_queue_me runc init",
  "4400 0 R+ - ps -eo pid=,etimes=,stat=,args=",
  "garbage line",
].join("\n");

describe("process probe", () => {
  const ctx = contextOf();
  it("reads ps rows and skips other lines", () => {
    expect(parsePsRows(ps)).toHaveLength(7);
    expect(parsePsRows(ps)[3]).toEqual({
      pid: 4250,
      elapsedSeconds: 590,
      state: "Ssl",
      waitChannels: ["pipe_write", "futex_wait_queue_me"],
      args: "/usr/local/sbin/runc init",
    });
    expect(parsePsRows(ps)[6]?.waitChannels).toEqual([]);
  });

  it.each([
    { match: "runc( init|:\\[2:INIT\\])", olderThan: "5m", value: 3, pids: [4242, 4250, 4310] },
    { match: "runc( init|:\\[2:INIT\\])", olderThan: "0s", value: 4, pids: [4242, 4250, 4300, 4310] },
    { match: "^runc init$", olderThan: "10m", value: 1, pids: [4310] },
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
      "pid 4242 up 600s state Ssl in pipe_write,futex_wait_queue_me: /usr/local/sbin/runc init",
      "pid 4250 up 590s state Ssl in pipe_write,futex_wait_queue_me: /usr/local/sbin/runc init",
    ]);
  });

  it("reads the wait channels of a real process on this host: a sleep is in a kernel sleep function", async () => {
    const sleeper = execa("sleep", ["30"]);
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const { stdout } = await execa("sh", ["-c", psCommand]);
      const row = parsePsRows(stdout).find((r) => r.pid === sleeper.pid);
      expect(row?.args).toBe("sleep 30");
      expect(row?.state).toMatch(/^S/);
      expect(row?.waitChannels.join(",")).toMatch(/nanosleep|schedule|sleep/);
    } finally {
      sleeper.kill();
      await sleeper.catch(() => undefined);
    }
  });
});
