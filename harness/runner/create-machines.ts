// The create phase: resolve the plan's artifacts, create the machines (teardown registered first), connect to them.
import { rm } from "node:fs/promises";
import path from "node:path";
import pRetry from "p-retry";
import { describeError, isInfraError } from "../errors.ts";
import type { StepPlan } from "../plan/plan.ts";
import type { ProviderContext } from "../providers/provider.ts";
import type { RunRecord } from "../reports/run-record.ts";
import type { CellContext } from "./cell-context.ts";
import { accessCommand } from "./keep-policy.ts";
import type { RunOptions, RunnerDeps } from "./runner-deps.ts";
import type { StepJournal } from "./step-journal.ts";
import type { TeardownStack } from "./teardown-stack.ts";

/** A plan step of kind create-machines. */
export type CreateStep = Extract<StepPlan, { kind: "create-machines" }>;

/** What creation works with. */
export interface CreateEnv {
  ctx: CellContext;
  deps: RunnerDeps;
  opts: RunOptions;
  record: RunRecord;
  journal: StepJournal;
  teardowns: TeardownStack;
  /** Asked when teardown runs: keep the machines (per --keep and the verdict so far)? */
  keep: () => boolean;
  /** Collects logs (once); registered as a teardown so it also runs after a failure or an interrupt. */
  collectLogs: (signal: AbortSignal) => Promise<void>;
}

/** The outcome of a create step that threw: an abort, the infrastructure's failure, or a failure of the run's input. */
const failureOutcome = (err: unknown, signal: AbortSignal) =>
  signal.aborted ? "aborted" : isInfraError(err) ? "infra-failure" : "failed";

/** Fetches the artifacts as step create/artifacts; false when that failed (an infra-failure, or an abort). */
async function resolveArtifacts(step: CreateStep, env: CreateEnv): Promise<boolean> {
  const { ctx, deps, opts, record } = env;
  const artifacts = ctx.plan.artifacts;
  if (artifacts.length === 0) return true;
  const end = env.journal.begin(
    {
      id: "create/artifacts",
      name: "artifacts",
      phase: "create",
      description: `fetch and verify ${artifacts.length} artifact(s)`,
      timeoutMs: step.timeoutMs,
      expect: "success",
    },
    [],
  );
  try {
    ctx.artifacts = await deps.resolveArtifacts(artifacts, {
      signal: opts.signal,
      report: (e) => ctx.timeline.emit(e),
    });
  } catch (err) {
    end(failureOutcome(err, opts.signal), 1, `download failed: ${describeError(err)}`);
    return false;
  }
  for (const [key, a] of ctx.artifacts) {
    ctx.timeline.emit({
      kind: "artifact",
      key,
      resolvedVersion: a.resolvedVersion,
      sha256: a.sha256,
      path: a.path,
    });
    record.artifacts.push({ key, resolvedVersion: a.resolvedVersion, sha256: a.sha256 });
  }
  end("passed", 1);
  return true;
}

/** Builds the payloads the machines' images carry as step create/builds; null when that failed. */
async function preparePayloads(
  step: CreateStep,
  env: CreateEnv,
): Promise<Map<string, { dir: string; key: string }> | null> {
  const { ctx, deps, opts, record } = env;
  const names = [
    ...new Set(ctx.plan.machines.flatMap((m) => (m.imagePayload === null ? [] : [m.imagePayload]))),
  ];
  if (names.length === 0) return new Map();
  const end = env.journal.begin(
    {
      id: "create/builds",
      name: "builds",
      phase: "create",
      description: `build or find in the cache: ${names.join(", ")} (Kubernetes from Debian's source, its container images)`,
      timeoutMs: step.timeoutMs,
      expect: "success",
    },
    [],
  );
  if (deps.preparePayloads === undefined) {
    end("failed", 1, "this runner cannot build payloads");
    return null;
  }
  try {
    const payloads = await deps.preparePayloads(names, {
      signal: opts.signal,
      report: (line) => ctx.timeline.emit({ kind: "build", line }),
    });
    for (const [name, p] of payloads) {
      (record.builds ??= []).push({ name, key: p.key, facts: p.facts });
      ctx.timeline.emit({ kind: "build", line: `${name}: payload ${p.key}` });
    }
    end("passed", 1);
    return payloads;
  } catch (err) {
    end(failureOutcome(err, opts.signal), 1, `build failed: ${describeError(err)}`);
    return null;
  }
}

