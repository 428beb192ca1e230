// Test helpers for probe parsers: recorded outputs, parsed probe specs and a probe context.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadScenario } from "../../scenario/load.ts";
import { probeSpec, type ProbeSpec } from "../../scenario/probe-schema.ts";
import { scenariosDir } from "../../scenario/catalog.ts";
import type { ProbeContext, ProbeOutput } from "../probe-definition.ts";

const recordedDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../recorded");

/** The text of a recorded real output under harness/probes/recorded/ (see its README for provenance). */
export function recorded(file: string): string {
  return readFileSync(path.join(recordedDir, file), "utf8");
}

/** A probe spec of one kind, validated and defaulted by the scenario schema. */
export function specOf<K extends ProbeSpec["kind"]>(
  input: { kind: K } & Record<string, unknown>,
): Extract<ProbeSpec, { kind: K }> {
  return probeSpec.parse({ name: "p", ...input }) as Extract<ProbeSpec, { kind: K }>;
}

/** A successful command output. */
export function ok(stdout: string): ProbeOutput {
  return { stdout, stderr: "", exitCode: 0 };
}

/** A probe context over a catalog scenario (podSubnet 10.244.0.0/16). */
export async function contextOf(name = "debian13-containerd16-apparmor"): Promise<ProbeContext> {
  const { scenario } = await loadScenario(path.join(scenariosDir(), `${name}.yaml`));
  return { scenario };
}
