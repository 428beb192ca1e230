import { localDirDeps } from "./testing/local-dir-deps.ts";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ExitCode, HarnessError } from "../errors.ts";
import { readEvents } from "../timeline/read-events.ts";
import { runCell } from "./run-cell.ts";
import type { RunnerDeps, RunOptions } from "./runner-deps.ts";
import { LocalDirProvider } from "./testing/local-dir-provider.ts";
import { localCell } from "./testing/local-cell.ts";
import type { Machine } from "../providers/provider.ts";
import type { Recipe } from "../recipes/recipe.ts";
import { scriptStep } from "../recipes/recipe-step.ts";

let work: string;
let provider: LocalDirProvider;

beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), "run-cell-"));
  provider = new LocalDirProvider(path.join(work, "machines"));
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

function deps(overrides: Partial<RunnerDeps> = {}): RunnerDeps {
  return localDirDeps(provider, "0.0.0-test", overrides);
}

function options(overrides: Partial<RunOptions> = {}): RunOptions {
  return {
    resultsDir: path.join(work, "results"),
    keep: "never",
    repetition: 1,
    signal: new AbortController().signal,
    teardownDeadlineMs: 10_000,
    listeners: [],
    ...overrides,
  };
}

const marker = (value: string, holds = "last") => ({
  observe: {
    duration: "1s",
    interval: "200ms",
    probes: [{ name: "marker", kind: "command", run: "cat marker 2>/dev/null || echo none" }],
  },
  expect: {
    verdict: "reproduced",
    checks: [{ name: "marker written", probe: "marker", holds, equals: value }],
  },
});

