// The harness's own version (package.json), recorded in every run.
import { readFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "../scenario/catalog.ts";

/** `version` from the repository's package.json, or "unknown" when it cannot be read. */
export function harnessVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { version?: string };
    return pkg.version ?? "unknown";
  } catch {
    return "unknown";
  }
}
