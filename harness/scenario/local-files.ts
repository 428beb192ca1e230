// `from: file` sources: where each file is on the host, and which of them are missing or outside the scenario's
// folder (validate errors).
import { realpath, stat } from "node:fs/promises";
import { posix } from "node:path";
import type { FieldProblem } from "./zod-issues.ts";
import type { Scenario } from "./schema.ts";

/** Where a `from: file` path is on the host: relative to the scenario's folder, or absolute as written. */
export function localFileHostPath(scenarioFile: string, filePath: string): string {
  return filePath.startsWith("/")
    ? posix.normalize(filePath)
    : posix.normalize(posix.join(posix.dirname(scenarioFile), filePath));
}

/** Where the system keeps apt keyrings: a keyring there is read without --allow-host-files. */
const systemKeyringFolders = ["/usr/share/keyrings", "/etc/apt/keyrings"];

/** A host file the scenario names: a `from: file` source, or the keyring path of an inline apt repository. */
interface HostFile {
  at: (string | number)[];
  path: string;
  /** Folders besides the scenario's own that the file may be in without --allow-host-files. */
  alsoAllowed: string[];
}

/** Every host file the scenario's runtime names, with the field path that names it. */
function hostFiles(s: Scenario): HostFile[] {
  const out: HostFile[] = [];
  const runtime = s.runtime as Record<string, unknown>;
  for (const component of ["containerd", "runc", "docker", "criDockerd"]) {
    const source = (
      runtime[component] as
        { source?: { from: string; path?: string; repo?: string | { key: string } } } | undefined
    )?.source;
    if (source?.from === "file" && source.path !== undefined)
      out.push({ at: ["runtime", component, "source", "path"], path: source.path, alsoAllowed: [] });
    const repo = source?.from === "apt" ? source.repo : undefined;
    if (typeof repo === "object" && repo.key.startsWith("/"))
      out.push({
        at: ["runtime", component, "source", "repo", "key"],
        path: repo.key,
        alsoAllowed: systemKeyringFolders,
      });
  }
  return out;
}

/** Whether `path` is `folder` or inside it (both resolved, links followed). */
export function isInside(path: string, folder: string): boolean {
  return path === folder || path.startsWith(folder.endsWith("/") ? folder : `${folder}/`);
}

/**
 * A problem for each host file the scenario names (`from: file` sources, inline repositories' keyrings) that is
 * not a regular file the harness can read, and, unless `allowHostFiles`, for each that (links followed) lies
 * outside the scenario's folder (keyrings: and outside the system's keyring folders): a scenario file from
 * somewhere else must not make the harness read, hash or upload a host file of its choosing.
 */
export async function localFileProblems(
  scenarioFile: string,
  s: Scenario,
  options: { allowHostFiles?: boolean } = {},
): Promise<FieldProblem[]> {
  const problems: FieldProblem[] = [];
  const folder = await realpath(posix.dirname(posix.resolve(scenarioFile))).catch(() => null);
  for (const { at, path, alsoAllowed } of hostFiles(s)) {
    const host = localFileHostPath(scenarioFile, path);
    const info = await stat(host).catch(() => null);
    if (info === null || !info.isFile()) {
      problems.push({
        path: at,
        message: `${host} ${info === null ? "does not exist or cannot be read" : "is not a regular file"}: put the file there, or fix the path (relative paths start at the scenario's folder)`,
      });
      continue;
    }
    const real = await realpath(host);
    const allowed = [...(folder === null ? [] : [folder]), ...alsoAllowed];
    if (!options.allowHostFiles && !allowed.some((f) => isInside(real, f)))
      problems.push({
        path: at,
        message: `${real} is outside the scenario's folder${folder === null ? "" : ` ${folder}`}: copy the file next to the scenario, or pass --allow-host-files to let the harness read it`,
      });
  }
  return problems;
}
