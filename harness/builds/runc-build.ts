// runc built on the host from Debian's archive (images/runc/build-runc.sh), cached by a recipe hash; a warm call
// builds nothing. The build is checked for what the recipe says it is: its version, and whether it reads the
// seccomp export pipe (the runc PR #2871 fix), from the fix's error string in the binary.
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { withFileLock } from "../artifacts/file-lock.ts";
import { ExitCode, HarnessError } from "../errors.ts";
import { outputTail, runTool } from "../providers/run-tool.ts";
import { buildStatus, hashFiles, writeBuildRecord, type BuildStatus } from "./build-record.ts";
import type { BuildOptions } from "./kubernetes-build.ts";
import { fetchPinnedInputs } from "./pinned-inputs.ts";
import type { RuncBuildRecipe } from "./runc-build-recipe.ts";

const buildScript = fileURLToPath(new URL("../../images/runc/build-runc.sh", import.meta.url));

/** The string runc's seccomp export code has exactly when it reads the pipe while writing it (PR #2871). */
const seccompPipeFixMarker = "reading from ExportBPF pipe";

/** Files a finished runc build holds. */
const buildFiles = ["bin/runc", "version.txt", "root-packages.txt"];

/** A finished build. */
export interface RuncBuild {
  recipe: RuncBuildRecipe;
  dir: string;
  key: string;
  binary: string;
  sha256: string;
}

async function scriptHash(): Promise<string> {
  return createHash("sha256")
    .update(await readFile(buildScript))
    .digest("hex");
}

/** Hash of what a build's output depends on: the recipe's pins and stamps, and the build script. */
export async function runcRecipeHash(recipe: RuncBuildRecipe): Promise<string> {
  return createHash("sha256")
    .update(
      JSON.stringify({
        version: recipe.version,
        commit: recipe.commit,
        suite: recipe.repository.suite,
        tree: recipe.sourceTree.sha256,
        patch:
          recipe.reversePatch === null
            ? null
            : [recipe.reversePatch.tarball.sha256, recipe.reversePatch.path],
      }),
    )
    .update(await scriptHash())
    .digest("hex")
    .slice(0, 16);
}

/** The cache folder of a recipe's build. */
export async function runcBuildDir(recipe: RuncBuildRecipe, cacheDir: string): Promise<string> {
  return path.join(cacheDir, "builds", "runc", recipe.name, await runcRecipeHash(recipe));
}

/** The build root a recipe builds in: one per suite and source tree, shared by the builds of the same tree. */
async function buildRootDir(recipe: RuncBuildRecipe, cacheDir: string): Promise<string> {
  const key = createHash("sha256")
    .update(
      `${recipe.repository.suite} ${recipe.repository.url} ${recipe.sourceTree.sha256} ${await scriptHash()}`,
    )
    .digest("hex")
    .slice(0, 16);
  return path.join(cacheDir, "builds", "roots", `${recipe.repository.suite}-${key}`);
}

/** Whether the build is in the cache and intact (`quick`: files present, not hashed). */
export async function runcBuildStatus(
  recipe: RuncBuildRecipe,
  cacheDir: string,
  quick = false,
): Promise<BuildStatus> {
  return buildStatus(await runcBuildDir(recipe, cacheDir), quick);
}

/** The build an entry's (already computed) status describes; throws unless the entry is ready. */
function built(recipe: RuncBuildRecipe, status: BuildStatus): RuncBuild {
  const dir = status.dir;
  const sha256 = status.record?.files["bin/runc"];
  if (status.state !== "ready" || sha256 === undefined)
    throw new HarnessError(
      "BUILD_INCOMPLETE",
      `the runc build in ${dir} is ${status.state}: ${status.detail}`,
      { hint: `remove ${dir} and run again (or \`harness builds build runc\`)`, exitCode: ExitCode.infra },
    );
  return { recipe, dir, key: path.basename(dir), binary: path.join(dir, "bin", "runc"), sha256 };
}

