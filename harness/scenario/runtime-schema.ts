// The container runtime stack of a scenario: containerd (+ runc), Docker Engine alone, or docker + cri-dockerd.
import { z } from "zod";
import { imageReference } from "./identifiers.ts";
import { componentSource, runcSource } from "./source-schema.ts";

const containerd = z.strictObject({
  source: componentSource,
  systemdCgroup: z
    .boolean()
    .optional()
    .describe("SystemdCgroup in the runc options table; defaults to match kubelet (true)"),
  sandboxImage: imageReference.optional().describe("Pause image for pod sandboxes"),
});

const runc = z.strictObject({
  source: runcSource,
});

const docker = z.strictObject({
  source: componentSource,
});

const criDockerd = z.strictObject({
  source: componentSource,
  networkPlugin: z
    .enum(["cni", "kubenet", "none"])
    .default("cni")
    .describe("--network-plugin; 'none' writes the flag empty, as cri-dockerd 0.2.0-0.2.3 units did"),
  podInfraContainerImage: imageReference.optional().describe("--pod-infra-container-image (the pause image)"),
});

/** Runtime stack, keyed by `kind`. */
export const runtimeSpec = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("containerd"),
    containerd,
    runc: runc.optional(),
  }),
  z
    .strictObject({
      kind: z.literal("docker"),
      docker,
      containerd: containerd.optional(),
      runc: runc.optional(),
    })
    .describe(
      "Docker Engine alone: with Kubernetes, the kubelet's built-in dockershim is the CRI (Kubernetes 1.23 and older)",
    ),
  z.strictObject({
    kind: z.literal("docker-cri-dockerd"),
    docker,
    criDockerd,
    containerd: containerd.optional(),
    runc: runc.optional(),
  }),
]);

/** A parsed runtime stack. */
export type RuntimeSpec = z.infer<typeof runtimeSpec>;
