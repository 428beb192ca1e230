// Test support: runner dependencies whose machines are local directories (real processes, no VMs, no key pair).
import path from "node:path";
import { systemClock } from "../../timeline/clock.ts";
import { checksEvaluator } from "../checks-evaluator.ts";
import type { RunnerDeps } from "../runner-deps.ts";
import type { LocalDirProvider } from "./local-dir-provider.ts";
import { LocalDirTransport } from "./local-dir-transport.ts";

/** RunnerDeps for a LocalDirProvider: no artifacts, no fingerprint, a placeholder key pair; `overrides` win. */
export function localDirDeps(
  provider: LocalDirProvider,
  harnessVersion: string,
  overrides: Partial<RunnerDeps> = {},
): RunnerDeps {
  return {
    provider,
    connect: (m) => Promise.resolve(new LocalDirTransport(provider.dirOf(m.runId, m.name), m.name)),
    resolveArtifacts: () => Promise.resolve(new Map()),
    fingerprint: null,
    evaluateChecks: checksEvaluator,
    clock: systemClock,
    makeKeyPair: (dir) =>
      Promise.resolve({ privateKeyPath: path.join(dir, "id_ed25519"), publicKey: "ssh-ed25519 test" }),
    harnessVersion,
    ...overrides,
  };
}
