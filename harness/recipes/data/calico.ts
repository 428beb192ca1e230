// Calico: the manifest install (calico.yaml, calico-node in kube-system) by version.

/** Version the catalog uses unless a scenario pins `cni.version`. */
export const defaultCalicoVersion = "v3.28.1";

/**
 * The release's manifests/calico.yaml. Calico publishes no checksum for it: the sha256 must be filled by
 * artifacts.lock.json, written by `harness artifacts pin` (null here).
 */
export function calicoManifest(version: string): { url: string; sha256: string | null } {
  return {
    url: `https://raw.githubusercontent.com/projectcalico/calico/${version}/manifests/calico.yaml`,
    sha256: calicoSha256[version] ?? null,
  };
}

/** Pinned sha256 of calico.yaml, by version; for releases whose checksum is published; the others are pinned in artifacts.lock.json. */
const calicoSha256: Record<string, string> = {};
