// The record next to a finished build in the cache: its key, its inputs, and the sha256 of every file it made.
import { readFile, rename, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { sha256File } from "../artifacts/sha256-file.ts";

/** What a finished cache entry holds. */
export interface BuildRecord {
  /** What was built, e.g. `kubernetes v1.20.2`. */
  what: string;
  /** The recipe hash the entry is filed under. */
  key: string;
  /** Inputs by name: where each came from and its sha256. */
  inputs: Record<string, { source: string; sha256: string; version: string | null }>;
  /** sha256 of every output file, by path relative to the entry. */
  files: Record<string, string>;
  /** Wall time of the build, in seconds, and of its parts. */
  seconds: Record<string, number>;
  createdAt: string;
}

/** The state of a cache entry. */
export interface BuildStatus {
  state: "ready" | "missing" | "corrupt";
  dir: string;
  detail: string;
  record: BuildRecord | null;
}

const recordName = "harness-build.json";

/** Reads an entry's record, or null when there is none or it is unreadable. */
export async function readBuildRecord(dir: string): Promise<BuildRecord | null> {
  try {
    const data = JSON.parse(await readFile(path.join(dir, recordName), "utf8")) as BuildRecord;
    return typeof data.key === "string" && typeof data.files === "object" ? data : null;
  } catch {
    return null;
  }
}

/** Writes an entry's record atomically. */
export async function writeBuildRecord(dir: string, record: BuildRecord): Promise<void> {
  const file = path.join(dir, recordName);
  await writeFile(`${file}.tmp`, `${JSON.stringify(record, null, 2)}\n`);
  await rename(`${file}.tmp`, file);
}

/** sha256 of each of `files` under `dir`. */
export async function hashFiles(dir: string, files: readonly string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of files) out[f] = await sha256File(path.join(dir, f));
  return out;
}

/** Checks an entry: every recorded file present (`quick`) or also matching its sha256. */
export async function buildStatus(dir: string, quick: boolean): Promise<BuildStatus> {
  const record = await readBuildRecord(dir);
  if (record === null) return { state: "missing", dir, detail: "not built yet", record };
  for (const [file, expected] of Object.entries(record.files)) {
    const actual = quick
      ? await stat(path.join(dir, file)).then(
          () => expected,
          () => "missing",
        )
      : await sha256File(path.join(dir, file)).catch(() => "missing");
    if (actual !== expected)
      return {
        state: "corrupt",
        dir,
        detail:
          actual === "missing"
            ? `${file} is missing`
            : `${file}: sha256 ${actual.slice(0, 12)}, recorded ${expected.slice(0, 12)}`,
        record,
      };
  }
  const n = Object.keys(record.files).length;
  return {
    state: "ready",
    dir,
    detail: quick ? `${n} files present (not hashed)` : `${n} files verified`,
    record,
  };
}
