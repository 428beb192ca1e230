import { describe, expect, it } from "vitest";
import { commandProbe } from "./command-probe.ts";
import { stepProbe } from "./step-probe.ts";
import { sysctlProbe } from "./sysctl-probe.ts";
import { contextOf, ok, specOf } from "./testing/probe-fixtures.ts";

describe("command, sysctl and step probes", () => {
  const ctx = contextOf();
  it.each([
    {
      name: "command stdout, trimmed",
      sample: async () =>
        commandProbe.parse(ok("RUNNING\n"), specOf({ kind: "command", run: "ctr task ls" }), await ctx),
      value: "RUNNING",
      evidence: ["RUNNING"],
    },
    {
      name: "command stdout is null when the command failed",
      sample: async () =>
        commandProbe.parse(
          { stdout: "", stderr: "ctr: connection refused", exitCode: 1 },
          specOf({ kind: "command", run: "ctr task ls" }),
          await ctx,
        ),
      value: null,
      evidence: ["exit 1: ctr: connection refused"],
    },
    {
      name: "command exit code",
      sample: async () =>
        commandProbe.parse(
          { stdout: "a\nb\n", stderr: "", exitCode: 3 },
          specOf({ kind: "command", run: "false", value: "exit-code" }),
          await ctx,
        ),
      value: 3,
      evidence: ["a", "b"],
    },
    {
      name: "numeric sysctl",
      sample: async () =>
        sysctlProbe.parse(ok("1\n"), specOf({ kind: "sysctl", key: "fs.pipe-user-pages-soft" }), await ctx),
      value: 1,
      evidence: ["fs.pipe-user-pages-soft = 1"],
    },
    {
      name: "text sysctl",
      sample: async () =>
        sysctlProbe.parse(
          ok("4096\t16384\t4194304\n"),
          specOf({ kind: "sysctl", key: "net.ipv4.tcp_rmem" }),
          await ctx,
        ),
      value: "4096\t16384\t4194304",
      evidence: ["net.ipv4.tcp_rmem = 4096\t16384\t4194304"],
    },
    {
      name: "unknown sysctl",
      sample: async () =>
        sysctlProbe.parse(
          {
            stdout: "",
            stderr:
              "sysctl: cannot stat /proc/sys/net/bridge/bridge-nf-call-iptables: No such file or directory",
            exitCode: 255,
          },
          specOf({ kind: "sysctl", key: "net.bridge.bridge-nf-call-iptables" }),
          await ctx,
        ),
      value: null,
      evidence: [
        "sysctl: cannot stat /proc/sys/net/bridge/bridge-nf-call-iptables: No such file or directory",
      ],
    },
    {
      name: "step result with its output's tail (real ctr output from bugs.md 2)",
      sample: async () =>
        stepProbe.parse(
          {
            stdout: "TASK    PID     STATUS\nt1      1234    RUNNING\n",
            stderr:
              "ctr: runc did not terminate successfully: exit status 1: unable to signal init: permission denied\n",
            exitCode: 1,
          },
          specOf({ kind: "step", step: "kill" }),
          await ctx,
        ),
      value: 1,
      evidence: [
        "TASK    PID     STATUS",
        "t1      1234    RUNNING",
        "ctr: runc did not terminate successfully: exit status 1: unable to signal init: permission denied",
      ],
    },
  ])("$name", async ({ sample, value, evidence }) => {
    expect(await sample()).toEqual({ value, evidence });
  });

  it("the step probe has no command: the runner feeds it", async () => {
    expect(stepProbe.command(specOf({ kind: "step", step: "kill" }), await ctx)).toBeNull();
  });
});
