// The planner: a scenario cell becomes a plan. Pure: no I/O, same input, same plan.
import { HarnessError, ExitCode } from "../errors.ts";
import { clusterProbeTimeoutMs, kubectl } from "../probes/kubectl.ts";
import { probeDefinition } from "../probes/registry.ts";
import { dockerEngineDependencies } from "../recipes/data/docker.ts";
import { builtReleaseNodePackages, kubernetesPackageVersions } from "../recipes/data/kubernetes.ts";
import { kubernetesRelease } from "../recipes/kubernetes-versions.ts";
import { script } from "../recipes/shell.ts";
import type { Recipe, RecipeContext } from "../recipes/recipe.ts";
import type { ScenarioCell } from "../scenario/matrix.ts";
import type { Scenario } from "../scenario/schema.ts";
import type { StepSpec } from "../scenario/step-schema.ts";
import { parseDuration, parseSizeMiB } from "./duration.ts";
import { phaseNames, type PhaseName } from "./phases.ts";
import type { ArtifactPlan, MachinePlan, PhasePlan, Plan, ProbePlan, StepPlan } from "./plan.ts";

/** The private segment between a run's machines; chosen clear of pod/service CIDRs, Docker's and Calico's ranges. */
export const privateSubnet = "10.200.0.0/24";

/** Address of the i-th machine on the private segment. */
export function privateIpOf(index: number): string {
  return `10.200.0.${11 + index}`;
}

/** What a scenario adds to its image (the node packages and payload of a release built here), and its outbound NIC. */
function imageAdditions(
  scenario: Scenario,
): Pick<MachinePlan, "imagePackages" | "imagePayload" | "outbound"> {
  const plain = (): Pick<MachinePlan, "imagePackages" | "imagePayload" | "outbound"> => ({
    imagePackages: [],
    imagePayload: null,
    outbound: "debian-mirror",
  });
  if (scenario.kubernetes === "none") return plain();
  const release = kubernetesRelease(scenario.kubernetes.version);
  if (release.source.from !== "debian-source") return plain();
  if (!release.source.images.includes(scenario.image))
    throw new HarnessError(
      "KUBERNETES_IMAGE_UNSUPPORTED",
      `Kubernetes ${release.version} is built here from Debian's source and runs on ${release.source.images.join(", ")}, not ${scenario.image}`,
      {
        hint: `use image ${release.source.images[0] ?? "debian-11"}, or a Kubernetes version from pkgs.k8s.io (${Object.keys(kubernetesPackageVersions).join(", ")}) where the internet is`,
        exitCode: ExitCode.usage,
      },
    );
  // Everything such a node runs is in its image or uploaded from the host's verified cache: kubelet's EC2 metadata
  // probe (169.254.169.254) and a pull of a missing image have nowhere to go.
  return {
    imagePackages: [
      ...builtReleaseNodePackages,
      ...(scenario.runtime.kind === "containerd" ? [] : dockerEngineDependencies),
    ],
    imagePayload: release.source.payload,
    outbound: "none",
  };
}

/** The machines a scenario's nodes become: sizes parsed, addresses on the private segment in node order. */
export function machinesOf(scenario: Scenario): MachinePlan[] {
  const additions = imageAdditions(scenario);
  return scenario.nodes.map((n, i) => ({
    name: n.name,
    role: n.role,
    cpus: n.cpus,
    memoryMiB: parseSizeMiB(n.memory),
    diskGiB: Math.ceil(parseSizeMiB(n.disk) / 1024),
    image: scenario.image,
    ...additions,
    kernelArgs: [...scenario.kernelArgs],
    privateIp: privateIpOf(i),
  }));
}

function customStep(step: StepSpec, index: number, machines: MachinePlan[]): StepPlan {
  const nodes = step.nodes ?? machines.map((m) => m.name);
  return {
    id: `${step.phase}/${step.name}`,
    name: step.name,
    phase: step.phase,
    origin: `scenario:steps[${index}]`,
    description: `custom step on ${nodes.join(", ")}`,
    timeoutMs: parseDuration(step.timeout),
    retry: { retries: step.retries, delayMs: parseDuration(step.retryDelay), kind: "step" },
    expect: step.expectFailure ? "failure" : step.tolerateFailure ? "any" : "success",
    kind: "script",
    runs: nodes.map((node) => ({ node, script: script(step.run) })),
    uploads: [],
  };
}

