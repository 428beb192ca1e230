// Builds the container images of a Kubernetes build as OCI archives on the host, cached by a recipe hash: each root is
// assembled from the build's binaries and Debian packages, then checked by running its programs in a chroot.
import { createHash } from "node:crypto";
import { chmod, copyFile, mkdir, readFile, rename, rm, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { withFileLock } from "../artifacts/file-lock.ts";
import { resolveArtifacts } from "../artifacts/resolve-artifacts.ts";
import { ExitCode, HarnessError } from "../errors.ts";
import { outputTail, runTool } from "../providers/run-tool.ts";
import { buildStatus, hashFiles, writeBuildRecord, type BuildStatus } from "./build-record.ts";
import type { ContainerImageRecipe } from "./container-images-recipe.ts";
import type { BuildOptions, KubernetesBuild } from "./kubernetes-build.ts";
import { writeOciArchive, type OciArchive } from "./oci-archive.ts";

/** One built image: its archive, references and digests, and what it holds. */
export interface BuiltImage extends OciArchive {
  name: string;
  contents: string;
}

/** The built set. */
export interface ContainerImageSet {
  dir: string;
  key: string;
  images: BuiltImage[];
}

const ownSources = ["container-images.ts", "container-images-recipe.ts", "oci-archive.ts"].map((f) =>
  fileURLToPath(new URL(`./${f}`, import.meta.url)),
);

/** Hash of the image set: the Kubernetes build it packs, the recipes (packages pinned by exact version), this code. */
export async function imagesRecipeHash(
  build: KubernetesBuild,
  recipes: readonly ContainerImageRecipe[],
): Promise<string> {
  const hash = createHash("sha256");
  hash.update(JSON.stringify({ kubernetes: build.key, recipes }));
  for (const f of ownSources) hash.update(await readFile(f));
  return hash.digest("hex").slice(0, 16);
}

/** The cache folder of an image set. */
export async function containerImagesDir(
  build: KubernetesBuild,
  recipes: readonly ContainerImageRecipe[],
  cacheDir: string,
): Promise<string> {
  return path.join(
    cacheDir,
    "builds",
    `images-${build.recipe.version}`,
    await imagesRecipeHash(build, recipes),
  );
}

/** Whether the image set is in the cache and intact. */
export async function containerImagesStatus(
  build: KubernetesBuild,
  recipes: readonly ContainerImageRecipe[],
  cacheDir: string,
  quick = false,
): Promise<BuildStatus> {
  return buildStatus(await containerImagesDir(build, recipes, cacheDir), quick);
}

async function must(binary: string, args: string[], what: string, hint: string): Promise<string> {
  const r = await runTool(binary, args, { timeoutMs: 5 * 60_000 });
  if (r.missing !== undefined || r.exitCode !== 0)
    throw new HarnessError(
      "IMAGE_BUILD_FAILED",
      `${what} failed: ${r.missing ?? outputTail(r.stderr || r.stdout, 6)}`,
      {
        hint,
        exitCode: ExitCode.infra,
      },
    );
  return r.stdout;
}

/** Assembles one image's root in `root`. */
async function assembleRoot(
  recipe: ContainerImageRecipe,
  build: KubernetesBuild,
  debs: Record<string, string>,
  root: string,
): Promise<void> {
  for (const dir of ["tmp", "etc", "usr/local/bin", "var/lib"])
    await mkdir(path.join(root, dir), { recursive: true });
  await chmod(path.join(root, "tmp"), 0o1777);
  for (const plan of recipe.debs) {
    const file = debs[plan.key];
    if (file === undefined) throw new Error(`deb ${plan.key} was not resolved`);
    await must(
      "dpkg-deb",
      ["-x", file, root],
      `dpkg-deb -x ${path.basename(file)}`,
      "dpkg-deb comes with dpkg",
    );
  }
  await rm(path.join(root, "usr/share/doc"), { recursive: true, force: true });
  await rm(path.join(root, "usr/share/man"), { recursive: true, force: true });
  for (const b of recipe.binaries) {
    const to = path.join(root, b.to);
    await mkdir(path.dirname(to), { recursive: true });
    await copyFile(build.binaries[b.from], to);
    await chmod(to, 0o755);
  }
  for (const [link, target] of recipe.links) {
    const at = path.join(root, link);
    await mkdir(path.dirname(at), { recursive: true });
    await rm(at, { force: true });
    await symlink(target, at);
  }
  await writeFile(
    path.join(root, "etc/passwd"),
    "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n",
  );
  await writeFile(path.join(root, "etc/group"), "root:x:0:\nnogroup:x:65534:\n");
  for (const check of recipe.checks) {
    const [program, ...args] = check;
    if (program === undefined) continue;
    await must(
      "chroot",
      [root, program, ...args],
      `${recipe.name}: \`${check.join(" ")}\` inside the image's root`,
      `the image lacks a file its program needs (a library?): add its package to harness/builds/container-images-recipe.ts; the check needs root (chroot)`,
    );
  }
}

/** Returns the image set, building it first when it is missing or corrupt. */
export async function ensureContainerImages(
  build: KubernetesBuild,
  recipes: readonly ContainerImageRecipe[],
  options: BuildOptions,
): Promise<ContainerImageSet> {
  const report = options.report ?? (() => {});
  const dir = await containerImagesDir(build, recipes, options.cacheDir);
  const key = path.basename(dir);
  if ((await buildStatus(dir, false)).state !== "ready") {
    await withFileLock(
      `${dir}.lock`,
      { waitMs: options.lockWaitMs ?? 30 * 60_000, report, what: `building ${dir}` },
      async () => {
        if ((await buildStatus(dir, false)).state === "ready") return;
        await buildImages(build, recipes, dir, key, options);
      },
    );
  } else {
    report(`images ${build.recipe.version}: cached set ${key}`);
  }
  const images = JSON.parse(await readFile(path.join(dir, "images.json"), "utf8")) as BuiltImage[];
  return { dir, key, images: images.map((i) => ({ ...i, file: path.join(dir, path.basename(i.file)) })) };
}

async function buildImages(
  build: KubernetesBuild,
  recipes: readonly ContainerImageRecipe[],
  dir: string,
  key: string,
  options: BuildOptions,
): Promise<void> {
  const report = options.report ?? (() => {});
  const started = Date.now();
  const plans = [...new Map(recipes.flatMap((r) => r.debs).map((d) => [d.key, d])).values()];
  const resolved = await resolveArtifacts(plans, {
    cacheDir: options.cacheDir,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  const debs = Object.fromEntries(Object.entries(resolved).map(([k, v]) => [k, v.path]));
  const tmp = `${dir}.build-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  try {
    const images: BuiltImage[] = [];
    for (const recipe of recipes) {
      const t0 = Date.now();
      const root = path.join(tmp, `${recipe.name}.root`);
      await assembleRoot(recipe, build, debs, root);
      const archive = await writeOciArchive(
        root,
        {
          refs: recipe.refs,
          ...(recipe.entrypoint ? { entrypoint: recipe.entrypoint } : {}),
          ...(recipe.cmd ? { cmd: recipe.cmd } : {}),
          env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
          labels: { "org.opencontainers.image.description": recipe.contents },
        },
        path.join(tmp, `${recipe.name}.tar`),
      );
      await rm(root, { recursive: true, force: true });
      images.push({ ...archive, file: `${recipe.name}.tar`, name: recipe.name, contents: recipe.contents });
      report(
        `images ${build.recipe.version}: ${recipe.refs.join(", ")} ${archive.manifestDigest.slice(0, 19)} (${(archive.layerBytes / 1048576).toFixed(1)} MiB) in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
      );
    }
    await writeFile(path.join(tmp, "images.json"), `${JSON.stringify(images, null, 2)}\n`);
    await writeBuildRecord(tmp, {
      what: `container images for kubernetes ${build.recipe.version}`,
      key,
      inputs: Object.fromEntries(
        Object.entries(resolved).map(([k, v]) => [
          k,
          { source: v.source, sha256: v.sha256, version: v.resolvedVersion },
        ]),
      ),
      files: await hashFiles(tmp, ["images.json", ...images.map((i) => i.file)]),
      seconds: { total: Math.round((Date.now() - started) / 1000) },
      createdAt: new Date().toISOString(),
    });
    await rm(dir, { recursive: true, force: true });
    await rename(tmp, dir);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}
