// Chooses the provider for `harness run` and how the runner reaches its machines (SSH, or local dirs in tests).
import { tmpdir } from "node:os";
import path from "node:path";
import { formatDuration } from "../plan/duration.ts";
import type { Machine, Provider, ProviderContext } from "../providers/provider.ts";
import { createProvider, providerNames } from "../providers/registry.ts";
import type { AcceleratorRequest } from "../providers/qemu/accelerator.ts";
import type { Recipe } from "../recipes/recipe.ts";
import { defaultRecipes } from "../recipes/index.ts";
import { KnownHosts } from "../transport/ssh-keys.ts";
import { connectSsh } from "../transport/ssh-transport.ts";
import type { Transport } from "../transport/transport.ts";
import { LocalDirProvider } from "./testing/local-dir-provider.ts";
import { LocalDirTransport } from "./testing/local-dir-transport.ts";

/** Set to 1 (by the harness's own tests) to enable the test-only `local-dir` provider. */
export const testProvidersEnvName = "HARNESS_TEST_PROVIDERS";

/**
 * Providers `harness run` accepts: the real ones, plus `local-dir` when HARNESS_TEST_PROVIDERS=1 (test-only: its
 * machines are host directories and its scripts run on this host, so it is never offered to users).
 */
export const runProviderNames: readonly string[] =
  process.env[testProvidersEnvName] === "1" ? [...providerNames, "local-dir"] : [...providerNames];

/** Where `--provider local-dir` puts its machine directories. */
export function localDirMachinesRoot(env: NodeJS.ProcessEnv = process.env): string {
  return env.HARNESS_LOCAL_DIR_MACHINES ?? path.join(tmpdir(), "harness-local-dir-machines");
}

/** The provider and what goes with it. */
export interface ProviderSetup {
  provider: Provider;
  connect(machine: Machine, ctx: ProviderContext): Promise<Transport>;
  /** Recipes rendering the plan; none for local-dir, whose "machines" are the host itself. */
  recipes: readonly Recipe[];
  /** Whether node fingerprints make sense (not on local-dir, whose facts would be the host's). */
  fingerprint: boolean;
}

/** Opens the run's SSH connection to a machine, trusting the key the provider pinned (or the first one seen). */
export async function connectMachine(machine: Machine, ctx: ProviderContext): Promise<Transport> {
  return connectSsh({
    endpoint: machine.ssh,
    name: machine.name,
    knownHosts: new KnownHosts(path.join(ctx.runDir, "known_hosts")),
    connectTimeoutMs: 120_000,
    onReconnect: (r) =>
      ctx.report?.({
        machine: r.machine,
        state: "reconnected",
        detail: `SSH connection open again after ${formatDuration(r.downMs)} (lost: ${r.reason}); the commands in flight when it was lost failed`,
      }),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
}

/** Sets up the named provider. */
export function providerSetup(
  name: string,
  settings: { accel?: AcceleratorRequest; hostsFile?: string },
): ProviderSetup {
  if (name === "local-dir") {
    const provider = new LocalDirProvider(localDirMachinesRoot());
    return {
      provider,
      connect: (m) => Promise.resolve(new LocalDirTransport(provider.dirOf(m.runId, m.name), m.name)),
      recipes: [],
      fingerprint: false,
    };
  }
  return {
    provider: createProvider(name, settings),
    connect: connectMachine,
    recipes: defaultRecipes,
    fingerprint: true,
  };
}