/** Units whose journals are worth collecting for a scenario. */
function collectedUnits(scenario: Scenario): string[] {
  const units = ["containerd"];
  if (scenario.runtime.kind !== "containerd") units.push("docker");
  if (scenario.runtime.kind === "docker-cri-dockerd") units.push("cri-docker");
  if (scenario.kubernetes !== "none") units.push("kubelet");
  return units;
}

function collectStep(scenario: Scenario, machines: MachinePlan[]): StepPlan {
  const units = collectedUnits(scenario);
  return {
    id: "collect/logs",
    name: "logs",
    phase: "collect",
    origin: "harness",
    description: `kernel log and journals of ${units.join(", ")}${scenario.kubernetes === "none" ? "" : ", cluster events, nodes, pods and the last 200 lines of each kube-system container log"}`,
    timeoutMs: 120_000,
    retry: { retries: 0, delayMs: 0, kind: "step" },
    expect: "any",
    kind: "collect-logs",
    runs: machines.map((m) => ({
      node: m.name,
      files: [
        { name: "dmesg.txt", command: "dmesg -T 2>/dev/null || journalctl -k --no-pager" },
        { name: "journal.txt", command: "journalctl -b --no-pager -o short-iso-precise" },
        ...units.map((u) => ({
          name: `journal-${u}.txt`,
          command: `journalctl -u ${u} -b --no-pager -o short-iso-precise`,
        })),
        ...(m.role === "control-plane"
          ? [
              {
                name: "kubectl-events.txt",
                command: `${kubectl} get events -A -o wide`,
              },
              {
                name: "kubectl-describe-nodes.txt",
                command: `${kubectl} describe nodes`,
              },
              {
                name: "kubectl-pods.txt",
                command: `${kubectl} get pods -A -o wide`,
              },
              {
                // The last lines of every kube-system container's log, restarted ones included.
                name: "kube-system-logs.txt",
                command:
                  'for f in /var/log/pods/kube-system_*/*/*.log; do [ -e "$f" ] || continue; echo "== $f"; tail -n 200 "$f"; done',
              },
            ]
          : []),
      ],
    })),
  };
}

function probePlans(scenario: Scenario, machines: MachinePlan[]): ProbePlan[] {
  const controlPlane = machines.find((m) => m.role === "control-plane");
  return scenario.observe.probes.flatMap((spec) => {
    const def = probeDefinition(spec.kind);
    // Cluster probes read through kubectl on the control plane; their `node` names the node they look at.
    const nodes =
      def.cluster && controlPlane
        ? [controlPlane.name]
        : spec.node !== undefined
          ? [spec.node]
          : machines.map((m) => m.name);
    const command = def.command(spec, {
      scenario,
    });
    const timeoutMs =
      spec.kind === "command" ? parseDuration(spec.timeout) : def.cluster ? clusterProbeTimeoutMs : 30_000;
    return nodes.map((node) => ({ name: spec.name, kind: spec.kind, node, command, timeoutMs, spec }));
  });
}

function dedupeArtifacts(artifacts: ArtifactPlan[]): ArtifactPlan[] {
  const byKey = new Map<string, ArtifactPlan>();
  for (const a of artifacts) if (!byKey.has(a.key)) byKey.set(a.key, a);
  return [...byKey.values()];
}

/** The most rendered script text one plan may hold, summed over its steps and nodes. */
export const maxPlanScriptBytes = 32 * 1024 * 1024;