describe("runCell on local directories (real processes through LocalTransport)", () => {
  it.each([
    {
      name: "a passing step and a held check -> reproduced",
      steps: [{ name: "write", phase: "workload", run: "echo yes > marker" }],
      verdict: "reproduced",
      outcome: "passed",
    },
    {
      name: "a failing step -> error, with the real stderr in the message",
      steps: [{ name: "write", phase: "workload", run: "echo 'cannot open /dev/kvm' >&2; exit 7" }],
      verdict: "error",
      outcome: "failed",
      message: /exit code 7[\s\S]*cannot open \/dev\/kvm/,
    },
    {
      name: "expectFailure: a failing step is expected",
      steps: [{ name: "write", phase: "workload", run: "echo yes > marker; exit 1", expectFailure: true }],
      verdict: "reproduced",
      outcome: "expected-failure",
    },
    {
      name: "expectFailure: a step that succeeds is an error",
      steps: [{ name: "write", phase: "workload", run: "echo yes > marker", expectFailure: true }],
      verdict: "error",
      outcome: "unexpected-success",
      message: /must fail but succeeded on node1/,
    },
    {
      name: "tolerateFailure: a failure is evidence, not an error",
      steps: [
        {
          name: "write",
          phase: "workload",
          run: "echo yes > marker; echo denied >&2; exit 1",
          tolerateFailure: true,
        },
      ],
      verdict: "reproduced",
      outcome: "tolerated-failure",
      message: /denied/,
    },
    {
      name: "a step that hangs is killed at its timeout",
      steps: [{ name: "write", phase: "workload", run: "echo started; sleep 30", timeout: "500ms" }],
      verdict: "error",
      outcome: "timed-out",
      message: /timed out after .* and was killed[\s\S]*started/,
    },
    {
      name: "a connection dropped mid-step -> infra-failure, not the bug's verdict",
      steps: [
        {
          name: "write",
          phase: "workload",
          run: "echo yes > marker; touch .drop-connection; sleep 30",
          tolerateFailure: true,
        },
      ],
      verdict: "infra-failure",
      outcome: "infra-failure",
      message: /connection lost/,
    },
  ])("$name", async ({ steps, verdict, outcome, message }) => {
    const { cell, plan } = localCell({ steps, ...marker("yes") });
    const started = Date.now();
    const { runDir, record } = await runCell(cell, plan, deps(), options());
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(record.verdict).toBe(verdict);
    expect(record.complete).toBe(true);
    const step = record.steps.find((s) => s.id === "workload/write");
    expect(step?.outcome).toBe(outcome);
    if (message) expect(step?.message).toMatch(message);
    const onDisk = JSON.parse(await readFile(path.join(runDir, "run.json"), "utf8")) as typeof record;
    expect(onDisk.verdict).toBe(verdict);
    expect(await readFile(path.join(runDir, "logs/node1/scripts/workload--write.sh"), "utf8")).toContain(
      steps[0]!.run,
    );
    expect(await provider.list()).toEqual([]);
    const events = await readEvents(path.join(runDir, "events.ndjson"));
    expect(events[0]?.kind).toBe("run-start");
    expect(events.at(-1)?.kind).toBe("run-end");
  });

  it("writes no secret: a token a step prints is redacted from the timeline, run.json, logs and scripts", async () => {
    const token = `ghp_${"Zy9x".repeat(9)}`;
    const { cell, plan } = localCell({
      steps: [
        {
          name: "write",
          phase: "workload",
          run: `echo yes > marker; echo "using ${token}" >&2; exit 1`,
          tolerateFailure: true,
        },
      ],
      ...marker("yes"),
    });
    const { runDir } = await runCell(cell, plan, deps(), options());
    const files = (await readdir(runDir, { recursive: true })).map((f) => path.join(runDir, f));
    const written = await Promise.all(files.map((f) => readFile(f, "utf8").catch(() => "")));
    expect(written.join("\n")).toContain("using [REDACTED");
    for (const [i, text] of written.entries()) expect(text, files[i]).not.toContain(token);
  });

  it("redacts provider logs where they lie (a serial console that printed a token), other bytes unchanged", async () => {
    const token = `ghp_${"Qw3e".repeat(9)}`;
    const raw = Buffer.concat([
      Buffer.from(`login: ${token}\n`),
      Buffer.from([0x1b, 0x5b, 0x32, 0x4a, 0xff, 0x0a]),
    ]);
    class SerialProvider extends LocalDirProvider {
      override async collectLogs(machine: Machine, dir: string): Promise<string[]> {
        const serial = path.join(dir, "serial.log");
        await writeFile(serial, raw);
        return [...(await super.collectLogs(machine, dir)), serial];
      }
    }
    const { cell, plan } = localCell({ ...marker("none") });
    const { runDir } = await runCell(
      cell,
      plan,
      deps({ provider: new SerialProvider(path.join(work, "machines")) }),
      options(),
    );
    const [node] = await readdir(path.join(runDir, "logs"));
    const serial = await readFile(path.join(runDir, "logs", node!, "serial.log"));
    expect(serial.toString("latin1")).not.toContain(token);
    expect(serial.toString("latin1")).toContain("login: [REDACTED GitHub token]\n");
    expect(serial.subarray(-6)).toEqual(raw.subarray(-6));
  });

  it("retries a failing step and records every attempt", async () => {
    const { cell, plan } = localCell({
      steps: [
        {
          name: "write",
          phase: "workload",
          run: "n=$(cat count 2>/dev/null || echo 0); echo $((n+1)) > count; [ $n -ge 2 ]; echo yes > marker",
          retries: 3,
          retryDelay: "10ms",
        },
      ],
      ...marker("yes"),
    });
    const { runDir, record } = await runCell(cell, plan, deps(), options());
    expect(record.verdict).toBe("reproduced");
    expect(record.steps.find((s) => s.id === "workload/write")?.attempts).toBe(3);
    const retries = (await readEvents(path.join(runDir, "events.ndjson"))).filter((e) => e.kind === "retry");
    expect(retries.map((e) => (e.kind === "retry" ? e.attempt : 0))).toEqual([1, 2]);
  });

  it("feeds a tolerated step's result to a step probe", async () => {
    const { cell, plan } = localCell({
      steps: [
        {
          name: "kill",
          phase: "workload",
          run: "echo 'unable to signal init: permission denied' >&2; exit 1",
          tolerateFailure: true,
        },
      ],
      observe: {
        duration: "1s",
        interval: "200ms",
        probes: [{ name: "kill-result", kind: "step", step: "kill" }],
      },
      expect: { verdict: "reproduced", checks: [{ name: "kill failed", probe: "kill-result", equals: 1 }] },
    });
    const { record } = await runCell(cell, plan, deps(), options());
    expect(record.checks[0]).toMatchObject({ held: true });
    expect(record.checks[0]?.evidence.join("\n")).toContain("unable to signal init: permission denied");
    expect(record.verdict).toBe("reproduced");
  });

  it("stops observing early once every check is settled", async () => {
    const { cell, plan } = localCell({
      steps: [{ name: "write", phase: "workload", run: "echo yes > marker" }],
      ...marker("yes", "ever"),
    });
    plan.observe.durationMs = 60_000;
    const { record } = await runCell(cell, plan, deps(), options());
    expect(record.steps.find((s) => s.id === "observe/probes")?.message).toMatch(/every check was settled/);
  });

  it("a failed create is an infra-failure and later steps are skipped", async () => {
    provider = new LocalDirProvider(path.join(work, "machines"), {
      failCreate: "qemu exited: could not open disk image",
    });
    const { cell, plan } = localCell({
      steps: [{ name: "write", phase: "workload", run: "true" }],
      ...marker("yes"),
    });
    const create = plan.phases[0]!.steps[0]!;
    create.retry.delayMs = 10;
    const { record } = await runCell(cell, plan, deps(), options());
    expect(record.verdict).toBe("infra-failure");
    expect(record.evidence.join("\n")).toMatch(/could not open disk image/);
    expect(record.steps.find((s) => s.id === "workload/write")?.outcome).toBe("skipped");
    expect(record.steps.find((s) => s.id === "create/machines")?.attempts).toBe(3);
  });

  it("a configuration error at create is an error, tried once, with its code and hint in the evidence", async () => {
    provider = new LocalDirProvider(path.join(work, "machines"), {
      failCreate: new HarnessError("IMAGE_UNAVAILABLE", "image ubuntu-24.04 is not in the cache", {
        hint: "harness images fetch ubuntu-24.04",
        exitCode: ExitCode.usage,
      }),
    });
    const { cell, plan } = localCell({ ...marker("yes") });
    plan.phases[0]!.steps[0]!.retry.delayMs = 10;
    const { record } = await runCell(cell, plan, deps(), options());
    expect(record.verdict).toBe("error");
    const create = record.steps.find((s) => s.id === "create/machines");
    expect(create?.attempts).toBe(1);
    expect(create?.message).toBe(
      "image ubuntu-24.04 is not in the cache [IMAGE_UNAVAILABLE]; hint: harness images fetch ubuntu-24.04",
    );
  });

  it("keeps machines with --keep always and says how to reach them", async () => {
    const { cell, plan } = localCell({
      steps: [{ name: "write", phase: "workload", run: "echo yes > marker" }],
      ...marker("yes"),
    });
    const { record } = await runCell(cell, plan, deps(), options({ keep: "always" }));
    expect(record.machines[0]?.kept).toBe(true);
    expect(record.machines[0]?.sshCommand).toMatch(/^cd \//);
    expect((await provider.list()).length).toBe(1);
    await provider.destroy(record.runId);
  });

  it("an abort mid-step kills the step, tears down and ends aborted", async () => {
    const controller = new AbortController();
    const { cell, plan } = localCell({
      steps: [{ name: "write", phase: "workload", run: "sleep 30" }],
      ...marker("yes"),
    });
    const run = runCell(cell, plan, deps(), options({ signal: controller.signal }));
    setTimeout(() => controller.abort("SIGINT"), 500);
    const { runDir, record } = await run;
    expect(record.verdict).toBe("aborted");
    expect(await provider.list()).toEqual([]);
    expect(existsSync(path.join(runDir, "run.json"))).toBe(true);
    const kinds = (await readEvents(path.join(runDir, "events.ndjson"))).map((e) => e.kind);
    expect(kinds).toContain("interrupt");
    expect(await readdir(path.join(work, "machines"))).toEqual([]);
  });

  it("copies the join command from the control plane to every worker after bootstrap/kubeadm-init, and feeds init's result to a step probe", async () => {
    const file = "/var/lib/harness/join-command";
    // A stand-in for the kubeadm-init recipe: a recipe step of that name writing the join command and failing.
    const fakeInit: Recipe = {
      name: "kubeadm-init",
      plan: ({ machines }) => ({
        steps: [
          scriptStep({
            recipe: "kubeadm-init",
            name: "kubeadm-init",
            phase: "bootstrap",
            description: "stand-in for kubeadm init",
            nodes: machines.filter((m) => m.role === "control-plane"),
            body: () =>
              `mkdir -p "$MACHINE_DIR/var/lib/harness"; echo 'kubeadm join 10.200.0.11:6443 --token abc.def' > "$MACHINE_DIR${file}"; echo '[ERROR Swap]: running with swap on is not supported' >&2; exit 3`,
            timeoutMs: 10_000,
            expect: "any",
          }),
        ],
        artifacts: [],
      }),
    };
    const { cell, plan } = localCell(
      {
        kubernetes: { version: "1.30.4" },
        nodes: [
          { name: "cp", role: "control-plane", memory: "256M" },
          { name: "w1", role: "worker", memory: "256M" },
        ],
        steps: [{ name: "read-join", phase: "join", nodes: ["w1"], run: `cat "$MACHINE_DIR${file}"` }],
        observe: {
          duration: "1s",
          interval: "200ms",
          probes: [
            { name: "joined", kind: "step", step: "read-join" },
            { name: "init", kind: "step", step: "kubeadm-init", node: "cp" },
          ],
        },
        expect: {
          verdict: "reproduced",
          checks: [
            { probe: "joined", holds: "last", matches: "kubeadm join 10.200.0.11:6443" },
            { probe: "init", holds: "last", equals: 3 },
          ],
        },
      },
      [fakeInit],
    );
    const { record } = await runCell(cell, plan, deps(), options());
    expect(record.verdict).toBe("reproduced");
    expect(record.evidence.join("\n")).toContain("[ERROR Swap]: running with swap on is not supported");
  });
});
