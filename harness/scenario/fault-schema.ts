// Named, typed fault injections: the deliberate misconfigurations that reproduce a bug.
import { z } from "zod";
import { faultPhases } from "../plan/phases.ts";
import { safeName, size } from "./identifiers.ts";
import { runcSource } from "./source-schema.ts";

const nodes = z
  .array(safeName)
  .max(64)
  .optional()
  .describe("Nodes the fault applies to; all nodes when absent");
const phase = z
  .enum(faultPhases)
  .default("configure")
  .describe(
    "Phase the fault is injected in, before that phase's custom steps: configure (the default) is before kubeadm init; workload or observe injects it into a running cluster",
  );

/** One fault, keyed by `kind`. */
export const faultSpec = z.discriminatedUnion("kind", [
  z
    .strictObject({ kind: z.literal("cgroupfs-driver"), nodes, phase })
    .describe("containerd's runc left on cgroupfs (SystemdCgroup=false) while kubelet uses systemd"),
  z
    .strictObject({ kind: z.literal("containerd-cri-disabled"), nodes, phase })
    .describe('containerd.io\'s packaged config: disabled_plugins = ["cri"]'),
  z
    .strictObject({ kind: z.literal("cri-dockerd-no-cni"), nodes, phase })
    .describe("cri-dockerd started without --network-plugin=cni"),
  z
    .strictObject({ kind: z.literal("dockershim-no-cni"), nodes, phase })
    .describe("kubelet's built-in dockershim (runtime.kind docker) without --network-plugin: no CNI"),
  z
    .strictObject({ kind: z.literal("swap-on"), size: size.default("1G"), nodes, phase })
    .describe("A swap file left active when kubeadm runs"),
  z
    .strictObject({
      kind: z.literal("pipe-user-pages-soft"),
      value: z.int().min(0).max(1_048_576),
      nodes,
      phase,
    })
    .describe("fs.pipe-user-pages-soft set to a value"),
  z
    .strictObject({ kind: z.literal("runc-override"), source: runcSource, nodes, phase })
    .describe("containerd's runc BinaryName pointed at another runc binary"),
  z
    .strictObject({
      kind: z.literal("apparmor-profile"),
      action: z.enum(["reload", "remove"]),
      profile: z.string().regex(/^[A-Za-z0-9._/-]+$/, "must be an AppArmor profile name"),
      nodes,
      phase,
    })
    .describe("Reload or remove a loaded AppArmor profile"),
  z
    .strictObject({
      kind: z.literal("sysctl"),
      key: z
        .string()
        .max(128)
        .regex(/^[a-z0-9_]+(\.[A-Za-z0-9_-]+)+$/, "must be a sysctl key like fs.pipe-user-pages-soft"),
      value: z.union([
        z.int(),
        z
          .string()
          .max(256)
          .regex(/^[A-Za-z0-9_.:,/ -]+$/, "must be a sysctl value: letters, digits, spaces and _ . : , / -"),
      ]),
      nodes,
      phase,
    })
    .describe("Any kernel parameter set to a value, now and at boot (sysctl -w and /etc/sysctl.d)"),
]);

/** A parsed fault. */
export type FaultSpec = z.infer<typeof faultSpec>;

/** Fault kinds, for error messages and docs. */
export type FaultKind = FaultSpec["kind"];
