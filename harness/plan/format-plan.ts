// Renders a plan as text for `harness plan`.
import { formatDuration } from "./duration.ts";
import type { ArtifactPlan, Plan, StepPlan } from "./plan.ts";

function artifactLine(a: ArtifactPlan): string {
  switch (a.kind) {
    case "apt-package":
      return `${a.package}=${a.version} (${a.arch}) from ${a.repo.url} ${a.repo.suite}/${a.repo.component}, verified via the signed index`;
    case "apt-source":
      return `source package ${a.package}=${a.version}, its *${a.fileSuffix}, from ${a.repo.url} ${a.repo.suite}/${a.repo.component}, verified via the signed Sources index`;
    case "url":
      if ("unpinned" in a.checksum) return `${a.url}, NOT PINNED: ${a.checksum.unpinned}`;
      return `${a.url}, verified against ${"sha256" in a.checksum ? `sha256 ${a.checksum.sha256}` : a.checksum.url}`;
    case "local-file":
      return `local file ${a.path}`;
    case "host-build":
      return `${a.build}, built on this host: ${a.summary}`;
  }
}

function stepTargets(step: StepPlan): string {
  switch (step.kind) {
    case "script":
      return step.runs.map((r) => r.node).join(", ");
    case "create-machines":
    case "destroy-machines":
      return step.machines.join(", ");
    case "collect-logs":
      return step.runs.map((r) => r.node).join(", ");
    case "observe":
      return "all probes";
  }
}

function policy(step: StepPlan): string {
  const parts = [`timeout ${formatDuration(step.timeoutMs)}`];
  if (step.retry.retries > 0)
    parts.push(
      `${step.retry.retries} ${step.retry.kind === "infra" ? "infra " : ""}retr${step.retry.retries === 1 ? "y" : "ies"}`,
    );
  if (step.expect === "failure") parts.push("must fail");
  if (step.expect === "any") parts.push("failure is evidence");
  return parts.join(", ");
}

function indent(text: string, by: string): string {
  return text
    .trimEnd()
    .split("\n")
    .map((l) => `${by}${l}`)
    .join("\n");
}

/** Human-readable plan; with `scripts`, every rendered script in full. */
export function formatPlan(plan: Plan, options: { scripts?: boolean } = {}): string {
  const out: string[] = [];
  out.push(`plan ${plan.cellId}  (${plan.file})`);
  out.push(`  ${plan.description.split("\n")[0] ?? ""}`);
  out.push(
    `  expect ${plan.expect}; image ${plan.image}; kubernetes ${plan.kubernetes ? `${plan.kubernetes.version} (pods ${plan.kubernetes.podSubnet}, services ${plan.kubernetes.serviceSubnet})` : "none (runtime only)"}; runtime ${plan.runtime}`,
  );
  for (const link of plan.links) out.push(`  ${link}`);
  out.push("", `machines (private segment ${plan.network.privateSubnet}):`);
  for (const m of plan.machines)
    out.push(
      `  ${m.name.padEnd(12)} ${m.role.padEnd(13)} ${m.cpus} cpu  ${m.memoryMiB} MiB  ${m.diskGiB} GiB  ${m.privateIp}${m.kernelArgs.length > 0 ? `  kernel args: ${m.kernelArgs.join(" ")}` : ""}`,
    );
  if (plan.artifacts.length > 0) {
    out.push("", "artifacts (fetched once on the host, checksum-verified, uploaded):");
    for (const a of plan.artifacts) out.push(`  ${a.key}: ${artifactLine(a)}`);
  }
  out.push("", "phases:");
  for (const phase of plan.phases) {
    out.push(`  ${phase.name}${phase.steps.length === 0 ? "  (nothing to do)" : ""}`);
    for (const step of phase.steps) {
      out.push(`    ${step.id}  on ${stepTargets(step)}  [${policy(step)}]  ${step.origin}`);
      out.push(`      ${step.description}`);
      if (options.scripts && step.kind === "script") {
        for (const run of step.runs) {
          out.push(`      --- script on ${run.node} ---`, indent(run.script, "      | "));
        }
      }
    }
  }
  out.push(
    "",
    `observe: up to ${formatDuration(plan.observe.durationMs)}, every ${formatDuration(plan.observe.intervalMs)}${plan.observe.stopWhenSettled ? ", stop when settled" : ""}`,
  );
  for (const p of plan.probes)
    out.push(`  probe ${p.name} (${p.kind}) on ${p.node}: ${p.command ?? "fed by the runner"}`);
  out.push("", `verdict ${plan.expect} when every check holds:`);
  for (const c of plan.checks) {
    const preds = [
      c.atLeast !== undefined ? `>= ${c.atLeast}` : "",
      c.atMost !== undefined ? `<= ${c.atMost}` : "",
      c.equals !== undefined ? `== ${JSON.stringify(c.equals)}` : "",
      c.matches !== undefined ? `~ /${c.matches}/` : "",
      c.notMatches !== undefined ? `!~ /${c.notMatches}/` : "",
      c.within !== undefined ? `within ${c.within}` : "",
    ].filter(Boolean);
    out.push(
      `  ${c.name ?? `${c.probe} ${c.holds}`}: probe ${c.probe} holds ${c.holds} ${preds.join(" ")}`.trimEnd(),
    );
  }
  return `${out.join("\n")}\n`;
}
