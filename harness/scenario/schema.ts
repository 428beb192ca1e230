// The scenario language: the zod schema is the single source of truth for types, validation and scenario.schema.json.
import { z } from "zod";
import { directBootImages, imageNames } from "../images/image-names.ts";
import { checkSpec } from "./check-schema.ts";
import { faultSpec } from "./fault-schema.ts";
import { watchableHarnessSteps } from "./harness-steps.ts";
import {
  duration,
  durationAtLeast,
  ipv4Cidr,
  kernelArg,
  kubernetesVersion,
  plainText,
  safeName,
  size,
  sizeUpTo,
} from "./identifiers.ts";
import { matrixSpec } from "./matrix-schema.ts";
import { isBridgeCni, podSubnetNodeCapacity } from "./pod-subnet.ts";
import { probeSpec } from "./probe-schema.ts";
import { runtimeSpec } from "./runtime-schema.ts";
import { stepSpec } from "./step-schema.ts";

/** A machine of the scenario. */
export const nodeSpec = z.strictObject({
  name: safeName,
  role: z.enum(["control-plane", "worker", "standalone"]),
  cpus: z.int().min(1).max(64).default(2),
  memory: sizeUpTo(512).default("2G"),
  disk: size.default("10G"),
});

/** Kubernetes to bootstrap with kubeadm. */
export const kubernetesSpec = z.strictObject({
  version: kubernetesVersion,
  serviceSubnet: ipv4Cidr.default("10.96.0.0/12"),
  ignorePreflightErrors: z
    .array(
      z
        .string()
        .regex(
          /^[A-Za-z][A-Za-z0-9-]{0,62}$/,
          "must be a kubeadm preflight check name like Swap or NumCPU (letters, digits and '-')",
        ),
    )
    .max(32)
    .default([])
    .describe(
      "kubeadm preflight checks whose errors are ignored (`--ignore-preflight-errors`): Swap lets kubeadm go on with swap on, so kubelet's own failSwapOn check is what stops the node",
    ),
  kubeletVerbosity: z
    .int()
    .min(0)
    .max(10)
    .optional()
    .describe(
      "kubelet's log level (`--v`) on every node; unset keeps kubelet's default (0). At 2 kubelet logs its sandbox decisions (`No ready sandbox for pod ... Need to start a new one`); at 3 also every event it emits (`\"Event occurred\" ... reason=...`) at the moment it emits it, whether or not the API server ever stores it",
    ),
});

/** The CNI plugin and pod network. */
export const cniSpec = z.strictObject({
  plugin: z
    .enum(["none", "bridge", "bridge-daemonset", "flannel", "calico"])
    .describe(
      "bridge: the CNI bridge and host-local plugins with a pod CIDR per node assigned by the harness, and routes between nodes over the private segment (no overlay, no download); bridge-daemonset: the same network, its config written on each node by a DaemonSet's init container after kubeadm init, as flannel and Calico do (until then the node is NotReady: cni plugin not initialized)",
    ),
  version: z
    .string()
    .regex(/^v?\d+\.\d+\.\d+$/, "must be a release version like v0.25.6")
    .optional(),
  podSubnet: ipv4Cidr.default("10.244.0.0/16"),
});

/** How long to observe and how often to sample probes. */
export const observeSpec = z.strictObject({
  duration: duration.default("60s"),
  interval: durationAtLeast(100, "100ms (probes are sampled this often)").default("5s"),
  stopWhenSettled: z
    .boolean()
    .default(true)
    .describe("Stop early once every check's outcome can no longer change"),
  probes: z.array(probeSpec).max(64).default([]),
});

/** The expected verdict and the checks that decide it. */
export const expectSpec = z.strictObject({
  verdict: z.enum(["reproduced", "healthy"]),
  checks: z.array(checkSpec).min(1, "needs at least one check: a verdict must come from evidence").max(128),
});

