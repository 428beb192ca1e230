// How cluster probes call kubectl on the control plane and read its JSON output.
import type { z } from "zod";
import type { ProbeOutput, ProbeSample } from "./probe-definition.ts";

/**
 * How long a cluster probe may take. Under TCG, with the control plane's guest at a load average of 16, one
 * kubectl call took 11-22 s (measured in a run's collect step); 30 s cut off every sample when four ran at once.
 */
export const clusterProbeTimeoutMs = 60_000;

/**
 * How long kubectl waits for the API server: under a cluster probe's timeout, so a slow API server gives kubectl's
 * own error as a failed sample instead of a command the harness must kill.
 */
export const kubectlRequestTimeout = "45s";

/** kubectl with the cluster admin's kubeconfig, as present on a kubeadm control plane, and a bounded wait. */
export const kubectl = `kubectl --kubeconfig /etc/kubernetes/admin.conf --request-timeout=${kubectlRequestTimeout}`;

/** A parsed kubectl JSON document, or the failed sample to report instead. */
export type KubectlReading<T> =
  { ok: true; value: T } | { ok: false; sample: Pick<ProbeSample, "value" | "evidence"> };

/** Reads kubectl's `-o json` output against a schema; a failed command or an unexpected shape gives a null sample. */
export function readKubectlJson<T>(out: ProbeOutput, schema: z.ZodType<T>): KubectlReading<T> {
  if (out.exitCode !== 0) {
    const detail = out.stderr.trim().split("\n").slice(-5);
    return { ok: false, sample: { value: null, evidence: [`kubectl exited ${out.exitCode}`, ...detail] } };
  }
  let json: unknown;
  try {
    json = JSON.parse(out.stdout);
  } catch (e) {
    return {
      ok: false,
      sample: { value: null, evidence: [`kubectl printed no JSON: ${(e as Error).message}`] },
    };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return {
      ok: false,
      sample: {
        value: null,
        evidence: [`unexpected kubectl JSON at ${first?.path.join(".") ?? ""}: ${first?.message ?? ""}`],
      },
    };
  }
  return { ok: true, value: parsed.data };
}
