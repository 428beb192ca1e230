// The provider interface: small and verb-named; optional capabilities are separate interfaces with type guards.
import type { MachinePlan } from "../plan/plan.ts";

/** How to reach a machine over SSH. */
export interface SshEndpoint {
  host: string;
  port: number;
  user: string;
  privateKeyPath: string;
  /** Pinned host public key (`ssh-ed25519 AAAA...`), when the provider knows it. */
  hostKey?: string;
}

/** A machine the provider created (or found) for a run. */
export interface Machine {
  /** The scenario's node name. */
  name: string;
  /** The provider's name for it; always carries the run id so `harness cleanup` can find orphans. */
  id: string;
  runId: string;
  ssh: SshEndpoint;
  privateIp: string;
}

/** A per-run SSH key pair (ed25519). */
export interface RunKeyPair {
  privateKeyPath: string;
  publicKey: string;
}

/** What every provider call gets. */
export interface ProviderContext {
  runId: string;
  /** The run's results directory; provider logs go under `<runDir>/logs/<machine>/`. */
  runDir: string;
  keyPair: RunKeyPair;
  signal?: AbortSignal;
  /** Reports progress for the timeline (machine state changes, retries). */
  report?: (event: { machine: string; state: string; detail?: string }) => void;
  /** Host-built payloads the machines' images carry (`MachinePlan.imagePayload`), prepared by the runner. */
  payloads?: ReadonlyMap<string, { dir: string; key: string }>;
}

/** Whether a provider can be used here, and why not. */
export interface Availability {
  available: boolean;
  reason: string;
}

/** A machine as listed by a provider, possibly left over by a crashed run. */
export interface MachineRecord {
  id: string;
  runId: string;
  state: string;
}

/** A VM backend: Multipass, Vagrant, plain QEMU or existing hosts over SSH. */
export interface Provider {
  readonly name: string;
  /** Whether this provider can run here, with a reason either way. */
  detect(): Promise<Availability>;
  /** Creates and boots the machines of a plan, ready for SSH. */
  create(machines: MachinePlan[], ctx: ProviderContext): Promise<Machine[]>;
  /** Machines of one run, or of every run when runId is absent. */
  list(runId?: string): Promise<MachineRecord[]>;
  /** Destroys every machine of a run; idempotent. */
  destroy(runId: string): Promise<void>;
  /** Marks a run's machines as kept (`--keep`): they outlive the harness, until `harness cleanup` removes them. */
  keep?(runId: string): Promise<void>;
  /** Copies provider-side logs (serial console, provider log) into `dir`; returns the files written. */
  collectLogs(machine: Machine, dir: string): Promise<string[]>;
}
