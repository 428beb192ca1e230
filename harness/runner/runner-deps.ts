// What the runner needs from the outside world, injected so tests can run it on local directories.
import type { ArtifactPlan } from "../plan/plan.ts";
import type { ProbeSample } from "../probes/probe-definition.ts";
import type { CheckSpec } from "../scenario/check-schema.ts";
import type { CheckResultRecord, UnstampedEvent } from "../timeline/events.ts";
import type { Machine, Provider, ProviderContext } from "../providers/provider.ts";
import type { Clock } from "../timeline/clock.ts";
import type { TimelineListener } from "../timeline/timeline.ts";
import type { Transport } from "../transport/transport.ts";

/** An artifact fetched into the host cache, ready to upload. */
export interface ResolvedArtifact {
  path: string;
  sha256: string;
  resolvedVersion: string;
}

/** Fetches (or finds in the cache) every artifact of a plan, verified; throws on a failed download. */
export type ArtifactResolver = (
  artifacts: ArtifactPlan[],
  options: { signal: AbortSignal; report: (event: UnstampedEvent) => void },
) => Promise<Map<string, ResolvedArtifact>>;

/** Builds (or finds in the cache) the payloads the plan's images carry, by name; progress lines go to `report`. */
export type PayloadPreparer = (
  names: string[],
  options: { signal: AbortSignal; report: (line: string) => void },
) => Promise<Map<string, { dir: string; key: string; facts: Record<string, string> }>>;

/** Reads a node's environment: a command and a parser of its output. */
export interface FingerprintReader {
  /** Bash script run as root on the node. */
  script: string;
  /** Facts (os, kernel, runtime versions...) and the guest's clock when the command ran (ms since epoch). */
  parse(stdout: string): { facts: Record<string, string>; guestTimeMs: number | null };
}

/** Optional provider capability: a command line that reaches a kept machine (default: an ssh command). */
export interface AccessDescribing {
  accessCommand(machine: Machine): string;
}

/** True when the provider describes how to reach its machines itself. */
export function isAccessDescribing(p: Provider): p is Provider & AccessDescribing {
  return typeof (p as Partial<AccessDescribing>).accessCommand === "function";
}

/** Everything the runner uses that is not in the plan. */
export interface RunnerDeps {
  provider: Provider;
  /** Opens the command channel to a created machine (SSH for VMs). */
  connect(machine: Machine, ctx: ProviderContext): Promise<Transport>;
  resolveArtifacts: ArtifactResolver;
  /** Prepares host-built image payloads; absent where no plan needs one (tests on local directories). */
  preparePayloads?: PayloadPreparer;
  fingerprint: FingerprintReader | null;
  evaluateChecks: ChecksEvaluator;
  clock: Clock;
  /** Creates the run's SSH key pair in a directory. */
  makeKeyPair(dir: string): Promise<ProviderContext["keyPair"]>;
  harnessVersion: string;
}

/** How a run treats its machines at the end. */
export type KeepPolicy = "never" | "on-failure" | "always";

/** Options of one run. */
export interface RunOptions {
  resultsDir: string;
  keep: KeepPolicy;
  repetition: number;
  /** Aborts the run (SIGINT/SIGTERM); teardown still runs. */
  signal: AbortSignal;
  /** Deadline of each teardown (destroy, log collection), ms. */
  teardownDeadlineMs: number;
  /** Live listeners of this run's timeline (console progress). */
  listeners: TimelineListener[];
  /** Fixed run id (tests); a new one otherwise. */
  runId?: string;
}

/** The checks' results over the samples so far, and whether more samples could still change them. */
export interface ChecksEvaluation {
  results: CheckResultRecord[];
  settled: boolean;
  /** The verdict the checks give (all hold: the expected one, else its opposite) and its evidence lines. */
  verdict: "reproduced" | "not-reproduced" | "healthy" | "unhealthy";
  evidence: string[];
}

/** Evaluates checks over samples; `final` is true once observation is over (undecided checks then fail). */
export type ChecksEvaluator = (
  expect: "reproduced" | "healthy",
  checks: CheckSpec[],
  samples: ProbeSample[],
  observeStartedAt: number,
  final: boolean,
) => ChecksEvaluation;
