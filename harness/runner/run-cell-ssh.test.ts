// The runner over real SSH (a local test sshd, harness/transport/local-sshd.ts): a dropped connection mid-step is
// an infra-failure, a hang is killed at its timeout, and a tolerated failure is evidence.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../timeline/clock.ts";
import { localSshdAvailable, startLocalSshd, type LocalSshd } from "../transport/local-sshd.ts";
import { checksEvaluator } from "./checks-evaluator.ts";
import { runCell } from "./run-cell.ts";
import type { RunnerDeps } from "./runner-deps.ts";
import { localCell } from "./testing/local-cell.ts";
import { LocalSshdProvider } from "./testing/local-sshd-provider.ts";

const haveSshd = await localSshdAvailable();

/** Kills the sshd process serving this command's session: the connection drops as if the guest went away. */
const dropConnection =
  'p=$PPID; while [ "$p" -gt 1 ]; do case "$(cat /proc/$p/comm)" in sshd*) kill -KILL "$p"; break;; esac; p=$(awk \'{print $4}\' /proc/$p/stat); done; sleep 30';

describe.skipIf(!haveSshd)("runCell over real SSH to a local sshd", () => {
  let work: string;
  let sshd: LocalSshd;
  let provider: LocalSshdProvider;

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), "run-cell-ssh-"));
    sshd = await startLocalSshd(path.join(work, "sshd"));
    provider = new LocalSshdProvider(sshd.endpoint);
  });
  afterAll(async () => {
    await sshd?.stop();
    await rm(work, { recursive: true, force: true });
  });

  const deps = (): RunnerDeps => ({
    provider,
    connect: (m, ctx) => provider.connect(m, ctx),
    resolveArtifacts: () => Promise.resolve(new Map()),
    fingerprint: null,
    evaluateChecks: checksEvaluator,
    clock: systemClock,
    makeKeyPair: (dir) => Promise.resolve({ privateKeyPath: path.join(dir, "unused"), publicKey: "unused" }),
    harnessVersion: "test",
  });

  it.each([
    {
      name: "a dropped connection mid-step is infra-failure",
      run: dropConnection,
      tolerate: true,
      verdict: "infra-failure",
      outcome: "infra-failure",
      message: /connection lost/,
    },
    {
      name: "a hang is killed at its timeout",
      run: "echo started; sleep 30",
      timeout: "1s",
      tolerate: false,
      verdict: "error",
      outcome: "timed-out",
      message: /timed out after/,
    },
    {
      name: "a tolerated failure is evidence",
      run: "echo 'permission denied' >&2; exit 1",
      tolerate: true,
      verdict: "reproduced",
      outcome: "tolerated-failure",
      message: /permission denied/,
    },
  ])("$name", async ({ run, tolerate, timeout, verdict, outcome, message }) => {
    const { cell, plan } = localCell({
      steps: [
        { name: "step", phase: "workload", run, tolerateFailure: tolerate, ...(timeout ? { timeout } : {}) },
      ],
      observe: {
        duration: "1s",
        interval: "300ms",
        probes: [{ name: "result", kind: "step", step: "step" }],
      },
      expect: { verdict: "reproduced", checks: [{ probe: "result", holds: "last", equals: 1 }] },
    });
    const started = Date.now();
    const { record } = await runCell(cell, plan, deps(), {
      resultsDir: path.join(work, "results"),
      keep: "never",
      repetition: 1,
      signal: new AbortController().signal,
      teardownDeadlineMs: 10_000,
      listeners: [],
    });
    expect(Date.now() - started).toBeLessThan(20_000);
    const step = record.steps.find((s) => s.id === "workload/step");
    expect(step?.outcome).toBe(outcome);
    expect(step?.message).toMatch(message);
    expect(record.verdict).toBe(verdict);
  });
});
