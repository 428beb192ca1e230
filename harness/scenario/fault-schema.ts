// Named, typed fault injections: the deliberate misconfigurations that reproduce a bug.
import { z } from "zod";
import { safeName, size } from "./identifiers.ts";
import { runcSource } from "./source-schema.ts";

const nodes = z.array(safeName).optional().describe("Nodes the fault applies to; all nodes when absent");

/** One fault, keyed by `kind`. */
export const faultSpec = z.discriminatedUnion("kind", [
  z
    .strictObject({ kind: z.literal("cgroupfs-driver"), nodes })
    .describe("containerd's runc left on cgroupfs (SystemdCgroup=false) while kubelet uses systemd"),
  z
    .strictObject({ kind: z.literal("containerd-cri-disabled"), nodes })
    .describe('containerd.io\'s packaged config: disabled_plugins = ["cri"]'),
  z
    .strictObject({ kind: z.literal("cri-dockerd-no-cni"), nodes })
    .describe("cri-dockerd started without --network-plugin=cni"),
  z
    .strictObject({ kind: z.literal("swap-on"), size: size.default("1G"), nodes })
    .describe("A swap file left active when kubeadm runs"),
  z
    .strictObject({
      kind: z.literal("pipe-user-pages-soft"),
      value: z.int().min(0).max(1_048_576),
      nodes,
    })
    .describe("fs.pipe-user-pages-soft set to a value"),
  z
    .strictObject({ kind: z.literal("runc-override"), source: runcSource, nodes })
    .describe("containerd's runc BinaryName pointed at another runc binary"),
  z
    .strictObject({
      kind: z.literal("apparmor-profile"),
      action: z.enum(["reload", "remove"]),
      profile: z.string().regex(/^[A-Za-z0-9._/-]+$/, "must be an AppArmor profile name"),
      nodes,
    })
    .describe("Reload or remove a loaded AppArmor profile"),
]);

/** A parsed fault. */
export type FaultSpec = z.infer<typeof faultSpec>;

/** Fault kinds, for error messages and docs. */
export type FaultKind = FaultSpec["kind"];
