// Fetches a plan's pinned artifacts once into a checksum-verified host cache and says where each one is.
import { mkdir, readFile, rm, stat } from "node:fs/promises";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { execa } from "execa";
import { ExitCode, HarnessError } from "../errors.ts";
import type { ArtifactPlan } from "../plan/plan.ts";
import type { ArtifactEventSink } from "./artifact-events.ts";
import type { ArtifactLock } from "./artifact-lock.ts";
import { packageStanzas, parseRelease, sourceStanzas } from "./apt-index.ts";
import { keyringFor, verifiedInRelease } from "./apt-keyring.ts";
import { artifactsDir, defaultCacheDir, pathForUrl } from "./cache-dir.ts";
import { checksumFor } from "./checksum-file.ts";
import { compareDebianVersions, highestMatching } from "./debian-version.ts";
import { downloadToPart, type DownloadOptions } from "./download.ts";
import { readRecord, recordPathOf, writeRecord, type ResolvedArtifact } from "./resolution-record.ts";
import { sha256File } from "./sha256-file.ts";
import { cachedSha256, fetchVerified } from "./verified-file.ts";

export type { ResolvedArtifact } from "./resolution-record.ts";

/** Where the cache lives and how resolving reports and retries. */
export interface ResolveOptions {
  /** Cache root (artifacts go to `<cacheDir>/artifacts`); defaults to defaultCacheDir(). */
  cacheDir?: string;
  signal?: AbortSignal;
  onEvent?: ArtifactEventSink;
  /** Directory that relative local-file paths are resolved against (default: the working directory). */
  baseDir?: string;
  /** Download retries after the first attempt (default 4) and the first backoff delay (default 500 ms). */
  retries?: number;
  minDelayMs?: number;
  /** Pins of artifacts without a published checksum (artifacts.lock.json); without one, such artifacts are refused. */
  lock?: ArtifactLock;
}

type AptPlan = Extract<ArtifactPlan, { kind: "apt-package" }>;
type AptSourcePlan = Extract<ArtifactPlan, { kind: "apt-source" }>;
type UrlPlan = Extract<ArtifactPlan, { kind: "url" }>;

interface Context {
  root: string;
  options: ResolveOptions;
  onEvent: ArtifactEventSink;
  /** Decompressed Packages (or Sources) text per repository + index, shared by the artifacts of one call. */
  indexes: Map<string, Promise<string>>;
}

function downloadOptions(ctx: Context, key: string): DownloadOptions {
  return {
    key,
    signal: ctx.options.signal,
    onEvent: ctx.onEvent,
    ...(ctx.options.retries === undefined ? {} : { retries: ctx.options.retries }),
    ...(ctx.options.minDelayMs === undefined ? {} : { minDelayMs: ctx.options.minDelayMs }),
  };
}

/** Downloads a small file afresh (no cache) and returns its text. */
async function freshText(
  ctx: Context,
  key: string,
  url: string,
  dir: string,
): Promise<{ file: string; text: string }> {
  const file = pathForUrl(path.join(ctx.root, dir), url);
  await rm(file, { force: true });
  await mkdir(path.dirname(file), { recursive: true });
  await downloadToPart(url, file, downloadOptions(ctx, key));
  return { file, text: await readFile(file, "utf8") };
}

async function decompressed(file: string): Promise<string> {
  if (file.endsWith(".xz"))
    return (await execa("xz", ["-dc", file], { encoding: "utf8", maxBuffer: 1024 * 1024 * 1024 })).stdout;
  if (file.endsWith(".gz")) return gunzipSync(await readFile(file)).toString("utf8");
  return readFile(file, "utf8");
}

/**
 * The verified text of one index of a repository (`<component>/binary-<arch>/Packages` or `<component>/source/Sources`):
 * InRelease checked with gpgv against the repository's key, then the index against the SHA256 that InRelease lists.
 */
async function verifiedIndex(
  ctx: Context,
  artifactKey: string,
  repo: AptPlan["repo"],
  stem: string,
): Promise<string> {
  const base = repo.url.replace(/\/+$/, "");
  const dl = downloadOptions(ctx, artifactKey);
  const keyring = await keyringFor(repo.key, ctx.root, dl);
  const inReleaseUrl = `${base}/dists/${repo.suite}/InRelease`;
  const { file } = await freshText(ctx, artifactKey, inReleaseUrl, "apt");
  const release = parseRelease(await verifiedInRelease(file, keyring, ctx.root, inReleaseUrl));
  ctx.onEvent({ kind: "index-verified", key: artifactKey, url: inReleaseUrl, keyring });
  if (release.suite !== repo.suite && release.codename !== repo.suite)
    throw new HarnessError(
      "APT_SUITE_MISMATCH",
      `${inReleaseUrl} is signed but describes suite ${release.suite ?? "?"} (codename ${release.codename ?? "?"}), not ${repo.suite}`,
      {
        hint: "the mirror serves the wrong suite; check the repository URL and suite",
        exitCode: ExitCode.infra,
      },
    );
  const name = [`${stem}.xz`, `${stem}.gz`, stem].find((n) => release.sha256.has(n));
  const entry = name === undefined ? undefined : release.sha256.get(name);
  if (name === undefined || entry === undefined)
    throw new HarnessError("APT_INDEX_MISSING", `${inReleaseUrl} lists no ${stem}(.xz|.gz)`, {
      hint: `check that the repository has ${stem.split("/").slice(0, 2).join("/")}`,
      exitCode: ExitCode.usage,
    });
  const indexUrl = `${base}/dists/${repo.suite}/${name}`;
  const indexFile = pathForUrl(path.join(ctx.root, "apt"), indexUrl);
  await fetchVerified(indexUrl, indexFile, entry.sha256, dl);
  return decompressed(indexFile);
}

