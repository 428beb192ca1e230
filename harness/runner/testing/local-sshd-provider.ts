// Test-only provider: every machine is the local test sshd (harness/transport/local-sshd.ts), each reached over
// its own real SSH connection; nothing is created or destroyed. For runner tests and benchmarks of the SSH path.
import path from "node:path";
import type {
  Availability,
  Machine,
  MachineRecord,
  Provider,
  ProviderContext,
} from "../../providers/provider.ts";
import type { MachinePlan } from "../../plan/plan.ts";
import type { SshEndpoint } from "../../providers/provider.ts";
import { KnownHosts } from "../../transport/ssh-keys.ts";
import { connectSsh } from "../../transport/ssh-transport.ts";
import type { Transport } from "../../transport/transport.ts";

/** Machines that are all the same local sshd. */
export class LocalSshdProvider implements Provider {
  readonly name = "local-sshd";

  constructor(private readonly endpoint: SshEndpoint) {}

  detect(): Promise<Availability> {
    return Promise.resolve({
      available: true,
      reason: `sshd on ${this.endpoint.host}:${this.endpoint.port}`,
    });
  }

  create(machines: MachinePlan[], ctx: ProviderContext): Promise<Machine[]> {
    return Promise.resolve(
      machines.map((m) => ({
        name: m.name,
        id: `h-${ctx.runId}-${m.name}`,
        runId: ctx.runId,
        ssh: this.endpoint,
        privateIp: m.privateIp,
      })),
    );
  }

  list(): Promise<MachineRecord[]> {
    return Promise.resolve([]);
  }

  destroy(): Promise<void> {
    return Promise.resolve();
  }

  collectLogs(): Promise<string[]> {
    return Promise.resolve([]);
  }

  /** Opens a real SSH connection to the machine (the runner's `connect`). */
  connect(machine: Machine, ctx: ProviderContext): Promise<Transport> {
    return connectSsh({
      endpoint: machine.ssh,
      name: machine.name,
      knownHosts: new KnownHosts(path.join(ctx.runDir, "known_hosts")),
      connectTimeoutMs: 30_000,
    });
  }
}
