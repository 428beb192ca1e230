// Remembers how an artifact plan was resolved (which file, which version), so a repeated run asks no server anything.
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { ArtifactPlan } from "../plan/plan.ts";

/** A resolved artifact as the cache records it. */
export interface ResolvedArtifact {
  /** Absolute path of the verified file on the host. */
  path: string;
  sha256: string;
  /** The package version an apt pattern resolved to; null for URLs and local files. */
  resolvedVersion: string | null;
  /** Where the file came from: its URL, or `file://` + path. */
  source: string;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** Record file of a plan: keyed by everything but the plan's `key` (two keys for the same thing share it). */
export function recordPathOf(root: string, plan: ArtifactPlan): string {
  const id = createHash("sha256")
    .update(canonical({ ...plan, key: null }))
    .digest("hex")
    .slice(0, 32);
  return path.join(root, "resolved", `${id}.json`);
}

/** The recorded resolution, or null when there is none (or it is unreadable). */
export async function readRecord(file: string): Promise<ResolvedArtifact | null> {
  try {
    const data = JSON.parse(await readFile(file, "utf8")) as Partial<ResolvedArtifact>;
    if (typeof data.path !== "string" || typeof data.sha256 !== "string" || typeof data.source !== "string")
      return null;
    return {
      path: data.path,
      sha256: data.sha256,
      resolvedVersion: typeof data.resolvedVersion === "string" ? data.resolvedVersion : null,
      source: data.source,
    };
  } catch {
    return null;
  }
}

/** Writes a record atomically. */
export async function writeRecord(file: string, resolved: ResolvedArtifact): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(`${file}.tmp`, `${JSON.stringify(resolved, null, 2)}\n`);
  await rename(`${file}.tmp`, file);
}
