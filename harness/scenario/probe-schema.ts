// Probes: what the runner samples on a node (or through kubectl) while a scenario is observed.
import { z } from "zod";
import { duration, regex, safeName } from "./identifiers.ts";

const base = {
  name: safeName,
  node: safeName.optional().describe("Node to sample; the control plane for cluster probes, else every node"),
};

const k8sName = z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "must be a Kubernetes name");
const selector = z
  .string()
  .regex(/^[A-Za-z0-9._/=!,()-]+( in \([A-Za-z0-9._, -]+\))?$/, "must be a label selector like app=web")
  .optional();

/** One probe, keyed by `kind`. Each sample has a value (a count, a status, a text) and evidence lines. */
export const probeSpec = z.discriminatedUnion("kind", [
  z
    .strictObject({
      ...base,
      kind: z.literal("command"),
      run: z.string().min(1).max(16_384),
      value: z.enum(["stdout", "exit-code"]).default("stdout"),
      timeout: duration.default("30s"),
    })
    .describe("A command's trimmed stdout (or exit code)"),
  z
    .strictObject({
      ...base,
      kind: z.literal("journal"),
      unit: z.string().regex(/^[A-Za-z0-9@._-]+$/),
      match: regex,
    })
    .describe("Count of `journalctl -u <unit>` lines since the run started that match a regex"),
  z
    .strictObject({ ...base, kind: z.literal("kernel-log"), match: regex })
    .describe("Count of kernel log (dmesg/audit) lines since boot that match a regex"),
  z
    .strictObject({ ...base, kind: z.literal("sysctl"), key: z.string().regex(/^[a-z0-9_.-]+$/) })
    .describe("A sysctl's value"),
  z
    .strictObject({
      ...base,
      kind: z.literal("process"),
      match: regex,
      olderThan: duration.default("0s"),
      waitChannel: z
        .string()
        .regex(/^[a-z_][a-z0-9_]{0,63}$/, "must be a kernel function name like pipe_write")
        .optional()
        .describe(
          "Count only processes with a thread sleeping in this kernel function: its /proc wchan, or the top frame of its kernel stack where wchan reads 0",
        ),
    })
    .describe(
      "Count of processes whose command line matches, alive longer than olderThan (e.g. `runc init`); evidence names each one's state and kernel wait channel",
    ),
  z
    .strictObject({
      ...base,
      kind: z.literal("node-condition"),
      condition: z
        .string()
        .regex(/^[A-Z][A-Za-z0-9]{0,62}$/, "must be a node condition type like Ready or MemoryPressure")
        .default("Ready"),
    })
    .describe("A node condition's status (True/False/Unknown); evidence is its reason and message"),
  z
    .strictObject({
      ...base,
      kind: z.literal("pod-restarts"),
      namespace: k8sName.default("kube-system"),
      selector,
    })
    .describe("Sum of container restart counts of the selected pods"),
  z
    .strictObject({
      ...base,
      kind: z.literal("events"),
      reason: z.string().regex(/^[A-Za-z]+$/),
      namespace: k8sName.optional(),
    })
    .describe("Count of Kubernetes events with a reason (all namespaces unless given)"),
  z
    .strictObject({ ...base, kind: z.literal("pod-ips"), namespace: k8sName.default("default"), selector })
    .describe("Count of pods whose IP lies outside the scenario's podSubnet"),
  z
    .strictObject({ ...base, kind: z.literal("preflight") })
    .describe("Count of `[ERROR ...]` lines kubeadm printed"),
  z
    .strictObject({ ...base, kind: z.literal("step"), step: safeName })
    .describe("A step's exit code; evidence is its output"),
]);

/** A parsed probe. */
export type ProbeSpec = z.infer<typeof probeSpec>;

/** Probe kinds. */
export type ProbeKind = ProbeSpec["kind"];
