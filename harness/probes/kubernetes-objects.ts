// The parts of Kubernetes API objects the cluster probes read (core/v1 NodeList, PodList, EventList).
import { z } from "zod";

const metadata = z.object({ name: z.string(), namespace: z.string().optional() });

/** A node condition, as in NodeStatus.conditions. */
export const nodeCondition = z.object({
  type: z.string(),
  status: z.string(),
  reason: z.string().optional(),
  message: z.string().optional(),
  lastTransitionTime: z.string().nullish(),
});

/** `kubectl get nodes -o json`: a List of Nodes. */
export const nodeList = z.object({
  items: z.array(
    z.object({
      metadata,
      status: z.object({ conditions: z.array(nodeCondition).default([]) }).default({ conditions: [] }),
    }),
  ),
});

const containerStatus = z.object({ name: z.string(), restartCount: z.number().default(0) });

/** `kubectl get pods -o json`: a List of Pods with the fields probes read. */
export const podList = z.object({
  items: z.array(
    z.object({
      metadata: metadata.extend({ deletionTimestamp: z.string().nullish() }),
      spec: z.object({ nodeName: z.string().optional(), hostNetwork: z.boolean().optional() }).default({}),
      status: z
        .object({
          phase: z.string().optional(),
          podIP: z.string().optional(),
          podIPs: z.array(z.object({ ip: z.string() })).optional(),
          containerStatuses: z.array(containerStatus).optional(),
          initContainerStatuses: z.array(containerStatus).optional(),
        })
        .default({}),
    }),
  ),
});

/** One pod of a pod list. */
export type Pod = z.infer<typeof podList>["items"][number];

/** `kubectl get events -o json`: a List of core/v1 Events (old `count` and new `series` forms). */
export const eventList = z.object({
  items: z.array(
    z.object({
      metadata,
      reason: z.string().optional(),
      message: z.string().optional(),
      type: z.string().optional(),
      count: z.number().nullish(),
      series: z.object({ count: z.number().optional() }).nullish(),
      involvedObject: z.object({ kind: z.string().optional(), name: z.string().optional() }).default({}),
      lastTimestamp: z.string().nullish(),
      eventTime: z.string().nullish(),
      firstTimestamp: z.string().nullish(),
    }),
  ),
});
