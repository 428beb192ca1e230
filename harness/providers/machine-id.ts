// Provider-side machine names: `h-<runId>-<node>`, so every machine carries its run id and `harness cleanup` finds orphans.
import { isRunId } from "../runner/run-id.ts";

/** Prefix of every machine name the harness creates. */
export const machineIdPrefix = "h-";

/** The provider's name for a node of a run, e.g. `h-20261123-184212-3f9a1c-node1`. */
export function machineId(runId: string, node: string): string {
  return `${machineIdPrefix}${runId}-${node}`;
}

/** Splits a provider-side name back into run id and node; null for names the harness did not make. */
export function parseMachineId(id: string): { runId: string; node: string } | null {
  const match = /^h-(\d{8}-\d{6}-[0-9a-f]{6})-([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)$/.exec(id);
  if (!match?.[1] || !match[2] || !isRunId(match[1])) return null;
  return { runId: match[1], node: match[2] };
}
