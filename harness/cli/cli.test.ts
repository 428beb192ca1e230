// The CLI end to end, in-process through main() and (for exit codes and stderr) as a real child process.
import { runCliInProcess } from "./testing/run-cli-in-process.ts";
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it, vi } from "vitest";
import { scenarioJsonSchema } from "../scenario/json-schema.ts";
import { repoRoot } from "../scenario/catalog.ts";
import { sampleRunRecord } from "../github/testing/run-dir-fixture.ts";
import { writeRunRecord } from "../reports/run-record.ts";

const run = promisify(execFile);
const bin = path.join(repoRoot, "bin", "harness.js");

async function spawnCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: "1" },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("harness CLI", () => {
  afterEach(() => vi.restoreAllMocks());

  it("keeps scenarios/scenario.schema.json in step with the zod schema (run `npm run schema` when this fails)", async () => {
    const onDisk = await readFile(path.join(repoRoot, "scenarios", "scenario.schema.json"), "utf8");
    expect(onDisk).toBe(scenarioJsonSchema());
  });

  it("validates the whole catalog, warning at file:line:col of each artifact the lock does not pin", async () => {
    const lock = path.join(await mkdtemp(path.join(tmpdir(), "harness-lock-")), "none.json");
    const { code, stdout, stderr } = await runCliInProcess(["validate", "--lock", lock]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/scenario file\(s\), \d+ cell\(s\): valid; \d+ artifact\(s\) not pinned/);
    const lines = stderr.trimEnd().split("\n");
    for (const line of lines)
      expect(line).toMatch(
        /^\S+\.yaml:\d+:\d+: (cni\.plugin|runtime\.criDockerd\.source\.version): warning: https:\/\/\S+ is not pinned in /,
      );
    expect(stderr).toContain(
      "ubuntu24-containerd.yaml:35:11: cni.plugin: warning: https://github.com/flannel-io/flannel/releases/download/v0.25.6/kube-flannel.yml is not pinned",
    );
    expect(stderr).toContain("run `harness artifacts pin ubuntu24-containerd` where the internet is");
    const strict = await runCliInProcess([
      "validate",
      "--strict",
      "--lock",
      lock,
      "scenarios/ubuntu24-containerd.yaml",
    ]);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toContain("cni.plugin: error: https://github.com/flannel-io/flannel");
  });

  it("artifacts verify names every catalog artifact the lock does not pin (no network)", async () => {
    const lock = path.join(await mkdtemp(path.join(tmpdir(), "harness-lock-")), "none.json");
    const { code, stdout } = await runCliInProcess(["artifacts", "verify", "--lock", lock]);
    expect(code).toBe(0);
    expect(stdout).toContain(
      "not pinned https://github.com/Mirantis/cri-dockerd/releases/download/v0.3.15/cri-dockerd-0.3.15.amd64.tgz",
    );
  });

  it("lists the catalog as JSON with tags, expected verdict, links and matrix size", async () => {
    const { code, stdout } = await runCliInProcess(["list", "--json"]);
    expect(code).toBe(0);
    const entries = JSON.parse(stdout) as {
      name: string;
      expect: string;
      links: string[];
      cells: number;
      tags: string[];
    }[];
    const apparmor = entries.find((e) => e.name === "debian13-containerd16-apparmor");
    expect(apparmor).toMatchObject({
      expect: "reproduced",
      cells: 1,
    });
    expect(apparmor?.tags).toContain("runs-here");
    expect(apparmor?.links).toContain("https://github.com/containerd/containerd/issues/10542");
  });

  it("lists the catalog under a header line with each scenario's last run from the results directory", async () => {
    const results = await mkdtemp(path.join(tmpdir(), "harness-list-"));
    try {
      const scenario = "debian13-containerd16-apparmor";
      for (const [runId, verdict, pass] of [
        ["20261201-100000-aaaaaa", "error", false],
        ["20261204-040500-bbbbbb", "reproduced", true],
      ] as const) {
        const dir = path.join(results, scenario, runId);
        await mkdir(dir, { recursive: true });
        writeRunRecord(
          dir,
          sampleRunRecord({
            runId,
            verdict,
            pass,
            startedAt: Date.UTC(2026, 11, Number(runId.slice(6, 8)), 4, 5),
            durationMs: 366_000,
          }),
        );
      }
      await mkdir(path.join(results, scenario, "not-a-run"));
      const { code, stdout } = await runCliInProcess(["list", "--results", results]);
      expect(code).toBe(0);
      const lines = stdout.split("\n");
      expect(lines[0]).toMatch(/^NAME +EXPECT +CELLS +IMAGE +KUBERNETES +RUNTIME +LAST RUN +TAGS$/);
      expect(lines.find((l) => l.startsWith(`${scenario} `))).toMatch(
        / reproduced PASS 2026-12-04 04:05 \(6m06s\) /,
      );
      expect(lines.find((l) => l.startsWith("debian11-kubeadm "))).toMatch(/ never /);
    } finally {
      await rm(results, { recursive: true, force: true });
    }
  });

  it("prints a plan with phases, steps and checks", async () => {
    const { code, stdout } = await runCliInProcess(["plan", "debian13-containerd16-apparmor"]);
    expect(code).toBe(0);
    expect(stdout).toContain("plan debian13-containerd16-apparmor");
    expect(stdout).toContain("workload/kill  on node1");
    expect(stdout).toContain("failure is evidence");
    expect(stdout).toContain("verdict reproduced when every check holds:");
  });

  it("prints a plan as JSON", async () => {
    const { code, stdout } = await runCliInProcess(["plan", "debian13-containerd17-apparmor", "--json"]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      planVersion: 1,
      cellId: "debian13-containerd17-apparmor",
      expect: "healthy",
    });
  });

  it("prints a GitHub Actions matrix with one entry per cell", async () => {
    const { code, stdout } = await runCliInProcess(["matrix", "--github"]);
    expect(code).toBe(0);
    const { include } = JSON.parse(stdout) as { include: { scenario: string; cell: string }[] };
    const cells = JSON.parse((await runCliInProcess(["matrix", "--json"])).stdout) as { id: string }[];
    expect(include.map((e) => e.cell)).toEqual(cells.map((c) => c.id));
    expect(new Set(include.map((e) => e.cell)).size).toBe(include.length);
  });

  it("names an unknown scenario and lists the known ones", async () => {
    const { code, stderr } = await runCliInProcess(["plan", "no-such-scenario"]);
    expect(code).toBe(2);
    expect(stderr).toContain("error: no scenario named no-such-scenario");
    expect(stderr).toContain("hint: scenarios are:");
  });

  it("suggests the scenario a typo was meant to name, instead of listing them all", async () => {
    const { code, stderr } = await runCliInProcess(["plan", "debian11-kubeadmm"]);
    expect(code).toBe(2);
    expect(stderr).toContain("hint: did you mean debian11-kubeadm? (`harness list` shows every scenario)");
  });

  it("suggests the cell a typo was meant to name", async () => {
    const { code, stderr } = await runCliInProcess([
      "plan",
      "debian13-containerd-apparmor-matrix[containerd=1.7.2]",
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain("hint: did you mean debian13-containerd-apparmor-matrix[containerd=1.7.24]?");
  });

  it("prints its version with the commit it runs from, as a real process", async () => {
    const { code, stdout } = await spawnCli(["--version"]);
    expect(code).toBe(0);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+(\+[0-9a-f]{12})?$/);
  });

  it("exits 2 with file:line:col and no stack trace, as a real process", async () => {
    const fixture = path.join("harness", "scenario", "fixtures", "invalid", "bad-role.yaml");
    const { code, stderr } = await spawnCli(["validate", fixture]);
    expect(code).toBe(2);
    expect(stderr).toContain(
      `${fixture}:6:11: nodes[0].role: expected one of control-plane, worker, standalone`,
    );
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  it("exits 2 on an unknown command, as a real process", async () => {
    const { code, stderr } = await spawnCli(["frobnicate"]);
    expect(code).toBe(2);
    expect(stderr).toContain("unknown command");
  });
});
