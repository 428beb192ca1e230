// Benchmark of the kubeadm tier (issue 18): the host builds (Kubernetes from Debian's source, its images), the
// guest image, boot, `kubeadm init` start -> control plane healthy, join -> node Ready, the cell's wall time cold or
// warm, kube-system restarts over the observe window, and the disk the caches use.
// Run: node --import tsx bench/kubeadm-tier.ts [--cold] [scenario]   (default: debian11-kubeadm; --cold: empty cache)
//      node --import tsx bench/kubeadm-tier.ts --report RUN_DIR...   (the same figures for runs already made)
import { spawnSync } from "node:child_process";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { defaultCacheDir } from "../harness/artifacts/cache-dir.ts";
import type { RunRecord } from "../harness/reports/run-record.ts";
import { repoRoot } from "../harness/scenario/catalog.ts";
import { readEvents } from "../harness/timeline/read-events.ts";
import { machineTimes } from "./machine-times.ts";

const args = process.argv.slice(2);
const cold = args.includes("--cold");
const positional = args.filter((a) => !a.startsWith("--"));

const s = (ms: number | null): string => (ms === null ? "n/a" : `${(ms / 1000).toFixed(1)} s`);

/** The figures of one run, from its run.json and timeline. */
async function report(runDir: string): Promise<void> {
  const record = JSON.parse(await readFile(path.join(runDir, "run.json"), "utf8")) as RunRecord;
  const events = await readEvents(path.join(runDir, "events.ndjson"));
  const step = (id: string) => record.steps.find((x) => x.id === id);
  const out: string[] = [
    `  cell ${record.cellId}: ${record.verdict} (${record.pass ? "PASS" : "FAIL"}), run ${s(record.durationMs)}`,
  ];
  for (const phase of record.phases) out.push(`    ${phase.name.padEnd(16)} ${s(phase.durationMs)}`);
  out.push(`  host builds (create/builds): ${s(step("create/builds")?.durationMs ?? null)}`);
  const { imageMs, boots } = machineTimes(events);
  for (const [machine, ms] of boots) out.push(`  boot ${machine}: ${s(ms)} to SSH`);
  out.push(`  guest image (built or found): ${s(imageMs)}`);
  const lines = (id: string) => events.flatMap((e) => (e.kind === "output" && e.step === id ? [e.line] : []));
  const healthy = lines("bootstrap/kubeadm-init")
    .map((l) => /All control plane components are healthy after ([\d.]+) seconds/.exec(l)?.[1])
    .find((v) => v !== undefined);
  out.push(
    `  kubeadm init step ${s(step("bootstrap/kubeadm-init")?.durationMs ?? null)}; kubeadm: control plane healthy after ${healthy ?? "n/a"} s`,
  );
  const join = step("join/kubeadm-join");
  out.push(`  kubeadm join step ${s(join?.durationMs ?? null)}`);
  for (const l of lines("workload/smoke")) {
    const m = /^(\S+) ready-since (\S+)$/.exec(l);
    if (m && join?.startedAt != null && m[1] !== undefined && m[2] !== undefined) {
      const ready = Date.parse(m[2]);
      if (record.machines.find((x) => x.name === m[1])?.role === "worker")
        out.push(`  ${m[1]}: Ready ${s(ready - join.startedAt)} after kubeadm join started`);
    }
  }
  const restarts = events.flatMap((e) =>
    e.kind === "probe" && e.probe === "system-restarts" && typeof e.value === "number" ? [e.value] : [],
  );
  if (restarts.length > 0)
    out.push(
      `  kube-system restarts: ${restarts[0]} at the first sample, ${restarts.at(-1)} at the last (${restarts.length} samples)`,
    );
  out.push(`  smoke step ${s(step("workload/smoke")?.durationMs ?? null)}`);
  process.stdout.write(`${out.join("\n")}\n`);
}

function du(dir: string): string {
  const r = spawnSync("du", ["-sh", dir], { encoding: "utf8" });
  return r.status === 0 ? (r.stdout.split("\t")[0] ?? "?") : "absent";
}

if (args.includes("--report")) {
  for (const runDir of positional) await report(runDir);
  process.exit(0);
}

const scenario = positional[0] ?? "debian11-kubeadm";
const env: NodeJS.ProcessEnv = { ...process.env, CI: "true", NO_COLOR: "1" };
if (cold) env.HARNESS_CACHE_DIR = await mkdtemp(path.join(tmpdir(), "bench-kubeadm-cache-"));
const cache = env.HARNESS_CACHE_DIR ?? defaultCacheDir();
const results = await mkdtemp(path.join(tmpdir(), "bench-kubeadm-"));
const harness = path.join(repoRoot, "bin", "harness.js");
let started = Date.now();
const build = spawnSync(process.execPath, [harness, "builds", "build"], {
  env,
  stdio: ["ignore", "ignore", "inherit"],
});
const buildMs = Date.now() - started;
started = Date.now();
const run = spawnSync(process.execPath, [harness, "run", scenario, "--results", results], {
  env,
  stdio: ["ignore", "ignore", "inherit"],
});
const runMs = Date.now() - started;
process.stdout.write(`\n${scenario} (${cold ? "cold: empty cache" : "warm: cached builds and image"})\n`);
process.stdout.write(`  harness builds build: exit ${build.status}, ${s(buildMs)}\n`);
process.stdout.write(`  harness run: exit ${run.status}, wall ${s(runMs)}\n`);
for (const sub of ["builds", "images", "artifacts"])
  process.stdout.write(`  cache ${sub}: ${du(path.join(cache, sub))}\n`);
for (const dir of await readdir(path.join(results, scenario)))
  await report(path.join(results, scenario, dir));
