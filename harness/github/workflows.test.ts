// The GitHub workflows: valid for GitHub (offline validator), pinned, and in step with the CLI they call.
import { execFile } from "node:child_process";
import { readFile, readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { removeTempDirs, tempDir } from "./testing/run-dir-fixture.ts";
import { parse } from "yaml";
import { buildProgram, main } from "../cli/main.ts";
import { repoRoot } from "../scenario/catalog.ts";

interface ValidationState {
  errors: { code: string; title: string; detail?: string; path?: string }[];
}
const validator = createRequire(import.meta.url)("@action-validator/core") as {
  validateWorkflow(src: string): ValidationState;
};

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface Job {
  needs?: string | string[];
  if?: string;
  "timeout-minutes"?: number;
  permissions?: Record<string, string>;
  strategy?: { "fail-fast"?: boolean; matrix?: unknown };
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  jobs: Record<string, Job>;
}

const workflowsDir = path.join(repoRoot, ".github", "workflows");
const read = (name: string) => readFile(path.join(workflowsDir, name), "utf8");
const load = async (name: string) => parse(await read(name)) as Workflow;
const run = promisify(execFile);

async function captureMain(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  vi.spyOn(process.stdout, "write").mockImplementation((s) => ((stdout += String(s)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((s) => ((stderr += String(s)), true));
  try {
    return { code: await main(argv), stdout, stderr };
  } finally {
    vi.restoreAllMocks();
  }
}

/** The plan job's step that lists the cells. */
async function matrixStep(): Promise<Step> {
  const step = (await load("nightly.yml")).jobs.plan?.steps.find((s) =>
    s.run?.includes("bin/harness.js matrix"),
  );
  if (!step?.run) throw new Error("nightly.yml: the plan job has no step running `harness matrix`");
  return step;
}

/** The argv the plan step gives the CLI for a `scenarios` input, split the way its `read -a` splits it. */
async function matrixArgv(scenarios: string): Promise<string[]> {
  const script = (await matrixStep()).run ?? "";
  const command = /node bin\/harness\.js (matrix[^)]*)\)/.exec(script)?.[1];
  if (command === undefined) throw new Error(`cannot find the matrix command in:\n${script}`);
  return command
    .trim()
    .split(/\s+/)
    .flatMap((word) => {
      if (word === '"${selection[@]}"') return scenarios.split(/\s+/).filter((w) => w !== "");
      if (/["'$`\\]/.test(word)) throw new Error(`the test does not know how the shell expands ${word}`);
      return [word];
    });
}

afterEach(() => vi.restoreAllMocks());

describe("GitHub workflows", () => {
  it.each(["ci.yml", "nightly.yml"])(
    "%s passes the offline workflow validator (@action-validator/core)",
    async (name) => {
      expect(validator.validateWorkflow(await read(name)).errors).toEqual([]);
    },
  );

  it("the validator really rejects a broken workflow", async () => {
    const broken = (await read("nightly.yml")).replace("needs: plan\n", "needs: planner\n");
    expect(validator.validateWorkflow(broken).errors.map((e) => e.code)).toContain("unresolved_job");
  });

  it("there are exactly the workflows the tests know about", async () => {
    expect((await readdir(workflowsDir)).sort()).toEqual(["ci.yml", "nightly.yml"]);
  });

  it.each(["ci.yml", "nightly.yml"])(
    "%s pins every action to a full commit SHA with a version comment",
    async (name) => {
      const uses = (await read(name)).split("\n").filter((l) => /^\s*(?:-\s+)?uses:/.test(l));
      expect(uses.length).toBeGreaterThan(0);
      for (const line of uses) expect(line).toMatch(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    },
  );

  it("ci.yml runs `npm run check` on Node 20 for pushes and pull requests, read-only, cancelling superseded runs", async () => {
    const ci = await load("ci.yml");
    expect(Object.keys(ci.on).sort()).toEqual(["pull_request", "push"]);
    expect(ci.permissions).toEqual({ contents: "read" });
    expect(ci.concurrency?.["cancel-in-progress"]).toBe(true);
    const steps = Object.values(ci.jobs).flatMap((j) => j.steps);
    expect(steps.find((s) => s.uses?.startsWith("actions/setup-node@"))?.with).toEqual({
      "node-version": 20,
      cache: "npm",
    });
    expect(
      steps
        .map((s) => s.run)
        .filter(Boolean)
        .slice(-2),
    ).toEqual(["npm install --no-audit --no-fund", "npm run check"]);
  });

  it("nightly.yml fans the planned cells out with KVM and keeps every cell's results", async () => {
    const nightly = await load("nightly.yml");
    expect(Object.keys(nightly.on).sort()).toEqual(["schedule", "workflow_dispatch"]);
    expect(Object.keys((nightly.on.workflow_dispatch as { inputs: object }).inputs).sort()).toEqual([
      "provider",
      "scenarios",
    ]);
    expect(nightly.permissions).toEqual({ contents: "read" });
    const cell = nightly.jobs.cell;
    expect(cell?.needs).toBe("plan");
    expect(cell?.strategy).toMatchObject({
      "fail-fast": false,
      matrix: "${{ fromJSON(needs.plan.outputs.matrix) }}",
    });
    expect(cell?.["timeout-minutes"]).toBeGreaterThan(0);
    const script = cell?.steps.map((s) => s.run ?? "").join("\n") ?? "";
    expect(script).toContain(`KERNEL=="kvm", GROUP="kvm", MODE="0666"`);
    expect(script).toContain("udevadm trigger");
    expect(script).toMatch(/apt-get install .*qemu-system-x86 qemu-utils debootstrap/s);
    expect(script).toContain('bin/harness.js run "$CELL" --provider "$PROVIDER" --accel auto');
    const upload = cell?.steps.find((s) => s.uses?.startsWith("actions/upload-artifact@"));
    expect(upload?.if).toBe("always()");
    const report = nightly.jobs.report;
    expect(report?.if).toContain("always()");
    expect(report?.permissions).toEqual({ contents: "read", issues: "write" });
    const reportScript = report?.steps.map((s) => s.run ?? "").join("\n") ?? "";
    expect(reportScript).toContain('>> "$GITHUB_STEP_SUMMARY"');
    expect(reportScript).toContain("bin/harness.js github track-issue");
  });

  it.each([
    ["an empty selection (the schedule)", ""],
    ["a scenario name", "debian13-containerd16-apparmor"],
    ["a tag", "--tag apparmor"],
  ])(
    "the nightly's matrix command, given %s, prints one {include} entry per cell through the real CLI",
    async (_name, scenarios) => {
      const argv = await matrixArgv(scenarios);
      expect(argv.slice(0, 2)).toEqual(["matrix", "--github"]);
      const github = await captureMain(argv);
      expect(github.stderr).toBe("");
      expect(github.code).toBe(0);
      expect(github.stdout.trim().split("\n")).toHaveLength(1);
      const matrix = JSON.parse(github.stdout) as {
        include: { scenario: string; cell: string; name: string }[];
      };
      const listed = await captureMain(["matrix", "--json", ...argv.slice(2)]);
      const cells = (JSON.parse(listed.stdout) as { id: string }[]).map((c) => c.id);
      expect(cells.length).toBeGreaterThan(0);
      expect(matrix.include.map((e) => e.cell)).toEqual(cells);
      for (const entry of matrix.include) {
        expect(entry.name).toBeTruthy();
        expect(await captureMain(["plan", entry.cell])).toMatchObject({ code: 0 });
      }
    },
  );

  it("the plan step's shell script writes a one-line matrix output for GitHub (run with bash)", async () => {
    const dir = await tempDir("harness-gh-output-");
    const output = path.join(dir, "output");
    await run("bash", ["-c", (await matrixStep()).run ?? ""], {
      cwd: repoRoot,
      env: { ...process.env, SCENARIOS: "--tag apparmor", GITHUB_OUTPUT: output },
    });
    const lines = (await readFile(output, "utf8")).trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    const matrix = JSON.parse(lines[0]?.replace(/^matrix=/, "") ?? "") as { include: unknown[] };
    expect(matrix.include.length).toBeGreaterThan(0);
  });

  it.each(["ci.yml", "nightly.yml"])(
    "every harness command and flag %s uses exists in the CLI",
    async (name) => {
      const workflow = await load(name);
      const scripts = Object.values(workflow.jobs).flatMap((j) => j.steps.map((s) => s.run ?? ""));
      const calls = scripts.flatMap((s) =>
        [...s.matchAll(/bin\/harness\.js ([^\n)]*)/g)].map((m) => m[1] ?? ""),
      );
      const program = buildProgram({ exitCode: 0, verbose: false });
      for (const call of calls) {
        const words = call.split(/\s+/);
        let command = program.commands.find((c) => c.name() === words[0]);
        expect(command, `${name}: harness ${words[0]}`).toBeDefined();
        const sub = command?.commands.find((c) => c.name() === words[1]);
        if (sub) command = sub;
        for (const flag of words.filter((w) => w.startsWith("--")))
          expect(
            command?.options.some((o) => o.long === flag),
            `${name}: harness ${command?.name()} ${flag}`,
          ).toBe(true);
      }
    },
  );
});

afterAll(removeTempDirs);
