// The harness's own version (package.json) and the commit it runs from, recorded in every run.
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "../scenario/catalog.ts";

function readText(file: string): string | null {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return null;
  }
}

/** The repository's git directory: `.git`, or where a `.git` file (a worktree, a submodule) points. */
function gitDir(root: string): string | null {
  const dotGit = path.join(root, ".git");
  try {
    if (statSync(dotGit).isDirectory()) return dotGit;
  } catch {
    return null;
  }
  const pointer = /^gitdir: (.+)$/m.exec(readText(dotGit) ?? "");
  return pointer?.[1] ? path.resolve(root, pointer[1].trim()) : null;
}

/**
 * The commit HEAD points at, read from the git directory's files (no git process): a detached HEAD's hash, or
 * the branch's loose ref, else its line in packed-refs. Null outside a git checkout.
 */
export function headCommit(root: string): string | null {
  const dir = gitDir(root);
  if (dir === null) return null;
  const head = (readText(path.join(dir, "HEAD")) ?? "").trim();
  const hash = /^[0-9a-f]{40}$/;
  if (hash.test(head)) return head;
  const ref = /^ref: (refs\/[A-Za-z0-9._/-]+)$/.exec(head)?.[1];
  if (ref === undefined) return null;
  // A worktree keeps its HEAD in its own directory and its refs in the common one.
  const common = (readText(path.join(dir, "commondir")) ?? "").trim();
  const refsDir = common ? path.resolve(dir, common) : dir;
  const loose = (readText(path.join(refsDir, ref)) ?? "").trim();
  if (hash.test(loose)) return loose;
  for (const line of (readText(path.join(refsDir, "packed-refs")) ?? "").split("\n")) {
    const [sha, name] = line.split(" ");
    if (name === ref && sha !== undefined && hash.test(sha)) return sha;
  }
  return null;
}

/**
 * `version` from the repository's package.json with the commit as build metadata (`0.1.0+9f87db1c2a4e`), so a
 * run names the exact harness that produced it; "unknown" when package.json cannot be read.
 */
export function harnessVersion(root = repoRoot): string {
  let version = "unknown";
  try {
    const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { version?: string };
    version = pkg.version ?? "unknown";
  } catch {
    return "unknown";
  }
  const commit = headCommit(root);
  return commit === null ? version : `${version}+${commit.slice(0, 12)}`;
}
