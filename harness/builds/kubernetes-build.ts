// Kubernetes built on the host from Debian's signed archive, cached by a recipe hash; a warm call builds nothing.
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { processExists, withFileLock } from "../artifacts/file-lock.ts";
import type { ResolvedArtifact } from "../artifacts/resolve-artifacts.ts";
import { ExitCode, HarnessError } from "../errors.ts";
import { outputTail, runTool } from "../providers/run-tool.ts";
import { buildStatus, hashFiles, writeBuildRecord, type BuildStatus } from "./build-record.ts";
import { kubernetesBinaries, type KubernetesBuildRecipe } from "./kubernetes-recipe.ts";
import { fetchPinnedInputs } from "./pinned-inputs.ts";
import { extractToolchain } from "./toolchain.ts";

const scriptsDir = fileURLToPath(new URL("../../images/kubernetes/", import.meta.url));
const buildScript = path.join(scriptsDir, "build-kubernetes.sh");
const crictlSource = path.join(scriptsDir, "crictl", "main.go");

/** Where builds live and how they report. */
export interface BuildOptions {
  /** The harness cache root (builds go to `<cacheDir>/builds`). */
  cacheDir: string;
  report?: (line: string) => void;
  signal?: AbortSignal;
  lockWaitMs?: number;
}

/** A finished build: its folder and the path of each binary. */
export interface KubernetesBuild {
  recipe: KubernetesBuildRecipe;
  dir: string;
  key: string;
  binaries: Record<(typeof kubernetesBinaries)[number], string>;
}

/** Hash of everything the build's output depends on: the pinned inputs, the stamps, the build script and crictl. */
export async function kubernetesRecipeHash(recipe: KubernetesBuildRecipe): Promise<string> {
  const hash = createHash("sha256");
  hash.update(
    JSON.stringify({
      version: recipe.version,
      gitCommit: recipe.gitCommit,
      buildDate: recipe.buildDate,
      source: recipe.source.sha256,
      toolchain: recipe.toolchain.map((t) => t.sha256),
      goroot: recipe.goroot,
    }),
  );
  hash.update(await readFile(buildScript));
  hash.update(await readFile(crictlSource));
  return hash.digest("hex").slice(0, 16);
}

/** The cache folder of a recipe's build. */
export async function kubernetesBuildDir(recipe: KubernetesBuildRecipe, cacheDir: string): Promise<string> {
  return path.join(cacheDir, "builds", `kubernetes-${recipe.version}`, await kubernetesRecipeHash(recipe));
}

/** Whether the build is in the cache and intact (`quick`: files present, not hashed). */
export async function kubernetesBuildStatus(
  recipe: KubernetesBuildRecipe,
  cacheDir: string,
  quick = false,
): Promise<BuildStatus> {
  return buildStatus(await kubernetesBuildDir(recipe, cacheDir), quick);
}

/** Fetches the pinned inputs and checks each one's sha256 against the recipe's pin. */
async function fetchInputs(
  recipe: KubernetesBuildRecipe,
  options: BuildOptions,
): Promise<{ source: ResolvedArtifact; toolchain: ResolvedArtifact[] }> {
  const [source, ...toolchain] = await fetchPinnedInputs(
    [recipe.source, ...recipe.toolchain],
    "harness/builds/kubernetes-recipe.ts",
    options,
  );
  if (source === undefined) throw new Error("the source input was not resolved");
  return { source, toolchain };
}

/** Returns the build, building it first when it is missing or corrupt (a corrupt entry is rebuilt, never used). */
export async function ensureKubernetesBuild(
  recipe: KubernetesBuildRecipe,
  options: BuildOptions,
): Promise<KubernetesBuild> {
  const report = options.report ?? (() => {});
  const dir = await kubernetesBuildDir(recipe, options.cacheDir);
  const key = path.basename(dir);
  let status = await buildStatus(dir, false);
  if (status.state !== "ready") {
    if (status.state === "corrupt")
      report(`kubernetes ${recipe.version}: cache entry ${dir} is corrupt (${status.detail}); rebuilding`);
    await withFileLock(
      `${dir}.lock`,
      { waitMs: options.lockWaitMs ?? 90 * 60_000, report, what: `building ${dir}` },
      async () => {
        if ((await buildStatus(dir, false)).state === "ready") return;
        await build(recipe, dir, key, options);
      },
    );
    status = await buildStatus(dir, false);
    if (status.state !== "ready")
      throw new HarnessError(
        "BUILD_INCOMPLETE",
        `the build in ${dir} is ${status.state} right after building: ${status.detail}`,
        {
          hint: `remove ${dir} and build again with \`harness builds build kubernetes\``,
          exitCode: ExitCode.infra,
        },
      );
  } else {
    report(`kubernetes ${recipe.version}: cached build ${key} (${status.detail})`);
  }
  return buildIn(recipe, dir);
}