/** Returns the build, building it first when it is missing or corrupt (a corrupt entry is rebuilt, never used). */
export async function ensureRuncBuild(recipe: RuncBuildRecipe, options: BuildOptions): Promise<RuncBuild> {
  const report = options.report ?? (() => {});
  const dir = await runcBuildDir(recipe, options.cacheDir);
  const status = await buildStatus(dir, false);
  if (status.state === "ready") {
    report(`${recipe.name}: cached build ${path.basename(dir)} (${status.detail})`);
    return built(recipe, status);
  }
  if (status.state === "corrupt")
    report(`${recipe.name}: cache entry ${dir} is corrupt (${status.detail}); rebuilding`);
  const root = await buildRootDir(recipe, options.cacheDir);
  // One lock per build root: the builds that share it must not use its /build at the same time.
  await withFileLock(
    `${root}.lock`,
    { waitMs: options.lockWaitMs ?? 30 * 60_000, report, what: `building ${recipe.name} in ${root}` },
    async () => {
      if ((await buildStatus(dir, false)).state === "ready") return;
      await build(recipe, dir, root, options);
    },
  );
  return built(recipe, await buildStatus(dir, false));
}

async function build(
  recipe: RuncBuildRecipe,
  dir: string,
  root: string,
  options: BuildOptions,
): Promise<void> {
  const report = options.report ?? (() => {});
  const started = Date.now();
  const pinned = [recipe.sourceTree, ...(recipe.reversePatch === null ? [] : [recipe.reversePatch.tarball])];
  const [tree, tarball] = await fetchPinnedInputs(pinned, "harness/builds/runc-build-recipe.ts", options);
  if (tree === undefined) throw new Error("the source tree input was not resolved");
  const fetchedMs = Date.now() - started;
  const tmp = `${dir}.build-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  await mkdir(path.dirname(root), { recursive: true });
  report(`${recipe.name}: building in ${root} (${recipe.summary})`);
  const args = [
    root,
    recipe.repository.suite,
    recipe.repository.url,
    recipe.repository.key,
    tree.path,
    tmp,
    ...(recipe.reversePatch === null || tarball === undefined
      ? []
      : [tarball.path, recipe.reversePatch.path]),
  ];
  const r = await runTool(buildScript, args, {
    timeoutMs: 30 * 60_000,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    env: {
      PATH: process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin",
      HOME: process.env.HOME ?? "/root",
      RUNC_VERSION: recipe.version,
      RUNC_COMMIT: recipe.commit,
    },
    onOutput: (chunk) => {
      for (const line of chunk.split("\n")) if (line.startsWith("[build-runc")) report(line);
    },
  });
  const fail = async (what: string): Promise<never> => {
    await rm(tmp, { recursive: true, force: true });
    throw new HarnessError("RUNC_BUILD_FAILED", `building ${recipe.name} failed: ${what}`, {
      hint: "the build needs root, debootstrap and the Debian mirror; read the [build-runc] lines above, or run `harness builds build runc` to see it alone",
      exitCode: ExitCode.infra,
    });
  };
  if (r.missing !== undefined || r.exitCode !== 0)
    await fail(r.missing ?? (r.timedOut ? "timed out after 30 min" : outputTail(r.stderr || r.stdout, 8)));
  const version = (await readFile(path.join(tmp, "version.txt"), "utf8")).split("\n")[0] ?? "";
  if (version !== `runc version ${recipe.version}`)
    await fail(`the binary reports "${version}", expected "runc version ${recipe.version}"`);
  const readsPipe = (await readFile(path.join(tmp, "bin", "runc"))).includes(seccompPipeFixMarker);
  if (readsPipe !== recipe.readsSeccompPipe)
    await fail(
      `the binary ${readsPipe ? "has" : "lacks"} the string "${seccompPipeFixMarker}", so it ${readsPipe ? "has" : "lacks"} the seccomp pipe fix (PR #2871), but the recipe says it ${recipe.readsSeccompPipe ? "has" : "lacks"} it`,
    );
  await writeBuildRecord(tmp, {
    what: `${recipe.name}: ${recipe.summary}`,
    key: path.basename(dir),
    inputs: Object.fromEntries(
      [tree, ...(tarball === undefined ? [] : [tarball])].map((a, i) => [
        i === 0 ? "source-tree" : "debian-tarball",
        { source: a.source, sha256: a.sha256, version: a.resolvedVersion },
      ]),
    ),
    files: await hashFiles(tmp, buildFiles),
    seconds: { fetch: Math.round(fetchedMs / 1000), total: Math.round((Date.now() - started) / 1000) },
    createdAt: new Date().toISOString(),
  });
  await rm(dir, { recursive: true, force: true });
  await mkdir(path.dirname(dir), { recursive: true });
  await rename(tmp, dir);
  report(`${recipe.name}: built in ${Math.round((Date.now() - started) / 1000)} s: ${dir}`);
}