const scenarioObject = z.strictObject({
  $schema: z.string().max(1024).optional(),
  name: safeName,
  description: plainText(8192, { lines: true }),
  links: z
    .array(
      z
        .url()
        .max(2048)
        .refine((u) => /^https?:\/\//.test(u), "must be an http(s) link (reports make it clickable)"),
    )
    .max(32)
    .default([]),
  tags: z.array(safeName).max(32).default([]),
  image: z.enum(imageNames),
  kernelArgs: z
    .array(kernelArg)
    .max(16)
    .default([])
    .describe(
      "Kernel arguments every node boots with, after the image's own; one with the same key as an image argument replaces it (systemd.unified_cgroup_hierarchy=1 boots Debian 11 into cgroup v2). Images the harness boots with its own kernel only (debian-*)",
    ),
  nodes: z
    .array(nodeSpec)
    .min(1, "needs at least one node")
    .max(64, "at most 64 nodes (each is a VM on this host; the private segment numbers them 10.200.0.11 up)"),
  kubernetes: z.union([z.literal("none"), kubernetesSpec]).default("none"),
  runtime: runtimeSpec,
  cni: cniSpec.default({ plugin: "none", podSubnet: "10.244.0.0/16" }),
  faults: z.array(faultSpec).max(32).default([]),
  steps: z.array(stepSpec).max(100).default([]),
  observe: observeSpec.default({ duration: "60s", interval: "5s", stopWhenSettled: true, probes: [] }),
  expect: expectSpec,
  matrix: matrixSpec.optional(),
});

type ScenarioShape = z.infer<typeof scenarioObject>;
type AddIssue = (message: string, path: (string | number)[]) => void;

function checkUnique(items: { name: string }[], path: string, what: string, add: AddIssue): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.name)) add(`duplicate ${what} name "${item.name}"`, [path, i, "name"]);
    seen.add(item.name);
  });
}

function checkNodeRefs(
  refs: string[] | undefined,
  known: Set<string>,
  path: (string | number)[],
  add: AddIssue,
): void {
  refs?.forEach((ref, i) => {
    if (!known.has(ref)) add(`unknown node "${ref}" (nodes: ${[...known].join(", ")})`, [...path, i]);
  });
}

/** The Kubernetes minor whose kubelet no longer has the built-in dockershim. */
const dockershimRemovedInMinor = 24;

