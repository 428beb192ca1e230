// How many nodes the bridge CNI can give a /24 of a pod subnet, and which CNI choices are the bridge (shared by
// validation and the bridge recipes).

/** True for the CNI choices that are the harness's bridge network (config written by the harness or a DaemonSet). */
export function isBridgeCni(plugin: string): boolean {
  return plugin === "bridge" || plugin === "bridge-daemonset";
}

/** The number of /24s in `podSubnet` (a validated IPv4 CIDR), or null when its prefix is not /8 to /24. */
export function podSubnetNodeCapacity(podSubnet: string): number | null {
  const bits = Number(podSubnet.split("/")[1]);
  if (!Number.isInteger(bits) || bits < 8 || bits > 24) return null;
  return 2 ** (24 - bits);
}
