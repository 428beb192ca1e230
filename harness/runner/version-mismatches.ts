// Pure: compares the versions the scenario pinned (resolved artifacts) with what the nodes' fingerprints report.
import type { ArtifactPlan } from "../plan/plan.ts";

/** The upstream part of a Debian-style version: no epoch, no `-revision`, no `~ds1` repack suffix, no `v`. */
export function upstreamVersion(version: string): string {
  const noEpoch = version.replace(/^\d+:/, "");
  const dash = noEpoch.lastIndexOf("-");
  const noRevision = dash > 0 && /^\d/.test(noEpoch.slice(dash + 1)) ? noEpoch.slice(0, dash) : noEpoch;
  return noRevision.replace(/[~+](ds|dfsg)\d*$/, "").replace(/^v/, "");
}

/** The tool a downloaded file holds, from its name: `containerd-1.6.20-linux-amd64.tar.gz` -> containerd. */
export function componentOfUrl(url: string): string | null {
  const file = url.split("/").pop() ?? "";
  const match = /^([a-z][a-z-]*?)(?:[-_.]v?\d|\.amd64|\.arm64|$)/.exec(file);
  return match?.[1] ?? null;
}

/**
 * One line per node and artifact whose installed version is not the pinned one. Debian packages compare
 * exactly (`package.<name>` from dpkg); downloads compare the tool's reported version with the upstream
 * version. Artifacts a fingerprint says nothing about (manifests, tools it does not read) are not compared.
 */
export function versionMismatches(
  artifacts: ArtifactPlan[],
  resolved: { key: string; resolvedVersion: string }[],
  nodes: Record<string, { facts: Record<string, string> }>,
): string[] {
  const lines: string[] = [];
  for (const a of artifacts) {
    const version = resolved.find((r) => r.key === a.key)?.resolvedVersion;
    if (
      version === undefined ||
      a.kind === "local-file" ||
      a.kind === "apt-source" ||
      a.kind === "host-build"
    )
      continue;
    for (const [node, { facts }] of Object.entries(nodes)) {
      if (a.kind === "apt-package") {
        const installed = facts[`package.${a.package}`];
        if (installed !== undefined && installed !== version)
          lines.push(`${node}: package ${a.package} is ${installed} but the scenario pinned ${version}`);
        continue;
      }
      const component = componentOfUrl(a.url);
      const pinned = upstreamVersion(version);
      if (component === null || !/^\d+\.\d+/.test(pinned)) continue;
      const reported = facts[component];
      if (reported !== undefined && reported !== "" && !reported.includes(pinned))
        lines.push(`${node}: ${component} reports ${reported} but the scenario pinned ${version} (${a.url})`);
    }
  }
  return lines;
}