/** An index shared by every artifact of one call that reads it. */
function sharedIndex(
  ctx: Context,
  artifactKey: string,
  repo: AptPlan["repo"],
  stem: string,
): Promise<string> {
  const indexKey = JSON.stringify([repo, stem]);
  let index = ctx.indexes.get(indexKey);
  if (index === undefined) {
    index = verifiedIndex(ctx, artifactKey, repo, stem);
    ctx.indexes.set(indexKey, index);
  }
  return index;
}

/** The stanza of the highest version matching `pattern`; else an error that names the versions there are. */
function highestStanza<S extends { version: string }>(stanzas: S[], pattern: string, notFound: string): S {
  const version = highestMatching(
    stanzas.map((s) => s.version),
    pattern,
  );
  const stanza = stanzas.find((s) => s.version === version);
  if (stanza !== undefined) return stanza;
  const available = [...new Set(stanzas.map((s) => s.version))].sort(compareDebianVersions);
  throw new HarnessError(
    "APT_VERSION_NOT_FOUND",
    `${notFound}; ${available.length > 0 ? `it has ${available.join(", ")}` : "the package is not there at all"}`,
    {
      hint: "pin one of the available versions, or use another repository or suite",
      exitCode: ExitCode.usage,
    },
  );
}

async function resolveApt(ctx: Context, plan: AptPlan): Promise<ResolvedArtifact> {
  const stem = `${plan.repo.component}/binary-${plan.arch}/Packages`;
  const index = sharedIndex(ctx, plan.key, plan.repo, stem);
  const stanzas = packageStanzas(await index, plan.package).filter(
    (s) => s.architecture === plan.arch || s.architecture === "all",
  );
  const stanza = highestStanza(
    stanzas,
    plan.version,
    `${plan.package} ${plan.version} is not in ${plan.repo.url} ${plan.repo.suite}/${plan.repo.component} (${plan.arch})`,
  );
  const url = `${plan.repo.url.replace(/\/+$/, "")}/${stanza.filename}`;
  const file = pathForUrl(path.join(ctx.root, "files"), url);
  await fetchVerified(url, file, stanza.sha256, downloadOptions(ctx, plan.key));
  return { path: file, sha256: stanza.sha256.toLowerCase(), resolvedVersion: stanza.version, source: url };
}

/** One file of a source package, through the repository's verified Sources index and the sha256 it lists. */
async function resolveAptSource(ctx: Context, plan: AptSourcePlan): Promise<ResolvedArtifact> {
  const index = sharedIndex(ctx, plan.key, plan.repo, `${plan.repo.component}/source/Sources`);
  const stanzas = sourceStanzas(await index, plan.package);
  const stanza = highestStanza(
    stanzas,
    plan.version,
    `source package ${plan.package} ${plan.version} is not in ${plan.repo.url} ${plan.repo.suite}/${plan.repo.component} (source)`,
  );
  const wanted = stanza.files.filter((f) => f.name.endsWith(plan.fileSuffix));
  const file = wanted[0];
  if (file === undefined || wanted.length > 1)
    throw new HarnessError(
      "APT_SOURCE_FILE_AMBIGUOUS",
      `source package ${plan.package} ${stanza.version} has ${wanted.length} files ending in ${plan.fileSuffix} (${stanza.files.map((f) => f.name).join(", ")})`,
      { hint: "pick a suffix that names exactly one of its files", exitCode: ExitCode.usage },
    );
  const url = `${plan.repo.url.replace(/\/+$/, "")}/${stanza.directory}/${file.name}`;
  const target = pathForUrl(path.join(ctx.root, "files"), url);
  await fetchVerified(url, target, file.sha256, downloadOptions(ctx, plan.key));
  return { path: target, sha256: file.sha256, resolvedVersion: stanza.version, source: url };
}

