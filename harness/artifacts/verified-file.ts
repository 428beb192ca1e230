// Cache entries: a file plus `<file>.sha256` recording its sum, checked on every use and refetched when they differ.
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { ExitCode, HarnessError } from "../errors.ts";
import type { ArtifactEventSink } from "./artifact-events.ts";
import { downloadToPart, type DownloadOptions } from "./download.ts";
import { sha256File } from "./sha256-file.ts";

/**
 * The sum of a cached file when it still matches its recorded `.sha256`; null when there is no entry. A file
 * whose sum differs from the record is corrupt: it is deleted (so it is fetched again) and reported.
 */
export async function cachedSha256(
  file: string,
  key: string,
  onEvent: ArtifactEventSink,
): Promise<string | null> {
  let recorded: string;
  try {
    recorded = (await readFile(`${file}.sha256`, "utf8")).trim();
  } catch {
    return null;
  }
  let actual: string;
  try {
    actual = await sha256File(file);
  } catch {
    await rm(`${file}.sha256`, { force: true });
    return null;
  }
  if (actual === recorded) return actual;
  onEvent({ kind: "cache-corrupt", key, path: file, expected: recorded, actual });
  await rm(file, { force: true });
  await rm(`${file}.sha256`, { force: true });
  return null;
}

/**
 * Makes `file` a verified copy of `url` with sum `expected`: reuses a cache entry with that sum, else downloads
 * (resuming `<file>.part`), checks the sum and records it. A mismatch deletes the download and throws.
 */
export async function fetchVerified(
  url: string,
  file: string,
  expected: string,
  opts: DownloadOptions,
): Promise<void> {
  const want = expected.toLowerCase();
  const have = await cachedSha256(file, opts.key, opts.onEvent);
  if (have === want) return;
  await mkdir(path.dirname(file), { recursive: true });
  const part = `${file}.part`;
  await downloadToPart(url, part, opts);
  const actual = await sha256File(part);
  if (actual !== want) {
    await rm(part, { force: true });
    throw new HarnessError(
      "ARTIFACT_CHECKSUM_MISMATCH",
      `checksum mismatch for ${url}: expected sha256 ${want}, got ${actual}`,
      {
        hint: "the download was deleted; if the upstream file really changed, update the pinned checksum or version, otherwise retry (a proxy or mirror may serve a bad copy)",
        exitCode: ExitCode.infra,
      },
    );
  }
  await rename(part, file);
  await writeFile(`${file}.sha256`, `${actual}\n`);
}
