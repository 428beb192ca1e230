// flannel: the release manifest by version.

/** Version the catalog uses unless a scenario pins `cni.version`. */
export const defaultFlannelVersion = "v0.25.6";

/**
 * The release's kube-flannel.yml (namespace kube-flannel, ConfigMap kube-flannel-cfg, DaemonSet kube-flannel-ds).
 * flannel publishes no checksum: the sha256 comes from artifacts.lock.json, written by `harness artifacts pin` (null here).
 */
export function flannelManifest(version: string): { url: string; sha256: string | null } {
  return {
    url: `https://github.com/flannel-io/flannel/releases/download/${version}/kube-flannel.yml`,
    sha256: flannelSha256[version] ?? null,
  };
}

/** Pinned sha256 of kube-flannel.yml, by version; for releases whose checksum is published; the others are pinned in artifacts.lock.json. */
const flannelSha256: Record<string, string> = {};
