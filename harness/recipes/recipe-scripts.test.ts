import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { planCell } from "../plan/planner.ts";
import type { Plan } from "../plan/plan.ts";
import { defaultRecipes } from "./index.ts";
import { kubeadmResetStep } from "./kubeadm-reset.ts";
import { catalogCells } from "./testing/catalog-plans.ts";

interface RenderedScript {
  label: string;
  file: string;
}

let scripts: RenderedScript[] = [];
let plans: Plan[] = [];

beforeAll(async () => {
  const cells = await catalogCells();
  // The catalog's plans, plus the kubeadm reset step the ssh provider adds to Kubernetes scenarios.
  plans = cells.map((cell) => {
    const plan = planCell(cell, defaultRecipes);
    if (cell.scenario.kubernetes === "none") return plan;
    const reset = kubeadmResetStep(cell.scenario, plan.machines);
    return { ...plan, phases: [{ name: "prepare-os" as const, steps: [reset] }, ...plan.phases] };
  });
  const dir = mkdtempSync(path.join(tmpdir(), "recipe-scripts-"));
  // Identical scripts (the same recipe step in several cells) are checked once, under their first label.
  const seen = new Set<string>();
  scripts = plans.flatMap((plan, p) =>
    plan.phases.flatMap((phase) =>
      phase.steps.flatMap((step) =>
        step.kind === "script"
          ? step.runs.flatMap((run) => {
              if (seen.has(run.script)) return [];
              seen.add(run.script);
              const sub = path.join(dir, String(p), step.id.replace("/", "_"));
              mkdirSync(sub, { recursive: true });
              const file = path.join(sub, `${run.node}.sh`);
              writeFileSync(file, run.script);
              return [{ label: `${plan.cellId} ${step.id} on ${run.node}`, file }];
            })
          : [],
      ),
    ),
  );
});

describe("every rendered script of every catalog cell", () => {
  it("exists: the catalog renders scripts from recipes and scenario steps", () => {
    expect(plans.length).toBeGreaterThanOrEqual(18);
    expect(scripts.length).toBeGreaterThan(30);
  });

  it("passes `bash -n`", { timeout: 60_000 }, () => {
    const failures = scripts
      .map((s) => ({ s, r: spawnSync("bash", ["-n", s.file], { encoding: "utf8" }) }))
      .filter(({ r }) => r.status !== 0)
      .map(({ s, r }) => `${s.label}: ${r.stderr.trim()}`);
    expect(failures).toEqual([]);
  });

  it("passes `shellcheck -s bash` with no findings at all", { timeout: 120_000 }, () => {
    const r = spawnSync("shellcheck", ["-s", "bash", "-f", "gcc", ...scripts.map((s) => s.file)], {
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(r.error).toBeUndefined();
    const byFile = new Map(scripts.map((s) => [s.file, s.label]));
    const findings = r.stdout
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => {
        const file = l.slice(0, l.indexOf(".sh:") + 3);
        return `${byFile.get(file) ?? file}${l.slice(file.length)}`;
      });
    expect(findings).toEqual([]);
    expect(r.status).toBe(0);
  });

  it("starts with the strict-mode header", () => {
    for (const plan of plans)
      for (const phase of plan.phases)
        for (const step of phase.steps)
          if (step.kind === "script")
            for (const run of step.runs)
              expect(run.script.startsWith("#!/usr/bin/env bash\nset -euo pipefail\n")).toBe(true);
  });
});
