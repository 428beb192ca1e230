// Fetches a build's pinned inputs through the artifact cache and holds each to the sha256 its recipe pins.
import type { ArtifactEvent } from "../artifacts/artifact-events.ts";
import { resolveArtifacts, type ResolvedArtifact } from "../artifacts/resolve-artifacts.ts";
import { ExitCode, HarnessError } from "../errors.ts";
import type { PinnedInput } from "./kubernetes-recipe.ts";

/** Where a fetch reports and what stops it. */
export interface PinnedFetchOptions {
  cacheDir: string;
  report?: (line: string) => void;
  signal?: AbortSignal;
}

function describe(e: ArtifactEvent): string | null {
  switch (e.kind) {
    case "download-start":
      return `${e.key}: downloading ${e.url}`;
    case "download-done":
      return `${e.key}: ${(e.bytes / 1048576).toFixed(1)} MiB in ${(e.durationMs / 1000).toFixed(1)} s`;
    case "download-attempt-failed":
      return `${e.key}: attempt ${e.attempt} failed: ${e.error}`;
    case "index-verified":
      return `${e.key}: ${e.url} signature verified with ${e.keyring}`;
    case "cache-corrupt":
      return `${e.key}: cached ${e.path} is corrupt; fetching it again`;
    default:
      return null;
  }
}

/** Resolves every input (signed index, then sha256) and checks it against its pin; `recipeFile` is named in the error. */
export async function fetchPinnedInputs(
  pinned: readonly PinnedInput[],
  recipeFile: string,
  options: PinnedFetchOptions,
): Promise<ResolvedArtifact[]> {
  const report = options.report ?? (() => {});
  const resolved = await resolveArtifacts(
    pinned.map((p) => p.plan),
    {
      cacheDir: options.cacheDir,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      onEvent: (e) => {
        const line = describe(e);
        if (line !== null) report(line);
      },
    },
  );
  return pinned.map((p) => {
    const r = resolved[p.plan.key];
    if (r === undefined) throw new Error(`artifact ${p.plan.key} was not resolved`);
    if (r.sha256 !== p.sha256)
      throw new HarnessError(
        "BUILD_INPUT_CHANGED",
        `${p.plan.key} resolved to ${r.source} with sha256 ${r.sha256}, but the build recipe pins ${p.sha256}`,
        {
          hint: `the archive now serves different bytes under that version: check the change, then update the pin in ${recipeFile}`,
          exitCode: ExitCode.infra,
        },
      );
    return r;
  });
}
