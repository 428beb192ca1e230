// artifacts.lock.json: the sha256 of each artifact whose project publishes no checksum (flannel's and Calico's
// manifests, cri-dockerd's tarballs), measured once by `harness artifacts pin` and committed, so every later
// download is verified against it.
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { ExitCode, HarnessError } from "../errors.ts";
import type { ArtifactPlan } from "../plan/plan.ts";
import { artifactsDir, pathForUrl } from "./cache-dir.ts";
import { downloadToPart } from "./download.ts";
import { sha256File } from "./sha256-file.ts";

/** The lock file the harness reads unless told otherwise: artifacts.lock.json at the repository's root. */
export const defaultLockFile = path.resolve(import.meta.dirname, "..", "..", "artifacts.lock.json");

/** Lock files larger than this are refused (the catalog's pins take a few kilobytes). */
const maxLockBytes = 1024 * 1024;

const lockSchema = z.strictObject({
  version: z.literal(1),
  artifacts: z.record(
    z.url(),
    z.strictObject({
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      size: z.int().min(0),
      pinnedAt: z.iso.datetime(),
    }),
  ),
});

/** The parsed lock: URL -> what was measured when it was pinned. */
export type ArtifactLock = z.infer<typeof lockSchema>;

/** An empty lock. */
export function emptyLock(): ArtifactLock {
  return { version: 1, artifacts: {} };
}

/** Reads a lock file; a missing file is an empty lock, a malformed one an error that says where. */
export async function readLock(file: string): Promise<ArtifactLock> {
  const info = await stat(file).catch(() => null);
  if (info === null) return emptyLock();
  if (!info.isFile() || info.size > maxLockBytes)
    throw new HarnessError(
      "ARTIFACT_LOCK_INVALID",
      `${file} is not a lock file (not a regular file under 1 MB)`,
      {
        hint: "remove it, or pass the right file with --lock",
        exitCode: ExitCode.usage,
      },
    );
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, "utf8"));
  } catch (err) {
    throw new HarnessError("ARTIFACT_LOCK_INVALID", `${file} is not valid JSON: ${(err as Error).message}`, {
      hint: "restore it from git (`git checkout -- artifacts.lock.json`) or pin again with `harness artifacts pin`",
      exitCode: ExitCode.usage,
    });
  }
  const parsed = lockSchema.safeParse(data);
  if (!parsed.success)
    throw new HarnessError(
      "ARTIFACT_LOCK_INVALID",
      `${file} is not an artifacts lock: ${parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join(".") || "(top)"}: ${i.message}`)
        .join("; ")}`,
      {
        hint: "restore it from git (`git checkout -- artifacts.lock.json`) or pin again with `harness artifacts pin`",
        exitCode: ExitCode.usage,
      },
    );
  return parsed.data;
}

/** Writes the lock atomically, URLs in sorted order so diffs stay small. */
export async function writeLock(file: string, lock: ArtifactLock): Promise<void> {
  const sorted: ArtifactLock = {
    version: 1,
    artifacts: Object.fromEntries(Object.entries(lock.artifacts).sort(([a], [b]) => a.localeCompare(b))),
  };
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(sorted, null, 2)}\n`);
  await rename(tmp, file);
}

/** A url artifact without a published checksum: the ones `pin` measures. */
export type UnpinnedPlan = Extract<ArtifactPlan, { kind: "url" }> & {
  checksum: Extract<Extract<ArtifactPlan, { kind: "url" }>["checksum"], { unpinned: string }>;
};

/** Whether the plan is a url artifact without a published checksum. */
export function isUnpinned(plan: ArtifactPlan): plan is UnpinnedPlan {
  return plan.kind === "url" && "unpinned" in plan.checksum;
}

/** What pinning did to one URL. */
export interface PinChange {
  url: string;
  sha256: string;
  /** `added`: new in the lock; `changed`: the file differs from the pinned one (the lock now says `sha256`). */
  change: "added" | "changed" | "unchanged";
  previous?: string;
}

/**
 * Downloads each unpinned artifact afresh into the cache, measures its sha256, and records it in `lock`
 * (which it changes in place); says for each URL whether that added, changed or confirmed a pin.
 */
export async function pinArtifacts(
  plans: UnpinnedPlan[],
  lock: ArtifactLock,
  options: { cacheDir: string; signal?: AbortSignal; retries?: number; minDelayMs?: number },
): Promise<PinChange[]> {
  const changes: PinChange[] = [];
  const urls = [...new Map(plans.map((p) => [p.url, p])).values()];
  for (const plan of urls) {
    const file = pathForUrl(path.join(artifactsDir(options.cacheDir), "files"), plan.url);
    await mkdir(path.dirname(file), { recursive: true });
    const part = `${file}.pin-part`;
    await rm(part, { force: true });
    const size = await downloadToPart(plan.url, part, {
      key: plan.key,
      onEvent: () => {},
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.retries === undefined ? {} : { retries: options.retries }),
      ...(options.minDelayMs === undefined ? {} : { minDelayMs: options.minDelayMs }),
    });
    const sha256 = await sha256File(part);
    await rename(part, file);
    const previous = lock.artifacts[plan.url]?.sha256;
    lock.artifacts[plan.url] = { sha256, size, pinnedAt: new Date().toISOString() };
    changes.push({
      url: plan.url,
      sha256,
      change: previous === undefined ? "added" : previous === sha256 ? "unchanged" : "changed",
      ...(previous !== undefined && previous !== sha256 ? { previous } : {}),
    });
  }
  return changes;
}

/** How one pinned URL's cached copy compares with the lock. */
export interface LockCheck {
  url: string;
  state: "ok" | "mismatch" | "not cached";
  actual?: string;
}

/** Checks every pinned URL's file in the cache against the lock. */
export async function verifyLock(lock: ArtifactLock, cacheDir: string): Promise<LockCheck[]> {
  const checks: LockCheck[] = [];
  for (const [url, pin] of Object.entries(lock.artifacts)) {
    const file = pathForUrl(path.join(artifactsDir(cacheDir), "files"), url);
    const info = await stat(file).catch(() => null);
    if (info === null) {
      checks.push({ url, state: "not cached" });
      continue;
    }
    const actual = await sha256File(file);
    checks.push(actual === pin.sha256 ? { url, state: "ok" } : { url, state: "mismatch", actual });
  }
  return checks;
}