function buildIn(recipe: KubernetesBuildRecipe, dir: string): KubernetesBuild {
  const binaries = Object.fromEntries(
    kubernetesBinaries.map((b) => [b, path.join(dir, "bin", b)]),
  ) as KubernetesBuild["binaries"];
  return { recipe, dir, key: path.basename(dir), binaries };
}

/** The build as it is in the cache, without checking it (for listing what depends on it); null when absent. */
export async function cachedKubernetesBuild(
  recipe: KubernetesBuildRecipe,
  cacheDir: string,
): Promise<KubernetesBuild | null> {
  const status = await kubernetesBuildStatus(recipe, cacheDir, true);
  return status.state === "ready" ? buildIn(recipe, status.dir) : null;
}

/** Removes `<dir>.build-<pid>` folders of builds whose process is gone (interrupted by SIGKILL or a crash). */
async function removeAbandonedBuilds(dir: string): Promise<void> {
  const prefix = `${path.basename(dir)}.build-`;
  for (const name of await readdir(path.dirname(dir)).catch(() => [] as string[])) {
    if (!name.startsWith(prefix)) continue;
    if (!processExists(Number(name.slice(prefix.length))))
      await rm(path.join(path.dirname(dir), name), { recursive: true, force: true });
  }
}

async function build(
  recipe: KubernetesBuildRecipe,
  dir: string,
  key: string,
  options: BuildOptions,
): Promise<void> {
  const report = options.report ?? (() => {});
  const started = Date.now();
  await removeAbandonedBuilds(dir);
  const inputs = await fetchInputs(recipe, options);
  const fetchedMs = Date.now() - started;
  const goroot = await extractToolchain(
    inputs.toolchain.map((t) => t.path),
    path.join(options.cacheDir, "builds", "toolchains"),
    recipe.goroot,
  );
  const tmp = `${dir}.build-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  const log = `${dir}.build.log`;
  report(
    `kubernetes ${recipe.version}: building from ${path.basename(inputs.source.path)} with ${goroot}; log: ${log}`,
  );
  let text = "";
  const r = await runTool(buildScript, [inputs.source.path, goroot, tmp], {
    timeoutMs: 90 * 60_000,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    env: {
      PATH: process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin",
      HOME: process.env.HOME ?? "/root",
      GOCACHE: path.join(options.cacheDir, "builds", "gocache"),
      CRICTL_SOURCE: crictlSource,
      GIT_VERSION: recipe.version,
      GIT_COMMIT: recipe.gitCommit,
      BUILD_DATE: recipe.buildDate,
    },
    onOutput: (chunk) => {
      text += chunk;
      for (const line of chunk.split("\n")) if (line.startsWith("[build-kubernetes")) report(line);
    },
  });
  await mkdir(path.dirname(log), { recursive: true });
  await writeFile(log, text);
  if (r.missing !== undefined || r.exitCode !== 0) {
    await rm(tmp, { recursive: true, force: true });
    const why =
      r.missing ??
      (r.timedOut
        ? "timed out after 90 min"
        : r.exitCode === null
          ? "interrupted"
          : outputTail(r.stderr || r.stdout, 8));
    throw new HarnessError(
      "KUBERNETES_BUILD_FAILED",
      `building Kubernetes ${recipe.version} failed: ${why}`,
      {
        hint: `read ${log}; the build needs make, gcc (static libc), rsync and ~4 GB of disk`,
        exitCode: ExitCode.infra,
      },
    );
  }
  const files = kubernetesBinaries.map((b) => `bin/${b}`);
  await writeBuildRecord(tmp, {
    what: `kubernetes ${recipe.version}`,
    key,
    inputs: Object.fromEntries(
      [inputs.source, ...inputs.toolchain].map((a, i) => [
        i === 0 ? "source" : `toolchain-${i}`,
        { source: a.source, sha256: a.sha256, version: a.resolvedVersion },
      ]),
    ),
    files: await hashFiles(tmp, files),
    seconds: { fetch: Math.round(fetchedMs / 1000), total: Math.round((Date.now() - started) / 1000) },
    createdAt: new Date().toISOString(),
  });
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
  report(`kubernetes ${recipe.version}: built in ${Math.round((Date.now() - started) / 1000)} s: ${dir}`);
}
