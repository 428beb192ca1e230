// Test support: runs `harness run --provider local-dir` as a child process and finds what it left behind.
import { testProvidersEnvName } from "../provider-setup.ts";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { repoRoot } from "../../scenario/catalog.ts";

/** A spawned harness and the directories it works in. */
export interface CliRun {
  child: ChildProcess;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: () => string;
}

/** Spawns `harness run <scenarios> --provider local-dir` with machines under `machinesDir`. */
export function spawnHarnessRun(
  scenarios: string | string[],
  resultsDir: string,
  machinesDir: string,
  extra: string[] = [],
  env: Record<string, string> = {},
): CliRun {
  const child = spawn(
    process.execPath,
    [
      path.join(repoRoot, "bin/harness.js"),
      "run",
      ...(typeof scenarios === "string" ? [scenarios] : scenarios),
      "--provider",
      "local-dir",
      "--results",
      resultsDir,
      ...extra,
    ],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        CI: "true",
        NO_COLOR: "1",
        [testProvidersEnvName]: "1",
        HARNESS_LOCAL_DIR_MACHINES: machinesDir,
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let text = "";
  child.stdout?.on("data", (c: Buffer) => (text += c.toString()));
  child.stderr?.on("data", (c: Buffer) => (text += c.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  return { child, exit, output: () => text };
}

/** The run directories under a results directory (results/<scenario>/<run-id>). */
export async function runDirsUnder(resultsDir: string): Promise<string[]> {
  if (!existsSync(resultsDir)) return [];
  const out: string[] = [];
  for (const scenario of await readdir(resultsDir))
    for (const run of await readdir(path.join(resultsDir, scenario)))
      out.push(path.join(resultsDir, scenario, run));
  return out;
}

/** Number of complete lines in a run's events.ndjson (0 when it does not exist yet). */
export function eventCount(runDir: string): number {
  const file = path.join(runDir, "events.ndjson");
  if (!existsSync(file)) return 0;
  const text = readFileSync(file, "utf8");
  return text.split("\n").length - 1;
}

/** Processes (other than this one) whose environment points into `machinesDir`: what LocalDirTransport started. */
export async function processesIn(machinesDir: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const env = await readFile(`/proc/${entry}/environ`, "utf8");
      if (env.split("\0").some((v) => v.startsWith(`MACHINE_DIR=${machinesDir}`))) found.push(Number(entry));
    } catch {
      // Gone, or not ours to read.
    }
  }
  return found;
}
