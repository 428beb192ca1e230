// Adapts harness/artifacts' resolveArtifacts and the host runc builds to the runner: cache hits, downloads, failed
// attempts and build progress land in the timeline.
import type { ArtifactEvent } from "../artifacts/artifact-events.ts";
import { defaultLockFile, readLock } from "../artifacts/artifact-lock.ts";
import { defaultCacheDir } from "../artifacts/cache-dir.ts";
import { resolveArtifacts } from "../artifacts/resolve-artifacts.ts";
import { ensureRuncBuild } from "../builds/runc-build.ts";
import { runcBuildRecipes } from "../builds/runc-build-recipe.ts";
import type { UnstampedEvent } from "../timeline/events.ts";
import type { ArtifactResolver, ResolvedArtifact } from "./runner-deps.ts";

/** The timeline event an artifact event becomes (the `resolved` ones are recorded by the runner itself). */
export function artifactTimelineEvent(e: ArtifactEvent): UnstampedEvent | null {
  switch (e.kind) {
    case "download-attempt-failed":
      return {
        kind: "retry",
        step: "create/artifacts",
        attempt: e.attempt,
        retriesLeft: -1,
        error: `${e.key}: ${e.url}: ${e.error}`,
      };
    case "cache-corrupt":
      return {
        kind: "error",
        step: "create/artifacts",
        message: `cached ${e.key} at ${e.path} had sha256 ${e.actual}, expected ${e.expected}: fetching it again`,
        infra: true,
      };
    case "download-done":
      return { kind: "download", key: e.key, url: e.url, bytes: e.bytes, durationMs: e.durationMs };
    default:
      return null;
  }
}

/**
 * Resolves into the default (or given) cache, with the pins of artifacts.lock.json (or `lockFile`) for artifacts
 * that publish no checksum; an apt pattern's version, else the source URL, is the version.
 * Host builds (runc from Debian's archive) are built or found in the cache; their version names the build.
 */
export function hostArtifactResolver(
  cacheDir?: string,
  lockFile: string = defaultLockFile,
): ArtifactResolver {
  return async (artifacts, { signal, report }) => {
    const fetched = artifacts.filter((a) => a.kind !== "host-build");
    const resolved = await resolveArtifacts(fetched, {
      signal,
      lock: await readLock(lockFile),
      ...(cacheDir !== undefined ? { cacheDir } : {}),
      onEvent: (e) => {
        const event = artifactTimelineEvent(e);
        if (event) report(event);
      },
    });
    const out = new Map<string, ResolvedArtifact>();
    for (const [key, a] of Object.entries(resolved))
      out.set(key, { path: a.path, sha256: a.sha256, resolvedVersion: a.resolvedVersion ?? a.source });
    for (const a of artifacts) {
      if (a.kind !== "host-build") continue;
      const recipe = runcBuildRecipes[a.build];
      const build = await ensureRuncBuild(recipe, {
        cacheDir: cacheDir ?? defaultCacheDir(),
        signal,
        report: (line) => report({ kind: "build", line }),
      });
      out.set(a.key, {
        path: build.binary,
        sha256: build.sha256,
        resolvedVersion: `${recipe.version} (${recipe.commit}, build ${build.key})`,
      });
    }
    return out;
  };
}
