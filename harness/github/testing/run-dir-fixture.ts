// Writes a run directory shaped like the runner's (run.json, summary.md with a gantt, logs/) for attach tests.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { RunRecord } from "../../reports/run-record.ts";

/** A run record of a cell that reproduced the AppArmor bug as expected; override any field. */
export function sampleRunRecord(overrides: Partial<RunRecord> = {}): RunRecord {
  const startedAt = Date.UTC(2026, 10, 23, 18, 0, 0);
  return {
    recordVersion: 1,
    runId: "20261123-180000-ab12",
    scenario: "debian13-containerd16-apparmor",
    cellId: "debian13-containerd16-apparmor",
    labels: {},
    file: "scenarios/debian13-containerd16-apparmor.yaml",
    description: "containerd 1.6.20 on AppArmor 4.1 cannot kill a container",
    links: ["https://github.com/containerd/containerd/issues/10542"],
    provider: "qemu",
    harnessVersion: "0.1.0",
    repetition: 1,
    startedAt,
    endedAt: startedAt + 95_000,
    durationMs: 95_000,
    complete: true,
    expect: "reproduced",
    verdict: "reproduced",
    pass: true,
    reason: "check kill-denied held: the kernel logged the AppArmor denial",
    evidence: [
      'apparmor="DENIED" operation="signal" class="signal" profile="cri-containerd.apparmor.d" comm="runc" requested_mask="receive" denied_mask="receive" signal=kill peer="runc"',
      "runc did not terminate successfully: exit status 1: unable to signal init: permission denied",
    ],
    checks: [
      {
        name: "kill-denied",
        probe: "kernel-log",
        held: true,
        reason: "1 matching line",
        evidence: ['apparmor="DENIED" operation="signal"'],
        evidenceMissing: false,
      },
    ],
    steps: [
      {
        id: "create",
        name: "create machines",
        phase: "create",
        nodes: ["node1"],
        outcome: "passed",
        startedAt,
        durationMs: 21_000,
        attempts: 1,
      },
      {
        id: "kill",
        name: "kill the container",
        phase: "workload",
        nodes: ["node1"],
        outcome: "expected-failure",
        startedAt: startedAt + 60_000,
        durationMs: 1_200,
        attempts: 1,
        message: "unable to signal init: permission denied",
      },
    ],
    phases: [
      { name: "create", startedAt, durationMs: 21_000 },
      { name: "workload", startedAt: startedAt + 60_000, durationMs: 1_200 },
    ],
    machines: [{ name: "node1", role: "control-plane", cpus: 2, memoryMiB: 2048, kept: false }],
    artifacts: [{ key: "containerd", resolvedVersion: "1.6.20", sha256: "0123456789abcdef0123456789abcdef" }],
    nodes: {
      node1: {
        clockOffsetMs: 3,
        facts: { kernel: "6.12.38+deb13-amd64", containerd: "1.6.20", runc: "1.1.15", apparmor: "4.1.0" },
      },
    },
    versionMismatches: [],
    ...overrides,
  };
}

/** A summary.md with a Mermaid gantt, like the runner writes. */
export const sampleSummary = [
  "# debian13-containerd16-apparmor: reproduced (pass)",
  "",
  "```mermaid",
  "gantt",
  "  dateFormat x",
  "  axisFormat %M:%S",
  "  section node1",
  "  create machines :done, s1, 0, 21000",
  "  kill the container :crit, s2, 60000, 61200",
  "```",
  "",
  "| step | outcome |",
  "| --- | --- |",
  "| kill the container | expected-failure |",
  "",
].join("\n");

/** What to put in a fixture run directory. */
export interface RunDirFixture {
  record?: RunRecord;
  summary?: string | null;
  timelineHtml?: string | null;
  /** Log files by path below logs/ (e.g. `node1/journal.log`). */
  logs?: Record<string, string>;
  /** Directory to create the run directory in (default: the system temp dir). */
  parent?: string;
}

const created: string[] = [];

/** A fresh temp directory that `removeTempDirs` deletes. */
export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Deletes every directory `tempDir` and `writeRunDir` made (call it in afterAll). */
export async function removeTempDirs(): Promise<void> {
  await Promise.all(created.splice(0).map((d) => rm(d, { recursive: true, force: true })));
}

/** Creates a fresh run directory (under `parent` or a new temp dir); returns its path. */
export async function writeRunDir(fixture: RunDirFixture = {}): Promise<string> {
  const dir = await mkdtemp(path.join(fixture.parent ?? (await tempDir("harness-runs-")), "run-"));
  await writeFile(path.join(dir, "run.json"), JSON.stringify(fixture.record ?? sampleRunRecord(), null, 2));
  if (fixture.summary !== null)
    await writeFile(path.join(dir, "summary.md"), fixture.summary ?? sampleSummary);
  if (fixture.timelineHtml !== null)
    await writeFile(
      path.join(dir, "timeline.html"),
      fixture.timelineHtml ?? "<!doctype html><title>timeline</title>",
    );
  const logs = fixture.logs ?? {
    "node1/journal.log": "Nov 23 18:01:00 node1 containerd[412]: starting containerd\n",
    "node1/dmesg.log": 'audit: apparmor="DENIED" operation="signal" peer="runc"\n',
  };
  for (const [name, text] of Object.entries(logs)) {
    const file = path.join(dir, "logs", name);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
  }
  return dir;
}
