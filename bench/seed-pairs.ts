// Benchmark of the seed pairs (issue 16): per run, the wall time, the time from the fault (or from kubeadm init
// when the fault is swap, which acts at init) to the first sample that satisfies each check, and the restart
// counts and values the verdict rests on.
// Run: node --import tsx bench/seed-pairs.ts RUN_DIR...   (run directories, or results/<scenario>/ folders)
//      npm run test:kubeadm first makes the runs (every `kubeadm` + `runs-here` scenario).
import path from "node:path";
import { satisfies } from "../harness/checks/sample-predicate.ts";
import { checkName } from "../harness/checks/check-name.ts";
import { loggedAt } from "../harness/reports/logged-at.ts";
import { loadRuns } from "../harness/reports/matrix-report.ts";
import { installedVersions } from "../harness/reports/installed-versions.ts";
import { resolveScenarioFile } from "../harness/scenario/catalog.ts";
import { loadScenario } from "../harness/scenario/load.ts";
import { readEvents } from "../harness/timeline/read-events.ts";

const s = (ms: number | null): string => (ms === null ? "n/a" : `${(ms / 1000).toFixed(1)} s`);

const dirs = process.argv.slice(2);
if (dirs.length === 0) {
  console.error("usage: node --import tsx bench/seed-pairs.ts RUN_DIR... (or results/<scenario>/ folders)");
  process.exit(2);
}
for (const { runDir, record } of await loadRuns(dirs)) {
  const file = path.isAbsolute(record.file) ? record.file : await resolveScenarioFile(record.scenario);
  const { scenario } = await loadScenario(file);
  const events = await readEvents(path.join(runDir, "events.ndjson"));
  const endOf = (id: string) => {
    const step = record.steps.find((x) => x.id === id);
    return step?.startedAt == null ? null : step.startedAt + step.durationMs;
  };
  // The injection, in whichever phase the fault strikes; its configure-phase preparation is not the fault.
  const fault = record.steps.find((x) => /^[a-z-]+\/fault-/.test(x.id) && !x.id.endsWith("-prepare"));
  const init = record.steps.find((x) => x.id === "bootstrap/kubeadm-init");
  const originName =
    fault?.id.endsWith("/fault-swap-on") === true
      ? "kubeadm init's start"
      : fault
        ? "the fault"
        : "the end of kubeadm init";
  const from =
    fault?.id.endsWith("/fault-swap-on") === true
      ? (init?.startedAt ?? null)
      : fault
        ? endOf(fault.id)
        : null;
  console.log(
    `${record.cellId}: ${record.verdict} (${record.pass ? "PASS" : "FAIL"}), wall ${s(record.durationMs)}`,
  );
  console.log(`  installed: ${installedVersions(record).join(", ")}`);
  console.log(
    `  kubeadm init: ${init ? `${init.outcome} in ${s(init.durationMs)}` : "not run"}; ${fault ? `fault ${fault.id}` : "no fault"}; times below count from ${originName}`,
  );
  const origin = from ?? endOf("bootstrap/kubeadm-init");
  for (const check of scenario.expect.checks) {
    const samples = events.flatMap((e) => (e.kind === "probe" && e.probe === check.probe ? [e] : []));
    const first = samples.find((x) => satisfies(check, x));
    const last = samples.at(-1);
    const initEnd = endOf("bootstrap/kubeadm-init");
    const when = !first
      ? "never"
      : `${origin === null ? "n/a" : s(first.at - origin)}${initEnd !== null && origin !== initEnd ? ` (${s(first.at - initEnd)} after kubeadm init ended)` : ""}`;
    console.log(
      `  ${checkName(check)}: ${check.holds === "never" ? "first sample that breaks it (holds: never)" : "first satisfied"} after ${when}; ${samples.length} sample(s), last value ${JSON.stringify(last?.value ?? null)}`,
    );
    // A journal or kernel-log line carries the time it was logged, which a sample taken later cannot.
    const pattern = check.matches === undefined ? null : new RegExp(check.matches);
    const line = first?.evidence.find((l) => l.trim() !== "" && (pattern === null || pattern.test(l)));
    if (line === undefined) continue;
    const logged = loggedAt(line);
    const at =
      logged === null || initEnd === null
        ? ""
        : ` (logged ${s(logged - initEnd)} after kubeadm init ended${origin !== null && origin !== initEnd ? `, ${s(logged - origin)} after ${originName}` : ""})`;
    console.log(`    first evidence line${at}: ${line.slice(0, 200)}`);
  }
}
