import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { journalProbe } from "./journal-probe.ts";
import { withRunStart } from "./run-start.ts";
import { contextOf, ok, recorded, specOf } from "./testing/probe-fixtures.ts";

const pleg = "PLEG is not healthy";

describe("journal probe parser", () => {
  const ctx = contextOf();
  it.each([
    { file: "journal/kubelet-pleg-not-healthy-klog-2018.txt", match: pleg, count: 5 },
    { file: "journal/kubelet-pleg-not-healthy-structured-eks-2023.txt", match: pleg, count: 2 },
    { file: "journal/kubelet-pleg-not-healthy-v1.17.3-shim-hang.txt", match: pleg, count: 1 },
    { file: "journal/kubelet-node-became-not-ready-pleg-v1.6.2.txt", match: pleg, count: 1 },
    {
      file: "journal/kubelet-cni-plugin-not-initialized-2023.txt",
      match: "cni plugin not initialized",
      count: 2,
    },
    {
      file: "journal/kubelet-dockershim-no-op-2020.txt",
      match: "networking managed by (network plugin )?kubernetes.io/no-op",
      count: 1,
    },
    {
      file: "journal/kubelet-cgroup-driver-mismatch-and-dockershim-no-op-minikube-2018.txt",
      match: 'cgroup driver: "cgroupfs" is different',
      count: 1,
    },
    {
      file: "journal/kubelet-error-killing-pod-unable-to-signal-init-runc-1.1.12-ubuntu24.04.txt",
      match: "unable to signal init: permission denied",
      count: 1,
    },
    {
      file: "journal/nerdctl-stop-unable-to-signal-init-apparmor4-2024.txt",
      match: "unable to signal init: permission denied",
      count: 1,
    },
  ])("counts /$match/ in $file (recorded)", async ({ file, match, count }) => {
    const sample = journalProbe.parse(
      ok(recorded(file)),
      specOf({ kind: "journal", unit: "kubelet", match }),
      await ctx,
    );
    expect(sample.value).toBe(count);
    expect(sample.evidence).toHaveLength(count);
    for (const line of sample.evidence) expect(line).toMatch(new RegExp(match));
  });

  it("keeps only the last 20 matching lines as evidence", async () => {
    const text = Array.from({ length: 30 }, (_, i) => `line ${i} PLEG is not healthy`).join("\n");
    const sample = journalProbe.parse(
      ok(text),
      specOf({ kind: "journal", unit: "kubelet", match: pleg }),
      await ctx,
    );
    expect(sample.value).toBe(30);
    expect(sample.evidence[0]).toBe("line 10 PLEG is not healthy");
  });

  it("gives a null sample when journalctl fails", async () => {
    const out = { stdout: "", stderr: "Failed to open journal", exitCode: 1 };
    const sample = journalProbe.parse(
      out,
      specOf({ kind: "journal", unit: "kubelet", match: pleg }),
      await ctx,
    );
    expect(sample).toEqual({ value: null, evidence: ["journalctl exited 1: Failed to open journal"] });
  });
});

describe("journal probe command (stub journalctl on PATH)", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "journal-probe-"));
    await writeFile(path.join(dir, "journalctl"), '#!/bin/sh\nprintf "%s\\n" "$@"\n', { mode: 0o755 });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it.each([
    { name: "the current boot when the run start is not set", start: null, since: [] },
    {
      name: "since the run started when the runner sets it",
      start: 1_763_900_000.7,
      since: ["--since=@1763900000"],
    },
  ])("reads $name", async ({ start, since }) => {
    const command = journalProbe.command(
      specOf({ kind: "journal", unit: "kubelet", match: pleg }),
      await contextOf(),
    );
    const full = start === null ? command! : withRunStart(command!, start);
    const { stdout } = await execa("bash", ["-c", full], {
      env: { PATH: `${dir}:${process.env.PATH ?? ""}`, HARNESS_RUN_STARTED_AT: undefined },
      extendEnv: false,
    });
    expect(stdout.split("\n")).toEqual([
      "-q",
      "--no-pager",
      "-o",
      "short-iso-precise",
      "-b",
      "-u",
      "kubelet",
      ...since,
    ]);
  });
});