async function resolveUrl(ctx: Context, plan: UrlPlan): Promise<ResolvedArtifact> {
  const name = decodeURIComponent(new URL(plan.url).pathname.split("/").at(-1) ?? "");
  let expected: string | null;
  if ("unpinned" in plan.checksum) {
    const pinned = ctx.options.lock?.artifacts[plan.url]?.sha256;
    if (pinned === undefined)
      throw new HarnessError(
        "ARTIFACT_UNPINNED",
        `${plan.url} (artifact ${plan.key}) has no checksum to verify it against, and artifacts.lock.json does not pin it`,
        {
          hint: plan.checksum.unpinned,
          exitCode: ExitCode.usage,
        },
      );
    expected = pinned;
  } else if ("sha256" in plan.checksum) {
    expected = plan.checksum.sha256.toLowerCase();
  } else {
    const { text } = await freshText(ctx, plan.key, plan.checksum.url, "checksums");
    expected = checksumFor(text, name);
    if (expected === null)
      throw new HarnessError(
        "ARTIFACT_CHECKSUM_UNLISTED",
        `${plan.checksum.url} lists no sha256 for ${name}`,
        {
          hint: "check the checksum file's URL: it must list the artifact's file name or hold a bare sha256",
          exitCode: ExitCode.infra,
        },
      );
  }
  const file = pathForUrl(path.join(ctx.root, "files"), plan.url);
  await fetchVerified(plan.url, file, expected, downloadOptions(ctx, plan.key));
  return { path: file, sha256: expected, resolvedVersion: null, source: plan.url };
}

async function resolveLocal(
  ctx: Context,
  plan: Extract<ArtifactPlan, { kind: "local-file" }>,
): Promise<ResolvedArtifact> {
  const file = path.resolve(ctx.options.baseDir ?? process.cwd(), plan.path);
  try {
    if (!(await stat(file)).isFile()) throw new Error("not a regular file");
  } catch (e) {
    throw new HarnessError(
      "ARTIFACT_LOCAL_MISSING",
      `local file ${file} (artifact ${plan.key}) is not readable: ${(e as Error).message}`,
      {
        hint: "fix the path in the scenario; relative paths are relative to the scenario file",
        exitCode: ExitCode.usage,
      },
    );
  }
  const sha256 = await sha256File(file);
  if (sha256 !== plan.sha256)
    throw new HarnessError(
      "ARTIFACT_LOCAL_CHECKSUM",
      `local file ${file} (artifact ${plan.key}) has sha256 ${sha256}, not the ${plan.sha256} the scenario pins`,
      {
        hint: "the file changed since the scenario pinned it: put back the pinned file, or pin this one (`sha256sum <file>` into the source's sha256)",
        exitCode: ExitCode.usage,
      },
    );
  return { path: file, sha256, resolvedVersion: null, source: `file://${file}` };
}

async function resolveOne(ctx: Context, plan: ArtifactPlan): Promise<ResolvedArtifact> {
  if (plan.kind === "local-file") return resolveLocal(ctx, plan);
  if (plan.kind === "host-build")
    throw new HarnessError(
      "ARTIFACT_NEEDS_HOST_BUILD",
      `artifact ${plan.key} is a host build (${plan.build}), which the artifact cache does not fetch`,
      {
        hint: "host builds are made by the runner (`harness run`) or by `harness builds build runc`",
        exitCode: ExitCode.infra,
      },
    );
  const recordFile = recordPathOf(ctx.root, plan);
  const known = await readRecord(recordFile);
  if (known !== null) {
    if ((await cachedSha256(known.path, plan.key, ctx.onEvent)) === known.sha256) {
      ctx.onEvent({ kind: "cache-hit", key: plan.key, path: known.path });
      return known;
    }
    await fetchVerified(known.source, known.path, known.sha256, downloadOptions(ctx, plan.key));
    return known;
  }
  const resolved =
    plan.kind === "apt-package"
      ? await resolveApt(ctx, plan)
      : plan.kind === "apt-source"
        ? await resolveAptSource(ctx, plan)
        : await resolveUrl(ctx, plan);
  await writeRecord(recordFile, resolved);
  return resolved;
}

/**
 * Resolves every artifact, one after another: from the cache when a verified copy is recorded (no request at
 * all), else by fetching it (apt packages and source files through the repository's signed InRelease and the
 * SHA256 it lists for Packages or Sources, then the file's own SHA256; URLs against a literal sum or a checksum file; local files hashed).
 * A version pattern (`1.6.20~ds1-1+deb12u*`) is resolved once and then stays pinned to what it resolved to:
 * delete `<cache>/artifacts/resolved/` to resolve again.
 */
export async function resolveArtifacts(
  plans: readonly ArtifactPlan[],
  options: ResolveOptions = {},
): Promise<Record<string, ResolvedArtifact>> {
  const ctx: Context = {
    root: artifactsDir(options.cacheDir ?? defaultCacheDir()),
    options,
    onEvent: options.onEvent ?? (() => {}),
    indexes: new Map(),
  };
  const out: Record<string, ResolvedArtifact> = {};
  for (const plan of plans) {
    options.signal?.throwIfAborted();
    const resolved = await resolveOne(ctx, plan);
    ctx.onEvent({
      kind: "resolved",
      key: plan.key,
      version: resolved.resolvedVersion,
      sha256: resolved.sha256,
      path: resolved.path,
    });
    out[plan.key] = resolved;
  }
  return out;
}