/** Turns one matrix cell into its plan, with the given recipes (in order) rendering the declarative parts. */
export function planCell(cell: ScenarioCell, recipes: readonly Recipe[]): Plan {
  const { scenario } = cell;
  const machines = machinesOf(scenario);
  const ctx: RecipeContext = { cell, scenario, machines };
  const steps = new Map<PhaseName, StepPlan[]>(phaseNames.map((p) => [p, []]));
  const add = (step: StepPlan) => steps.get(step.phase)?.push(step);
  const names = machines.map((m) => m.name);

  add({
    id: "create/machines",
    name: "machines",
    phase: "create",
    origin: "harness",
    description: `boot ${names.join(", ")} from ${scenario.image}${machines[0]?.imagePayload ? ` with the ${machines[0].imagePayload} payload (built on this host from Debian's source: kubeadm, kubelet, kubectl, crictl in /usr/local/bin, control-plane images in /var/lib/harness/images) and ${machines[0].imagePackages.join(", ")} in the image` : ""}`,
    timeoutMs: 900_000,
    retry: { retries: 2, delayMs: 2_000, kind: "infra" },
    expect: "success",
    kind: "create-machines",
    machines: names,
  });
  const artifacts: ArtifactPlan[] = [];
  for (const recipe of recipes) {
    const out = recipe.plan(ctx);
    out.steps.forEach(add);
    artifacts.push(...out.artifacts);
  }
  scenario.steps.forEach((s, i) => add(customStep(s, i, machines)));
  const durationMs = parseDuration(scenario.observe.duration);
  add({
    id: "observe/probes",
    name: "probes",
    phase: "observe",
    origin: "harness",
    description: `sample ${scenario.observe.probes.length} probe(s) every ${scenario.observe.interval} for up to ${scenario.observe.duration}`,
    timeoutMs: durationMs,
    retry: { retries: 0, delayMs: 0, kind: "step" },
    expect: "success",
    kind: "observe",
  });
  add(collectStep(scenario, machines));
  add({
    id: "destroy/machines",
    name: "machines",
    phase: "destroy",
    origin: "harness",
    description: `destroy ${names.join(", ")}`,
    timeoutMs: 120_000,
    retry: { retries: 1, delayMs: 1_000, kind: "infra" },
    expect: "success",
    kind: "destroy-machines",
    machines: names,
  });

  const ids = new Set<string>();
  for (const list of steps.values()) {
    for (const step of list) {
      if (ids.has(step.id))
        throw new HarnessError("PLAN_DUPLICATE_STEP", `two steps have the id ${step.id}`, {
          hint: "rename the custom step so it does not clash with a recipe step of the same phase",
          exitCode: ExitCode.usage,
        });
      ids.add(step.id);
    }
  }

  const phases: PhasePlan[] = phaseNames.map((name) => ({ name, steps: steps.get(name) ?? [] }));
  const scriptBytes = phases
    .flatMap((p) => p.steps)
    .reduce((n, s) => n + (s.kind === "script" ? s.runs.reduce((m, r) => m + r.script.length, 0) : 0), 0);
  if (scriptBytes > maxPlanScriptBytes)
    throw new HarnessError(
      "PLAN_TOO_LARGE",
      `${cell.file}: the scripts of cell ${cell.id} add up to ${(scriptBytes / 1024 / 1024).toFixed(1)} MB over all nodes, more than ${maxPlanScriptBytes / 1024 / 1024} MB`,
      {
        hint: "run fewer or shorter steps on fewer nodes, or ship a long script as a file the steps run",
        exitCode: ExitCode.usage,
      },
    );
  return {
    planVersion: 1,
    scenario: scenario.name,
    cellId: cell.id,
    labels: cell.labels,
    file: cell.file,
    description: scenario.description.trim(),
    links: scenario.links,
    tags: scenario.tags,
    image: scenario.image,
    kubernetes:
      scenario.kubernetes === "none"
        ? null
        : {
            version: scenario.kubernetes.version,
            serviceSubnet: scenario.kubernetes.serviceSubnet,
            podSubnet: scenario.cni.podSubnet,
          },
    runtime: scenario.runtime.kind,
    network: { privateSubnet },
    machines,
    artifacts: dedupeArtifacts(artifacts),
    phases,
    probes: probePlans(scenario, machines),
    checks: scenario.expect.checks,
    observe: {
      durationMs,
      intervalMs: parseDuration(scenario.observe.interval),
      stopWhenSettled: scenario.observe.stopWhenSettled,
    },
    expect: scenario.expect.verdict,
  };
}
