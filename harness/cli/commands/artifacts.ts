// `harness artifacts pin|verify`: the sha256 of artifacts that publish no checksum, measured once into
// artifacts.lock.json and committed; and a check of the cached copies against it.
import type { Command } from "commander";
import {
  defaultLockFile,
  isUnpinned,
  pinArtifacts,
  readLock,
  verifyLock,
  writeLock,
  type UnpinnedPlan,
} from "../../artifacts/artifact-lock.ts";
import { defaultCacheDir } from "../../artifacts/cache-dir.ts";
import { ExitCode } from "../../errors.ts";
import { planCell } from "../../plan/planner.ts";
import { defaultRecipes } from "../../recipes/index.ts";
import { catalogFiles, resolveCells } from "../../scenario/catalog.ts";
import type { CliState } from "../main.ts";

/** The unpinned artifacts of the named scenarios' cells (the whole catalog when none is named), one per URL. */
export async function unpinnedArtifacts(refs: string[]): Promise<{ plan: UnpinnedPlan; cells: string[] }[]> {
  const targets = refs.length > 0 ? refs : await catalogFiles();
  const byUrl = new Map<string, { plan: UnpinnedPlan; cells: string[] }>();
  for (const ref of targets) {
    const { cells } = await resolveCells(ref, { filters: [] });
    for (const cell of cells)
      for (const a of planCell(cell, defaultRecipes).artifacts.filter(isUnpinned)) {
        const entry = byUrl.get(a.url) ?? { plan: a, cells: [] };
        entry.cells.push(cell.id);
        byUrl.set(a.url, entry);
      }
  }
  return [...byUrl.values()];
}

/** Registers the command. */
export function registerArtifacts(program: Command, state: CliState): void {
  const artifacts = program
    .command("artifacts")
    .description(
      "pin artifacts that publish no checksum (artifacts.lock.json), and verify the cache against the pins",
    );
  artifacts
    .command("pin")
    .description(
      "download each artifact of the scenarios (default: the whole catalog) that publishes no checksum, and record its sha256 in the lock",
    )
    .argument("[scenarios...]", "catalog names or file paths")
    .option("--lock <file>", "the lock file", defaultLockFile)
    .action(async (refs: string[], opts: { lock: string }) => {
      const wanted = await unpinnedArtifacts(refs);
      if (wanted.length === 0) {
        process.stdout.write("nothing to pin: every artifact of these scenarios publishes its checksum\n");
        return;
      }
      const lock = await readLock(opts.lock);
      const changes = await pinArtifacts(
        wanted.map((w) => w.plan),
        lock,
        { cacheDir: defaultCacheDir() },
      );
      await writeLock(opts.lock, lock);
      for (const c of changes)
        process.stdout.write(
          c.change === "changed"
            ? `changed ${c.url}: sha256 ${c.previous ?? "?"} -> ${c.sha256} (the file at that URL is not the one pinned before)\n`
            : `${c.change} ${c.url}: sha256 ${c.sha256}\n`,
        );
      process.stdout.write(`${opts.lock}: ${Object.keys(lock.artifacts).length} pin(s); commit it\n`);
      if (changes.some((c) => c.change === "changed")) state.exitCode = ExitCode.error;
    });
  artifacts
    .command("verify")
    .description(
      "check each pinned artifact's cached copy against the lock, and name the catalog's artifacts the lock lacks",
    )
    .option("--lock <file>", "the lock file", defaultLockFile)
    .action(async (opts: { lock: string }) => {
      const lock = await readLock(opts.lock);
      const checks = await verifyLock(lock, defaultCacheDir());
      for (const c of checks)
        process.stdout.write(
          c.state === "mismatch"
            ? `MISMATCH ${c.url}: the cached file has sha256 ${c.actual ?? "?"}, the lock pins ${lock.artifacts[c.url]?.sha256 ?? "?"}\n`
            : `${c.state} ${c.url}\n`,
        );
      const missing = (await unpinnedArtifacts([])).filter((w) => lock.artifacts[w.plan.url] === undefined);
      for (const m of missing)
        process.stdout.write(
          `not pinned ${m.plan.url} (${m.cells.join(", ")}): run \`harness artifacts pin\`\n`,
        );
      if (checks.some((c) => c.state === "mismatch")) state.exitCode = ExitCode.error;
    });
}
