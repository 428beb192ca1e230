import { describe, expect, it } from "vitest";
import { loggedAt } from "../reports/logged-at.ts";
import { kernelLogProbe } from "./kernel-log-probe.ts";
import { contextOf, ok, recorded, specOf } from "./testing/probe-fixtures.ts";

/** The match of the debian13 AppArmor scenarios. */
const deniedByRunc = 'apparmor="DENIED" operation="signal".*peer="runc"';
const anySignalDenial = 'apparmor="DENIED" operation="signal"';

describe("kernel-log probe", () => {
  const ctx = contextOf();
  it.each([
    {
      file: "journal/apparmor-denied-signal-kill-peer-runc-ubuntu24.04-containerd-10542.txt",
      match: deniedByRunc,
      count: 1,
    },
    { file: "journal/apparmor-denied-signal-term-peer-runc-dmesg-2024.txt", match: deniedByRunc, count: 1 },
    { file: "journal/apparmor-denied-signal-microk8s-2020.txt", match: deniedByRunc, count: 0 },
    { file: "journal/apparmor-denied-signal-microk8s-2020.txt", match: anySignalDenial, count: 2 },
  ])("counts /$match/ in $file (recorded)", async ({ file, match, count }) => {
    const sample = kernelLogProbe.parse(ok(recorded(file)), specOf({ kind: "kernel-log", match }), await ctx);
    expect(sample.value).toBe(count);
    expect(sample.evidence).toHaveLength(count);
  });

  it("keeps the denial line whole as evidence (recorded containerd#10542 line)", async () => {
    const file = "journal/apparmor-denied-signal-kill-peer-runc-ubuntu24.04-containerd-10542.txt";
    const sample = kernelLogProbe.parse(
      ok(recorded(file)),
      specOf({ kind: "kernel-log", match: deniedByRunc }),
      await ctx,
    );
    expect(sample.evidence[0]).toContain('profile="cri-containerd.apparmor.d" pid=6528 comm="runc"');
  });

  it("keeps dmesg's ISO timestamps on the evidence lines, which the reports read (recorded on this build host)", async () => {
    const text = recorded("journal/dmesg-iso-debian12-build-host.txt");
    const sample = kernelLogProbe.parse(
      ok(text),
      specOf({ kind: "kernel-log", match: "EXT4-fs" }),
      await ctx,
    );
    expect(sample.value).toBe(1);
    const line = sample.evidence[0] ?? "";
    expect(line).toMatch(/^2026-12-04T01:02:08,\d{6}\+00:00 EXT4-fs \(vda\): mounted filesystem/);
    expect(loggedAt(line)).toBeCloseTo(
      Date.parse("2026-12-04T01:02:08Z") + Number(`0.${line.slice(20, 26)}`) * 1000,
      3,
    );
  });

  it("gives a null sample when no kernel log is readable", async () => {
    const out = { stdout: "", stderr: "dmesg: read kernel buffer failed", exitCode: 1 };
    const sample = kernelLogProbe.parse(out, specOf({ kind: "kernel-log", match: deniedByRunc }), await ctx);
    expect(sample.value).toBeNull();
  });
});