/** Rules that span fields: roles vs kubernetes, references between nodes, steps, probes and checks. */
function crossFieldRules(s: ScenarioShape, add: AddIssue): void {
  checkUnique(s.nodes, "nodes", "node", add);
  checkUnique(s.steps, "steps", "step", add);
  checkUnique(s.observe.probes, "observe", "probe", add);
  const nodeNames = new Set(s.nodes.map((n) => n.name));
  const controlPlanes = s.nodes.filter((n) => n.role === "control-plane");
  if (s.kubernetes === "none") {
    s.nodes.forEach((n, i) => {
      if (n.role !== "standalone")
        add(`role ${n.role} needs kubernetes; runtime-only scenarios use role standalone`, [
          "nodes",
          i,
          "role",
        ]);
    });
    if (s.cni.plugin !== "none") add(`cni ${s.cni.plugin} needs kubernetes`, ["cni", "plugin"]);
  } else {
    if (controlPlanes.length === 0)
      add("a kubernetes scenario needs one node with role control-plane", ["nodes"]);
    if (controlPlanes.length > 1) {
      const second = s.nodes.indexOf(controlPlanes[1]!);
      add("only one control-plane node is supported (stacked etcd, no load balancer)", [
        "nodes",
        second,
        "role",
      ]);
    }
    const minor = Number(s.kubernetes.version.split(".")[1]);
    if (s.runtime.kind === "docker" && minor >= dockershimRemovedInMinor)
      add(
        `Kubernetes 1.${dockershimRemovedInMinor} removed the kubelet's dockershim: runtime.kind docker needs Kubernetes 1.${dockershimRemovedInMinor - 1} or older (this is ${s.kubernetes.version}); use docker-cri-dockerd`,
        ["runtime", "kind"],
      );
    s.nodes.forEach((n, i) => {
      if (n.role === "standalone")
        add("role standalone is for runtime-only scenarios (kubernetes: none)", ["nodes", i, "role"]);
    });
    if (isBridgeCni(s.cni.plugin)) {
      // The bridge CNI gives each node a /24 of the pod subnet.
      const capacity = podSubnetNodeCapacity(s.cni.podSubnet);
      const prefix = s.cni.podSubnet.split("/")[1] ?? "?";
      if (capacity === null)
        add(`the bridge CNI gives each node a /24: podSubnet must be a /8 to /24, not /${prefix}`, [
          "cni",
          "podSubnet",
        ]);
      else if (s.nodes.length > capacity)
        add(`a /${prefix} holds ${capacity} node /24s, fewer than the ${s.nodes.length} nodes`, [
          "cni",
          "podSubnet",
        ]);
    }
  }
  s.steps.forEach((step, i) => checkNodeRefs(step.nodes, nodeNames, ["steps", i, "nodes"], add));
  s.faults.forEach((fault, i) => checkNodeRefs(fault.nodes, nodeNames, ["faults", i, "nodes"], add));
  s.faults.forEach((fault, i) => {
    if (fault.kind === "cri-dockerd-no-cni" && s.runtime.kind !== "docker-cri-dockerd")
      add("fault cri-dockerd-no-cni needs runtime.kind docker-cri-dockerd", ["faults", i, "kind"]);
    if (fault.kind === "dockershim-no-cni" && (s.runtime.kind !== "docker" || s.kubernetes === "none"))
      add(
        "fault dockershim-no-cni needs kubernetes and runtime.kind docker (the kubelet's built-in dockershim)",
        ["faults", i, "kind"],
      );
    if (fault.kind === "swap-on" && s.kubernetes === "none")
      add("fault swap-on only matters to kubeadm/kubelet: it needs kubernetes", ["faults", i, "kind"]);
  });
  if (s.kernelArgs.length > 0 && !directBootImages.includes(s.image))
    add(
      `kernelArgs need an image the harness boots with its own kernel (${directBootImages.join(", ")}); ${s.image} boots its own bootloader`,
      ["kernelArgs"],
    );
  const stepNames = new Set(s.steps.map((st) => st.name));
  s.steps.forEach((st, i) => {
    if (watchableHarnessSteps.includes(st.name))
      add(`step name "${st.name}" is the harness's own step: name yours differently`, ["steps", i, "name"]);
  });
  const watchable = new Set([...stepNames, ...(s.kubernetes === "none" ? [] : watchableHarnessSteps)]);
  const probeNames = new Set(s.observe.probes.map((p) => p.name));
  s.observe.probes.forEach((probe, i) => {
    if (probe.node !== undefined && !nodeNames.has(probe.node))
      add(`unknown node "${probe.node}" (nodes: ${[...nodeNames].join(", ")})`, [
        "observe",
        "probes",
        i,
        "node",
      ]);
    if (probe.kind === "step" && !watchable.has(probe.step))
      add(`unknown step "${probe.step}" (steps: ${[...watchable].join(", ") || "none"})`, [
        "observe",
        "probes",
        i,
        "step",
      ]);
    const needsKube = ["node-condition", "pod-restarts", "events", "pod-ips", "preflight"].includes(
      probe.kind,
    );
    if (needsKube && s.kubernetes === "none")
      add(`probe kind ${probe.kind} needs kubernetes`, ["observe", "probes", i, "kind"]);
  });
  s.expect.checks.forEach((check, i) => {
    if (!probeNames.has(check.probe))
      add(`unknown probe "${check.probe}" (probes: ${[...probeNames].join(", ") || "none"})`, [
        "expect",
        "checks",
        i,
        "probe",
      ]);
  });
}

/** A whole scenario file. */
export const scenarioSchema = scenarioObject.superRefine((s, ctx) =>
  crossFieldRules(s, (message, path) => ctx.addIssue({ code: "custom", message, path })),
);

/** A validated scenario (defaults applied). */
export type Scenario = z.infer<typeof scenarioSchema>;

/** A scenario as written in a file (before defaults). */
export type ScenarioInput = z.input<typeof scenarioSchema>;

/** A node of a validated scenario. */
export type NodeSpec = z.infer<typeof nodeSpec>;
