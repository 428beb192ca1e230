// What a run actually had installed, in one line per run: the versions a matrix report sets beside the verdict.
import type { RunRecord } from "./run-record.ts";

/** Facts from the nodes' fingerprints a report shows, in order, with the label each is shown under. */
const shownFacts: [fact: string, label: string][] = [
  ["os", "os"],
  ["kernel", "kernel"],
  ["cgroup", "cgroup"],
  ["containerd", "containerd"],
  ["runc", "runc"],
  // Two runc builds of one version (Debian's rc93 with and without patch 0010) differ only here.
  ["runc.commit", "runc commit"],
  ["docker", "docker"],
  ["cri-dockerd", "cri-dockerd"],
  ["kubelet", "kubelet"],
  ["cgroup-driver.containerd", "runc cgroup driver"],
  ["cgroup-driver.kubelet", "kubelet cgroup driver"],
  ["swap", "swap"],
  ["fs.pipe-user-pages-soft", "fs.pipe-user-pages-soft"],
];

/**
 * The installed versions of one run as `label value` parts, one per fact any node reported; a fact whose value
 * differs between nodes lists each node's (`containerd cp1=1.4.13, worker1=1.6.20`). Empty when no node was
 * fingerprinted (a run that ended before its machines answered).
 */
export function installedVersions(record: Pick<RunRecord, "nodes">): string[] {
  const nodes = Object.keys(record.nodes).sort();
  const parts: string[] = [];
  for (const [fact, label] of shownFacts) {
    const values = nodes.map((n) => record.nodes[n]?.facts[fact]);
    const known = new Set(values.filter((v): v is string => v !== undefined));
    if (known.size === 0) continue;
    if (known.size === 1 && values.every((v) => v !== undefined)) {
      parts.push(`${label} ${[...known][0]}`);
      continue;
    }
    parts.push(`${label} ${nodes.map((n, i) => `${n}=${values[i] ?? "?"}`).join(", ")}`);
  }
  return parts;
}