/** Registers the teardown that destroys (or keeps) the run's machines; called before anything is created. */
function registerDestroy(env: CreateEnv, machines: string[]): void {
  const { ctx, deps, record } = env;
  env.teardowns.push("destroy machines", async () => {
    if (env.keep()) {
      await deps.provider.keep?.(ctx.runId);
      for (const m of ctx.machines.values()) {
        const entry = record.machines.find((r) => r.name === m.name);
        const access = accessCommand(deps.provider, m);
        if (entry) Object.assign(entry, { kept: true, providerId: m.id, sshCommand: access });
        ctx.timeline.emit({ kind: "machine", machine: m.name, state: "kept", detail: access });
      }
      return;
    }
    await deps.provider.destroy(ctx.runId);
    for (const m of machines) ctx.timeline.emit({ kind: "machine", machine: m, state: "destroyed" });
    // The run's private key opens nothing any more; results are uploaded and attached, so it does not stay in them.
    await rm(path.join(ctx.runDir, "ssh"), { recursive: true, force: true });
  });
}

/**
 * Runs the create step: artifacts, then machines with infra retries (each attempt recorded), then connections.
 * Teardowns are registered before creation, in the order they must NOT run: destroy, close connections, collect.
 */
export async function createMachines(step: CreateStep, env: CreateEnv): Promise<void> {
  const { ctx, deps, opts } = env;
  if (!(await resolveArtifacts(step, env))) return;
  const payloads = await preparePayloads(step, env);
  if (payloads === null) return;
  const end = env.journal.begin(step, step.machines);
  const wanted = ctx.plan.machines.filter((m) => step.machines.includes(m.name));
  registerDestroy(env, step.machines);
  env.teardowns.push("close connections", async () => {
    await Promise.all([...ctx.transports.values()].map((t) => t.close().catch(() => undefined)));
  });
  env.teardowns.push("collect logs", () => env.collectLogs(AbortSignal.timeout(opts.teardownDeadlineMs)));
  const retry = {
    retries: step.retry.retries,
    minTimeout: step.retry.delayMs,
    factor: 1,
    signal: opts.signal,
  };
  let attempts = 0;
  try {
    const pctx: ProviderContext = {
      runId: ctx.runId,
      runDir: ctx.runDir,
      keyPair: await deps.makeKeyPair(path.join(ctx.runDir, "ssh")),
      signal: opts.signal,
      payloads,
      report: (e) =>
        ctx.timeline.emit({
          kind: "machine",
          machine: e.machine,
          state: e.state,
          ...(e.detail ? { detail: e.detail } : {}),
        }),
    };
    const machines = await pRetry(
      () => {
        attempts += 1;
        for (const m of wanted) ctx.timeline.emit({ kind: "machine", machine: m.name, state: "creating" });
        return deps.provider.create(wanted, pctx);
      },
      {
        ...retry,
        // A configuration error fails the same way every time: only the infrastructure's are retried.
        shouldRetry: ({ error }) => !opts.signal.aborted && isInfraError(error),
        onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
          if (opts.signal.aborted || !isInfraError(error)) return;
          ctx.timeline.emit({
            kind: "retry",
            step: step.id,
            attempt: attemptNumber,
            retriesLeft,
            error: error.message,
          });
          if (retriesLeft > 0) await deps.provider.destroy(ctx.runId).catch(() => undefined);
        },
      },
    );
    for (const m of machines) ctx.machines.set(m.name, m);
    for (const m of machines) {
      const transport = await pRetry(() => deps.connect(m, pctx), {
        ...retry,
        shouldRetry: ({ error }) => !opts.signal.aborted && isInfraError(error),
        onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
          ctx.timeline.emit({
            kind: "retry",
            step: step.id,
            node: m.name,
            attempt: attemptNumber,
            retriesLeft,
            error: `connect: ${error.message}`,
          });
        },
      });
      ctx.transports.set(m.name, transport);
      ctx.timeline.emit({ kind: "machine", machine: m.name, state: "ready", detail: transport.description });
    }
    end("passed", attempts);
  } catch (err) {
    if (opts.signal.aborted) {
      end("aborted", attempts, "interrupted");
      return;
    }
    const infra = isInfraError(err);
    ctx.timeline.emit({ kind: "error", step: step.id, message: describeError(err), infra });
    end(infra ? "infra-failure" : "failed", attempts, describeError(err));
  }
}
