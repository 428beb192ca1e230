// `from: file` sources: where each file is on the host, and which of them are missing (a validate error).
import { stat } from "node:fs/promises";
import { posix } from "node:path";
import type { FieldProblem } from "./zod-issues.ts";
import type { Scenario } from "./schema.ts";

/** Where a `from: file` path is on the host: relative to the scenario's folder, or absolute as written. */
export function localFileHostPath(scenarioFile: string, filePath: string): string {
  return filePath.startsWith("/")
    ? posix.normalize(filePath)
    : posix.normalize(posix.join(posix.dirname(scenarioFile), filePath));
}

/** Every `from: file` source of the scenario's runtime, with the field path of its `path`. */
function fileSources(s: Scenario): { at: (string | number)[]; path: string }[] {
  const out: { at: (string | number)[]; path: string }[] = [];
  const runtime = s.runtime as Record<string, unknown>;
  for (const component of ["containerd", "runc", "docker", "criDockerd"]) {
    const source = (runtime[component] as { source?: { from: string; path?: string } } | undefined)?.source;
    if (source?.from === "file" && source.path !== undefined)
      out.push({ at: ["runtime", component, "source", "path"], path: source.path });
  }
  return out;
}

/** A problem for each `from: file` source whose file is not a regular file the harness can read. */
export async function missingLocalFiles(scenarioFile: string, s: Scenario): Promise<FieldProblem[]> {
  const problems: FieldProblem[] = [];
  for (const { at, path } of fileSources(s)) {
    const host = localFileHostPath(scenarioFile, path);
    const info = await stat(host).catch(() => null);
    if (info === null || !info.isFile())
      problems.push({
        path: at,
        message: `${host} ${info === null ? "does not exist or cannot be read" : "is not a regular file"}: put the file there, or fix the path (relative paths start at the scenario's folder)`,
      });
  }
  return problems;
}
