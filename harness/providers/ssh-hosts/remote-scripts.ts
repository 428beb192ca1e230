// The POSIX sh scripts the ssh-hosts provider runs on a host: claim it for a run (a lease file), read the lease, release it.
import { quote } from "../../recipes/shell.ts";

/** Where the lease lives on a host: in the SSH user's state directory, never in system paths. */
const leaseDir = `"\${XDG_STATE_HOME:-$HOME/.local/state}/k8s-node-harness"`;

/** Marks lines the harness reads back from the scripts' output. */
const marker = "harness:";

/** Claims a host for a run: writes the lease and prints the previous lease and the host's IPv4 addresses. */
export function claimScript(runId: string): string {
  return [
    `set -e`,
    `d=${leaseDir}`,
    `mkdir -p "$d"`,
    `echo "${marker}previous-run=$(cat "$d/run-id" 2>/dev/null || true)"`,
    `printf '%s\\n' ${quote(runId)} > "$d/run-id"`,
    `if command -v ip >/dev/null 2>&1; then ip -o -4 addr show | awk '{ split($4, a, "/"); print "${marker}address=" a[1] }'; else echo "${marker}no-ip-command"; fi`,
  ].join("\n");
}

/** Prints the run id of the host's lease (empty when none). */
export function readLeaseScript(): string {
  return `echo "${marker}run=$(cat ${leaseDir}/run-id 2>/dev/null || true)"`;
}

/**
 * Releases a host a run holds: runs the opt-in reset command first (if any) and keeps the lease when it fails;
 * a host leased to another run (or to none) is left alone.
 */
export function releaseScript(runId: string, reset: string | undefined): string {
  return [
    `d=${leaseDir}`,
    `if [ "$(cat "$d/run-id" 2>/dev/null || true)" != ${quote(runId)} ]; then echo "${marker}not-leased"; exit 0; fi`,
    ...(reset === undefined ? [] : [`sh -c ${quote(reset)} || exit $?`]),
    `rm -f "$d/run-id"`,
    `echo "${marker}released"`,
  ].join("\n");
}

/** What the claim script reported. */
export interface ClaimReport {
  previousRun: string;
  /** The host's IPv4 addresses, or null when it has no `ip` command to ask. */
  addresses: string[] | null;
}

/** Reads the marked lines of the claim script's output. */
export function parseClaimOutput(stdout: string): ClaimReport {
  const values = markedValues(stdout);
  return {
    previousRun: values.find(([k]) => k === "previous-run")?.[1] ?? "",
    addresses: values.some(([k]) => k === "no-ip-command")
      ? null
      : values.filter(([k]) => k === "address").map(([, v]) => v),
  };
}

/** The run id in the read-lease script's output ("" when the host has no lease). */
export function parseLeaseOutput(stdout: string): string {
  return markedValues(stdout).find(([k]) => k === "run")?.[1] ?? "";
}

function markedValues(stdout: string): [string, string][] {
  return stdout.split("\n").flatMap((line) => {
    const l = line.trim();
    if (!l.startsWith(marker)) return [];
    const body = l.slice(marker.length);
    const eq = body.indexOf("=");
    return [eq < 0 ? [body, ""] : [body.slice(0, eq), body.slice(eq + 1)]] as [string, string][];
  });
}
