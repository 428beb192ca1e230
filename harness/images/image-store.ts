// The image cache: builds Debian images and fetches cloud images into <cache>/images, records each output file's
// sha256, detects a corrupted entry and rebuilds it; concurrent builds of one image wait on a lock and never share a folder.
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { ExitCode, HarnessError } from "../errors.ts";
import { outputTail, runTool } from "../providers/run-tool.ts";
import type { BootImage } from "./boot-image.ts";
import type { ArtifactEvent } from "../artifacts/artifact-events.ts";
import { checksumFor } from "../artifacts/checksum-file.ts";
import { downloadToPart } from "../artifacts/download.ts";
import { sha256File } from "../artifacts/sha256-file.ts";
import { fetchVerified } from "../artifacts/verified-file.ts";
import { withFileLock } from "../artifacts/file-lock.ts";
import {
  loadImageEntry,
  type CloudDownloadEntry,
  type DebianBuildEntry,
  defaultCatalogDir,
} from "./image-catalog.ts";
import type { ImageName } from "./image-names.ts";

/** The record written next to a finished cache entry: what it is and the sha256 of every file in it. */
export interface ImageRecord {
  name: ImageName;
  kind: "debian-build" | "cloud-download";
  /** Recipe hash (Debian) or the published sha256 of the download (cloud). */
  key: string;
  files: Record<string, string>;
  createdAt: string;
}

/** The state of one image in the cache. */
export interface ImageStatus {
  name: ImageName;
  kind: "debian-build" | "cloud-download";
  state: "ready" | "missing" | "corrupt";
  dir: string;
  detail: string;
}

/** Options of the store. */
export interface ImageStoreOptions {
  imagesDir: string;
  catalogDir?: string;
  /** images/debian/ with build-image.sh, init.sh, make-seed.sh. */
  debianScriptsDir?: string;
  /** Progress lines (build output, downloads) for the user or the timeline. */
  report?: (line: string) => void;
  /** How long to wait for another process's build of the same image. */
  lockWaitMs?: number;
}

/** Files laid over a Debian image's tree before its filesystem is made, named by a key that covers their content. */
export interface ImagePayload {
  dir: string;
  key: string;
}

/** The root filesystem size of a Debian image: its catalog size, at least 8G when it carries a payload. */
function diskSizeOf(entry: DebianBuildEntry, payload: ImagePayload | undefined): string {
  const gib = Number.parseInt(entry.diskSize, 10);
  return payload === undefined ? entry.diskSize : `${Math.max(gib, 8)}G`;
}

/** The kernel command line of the Debian images (as images/debian/boot-example.sh boots them). */
export const debianKernelAppend =
  "root=/dev/vda rw console=ttyS0 net.ifnames=0 quiet loglevel=3 systemd.show_status=0 apparmor=1 security=apparmor";

/** The files of a Debian build whose sha256 is recorded and checked. */
const debianFiles = ["rootfs.qcow2", "vmlinuz", "initrd.img", "host_keys/ssh_host_ed25519_key.pub"];

/** Resolves, builds, fetches and verifies guest images. */
export class ImageStore {
  private readonly catalogDir: string;
  private readonly scriptsDir: string;
  private readonly report: (line: string) => void;

  constructor(private readonly options: ImageStoreOptions) {
    this.catalogDir = options.catalogDir ?? defaultCatalogDir;
    this.scriptsDir = options.debianScriptsDir ?? resolve(defaultCatalogDir, "debian");
    this.report = options.report ?? (() => {});
  }

  /** The same store, reporting progress (build output, downloads) to `report`. */
  withReporter(report: (line: string) => void): ImageStore {
    return new ImageStore({ ...this.options, report });
  }

  /** Hash of everything a Debian build's output depends on: the scripts, suite, mirror, packages, size, payload. */
  async recipeHash(
    entry: DebianBuildEntry,
    extraPackages: string[] = [],
    payload?: ImagePayload,
  ): Promise<string> {
    const hash = createHash("sha256");
    for (const script of ["build-image.sh", "init.sh"])
      hash.update(await readFile(join(this.scriptsDir, script)));
    const packages = [...new Set([...entry.packages, ...extraPackages])].sort();
    const size = diskSizeOf(entry, payload);
    // The 4G default stays out of the hash so that images built before sizes were recorded keep their key.
    hash.update(
      JSON.stringify({
        suite: entry.suite,
        mirror: entry.mirror,
        packages,
        ...(size === "4G" ? {} : { size }),
        ...(payload === undefined ? {} : { payload: payload.key }),
      }),
    );
    return hash.digest("hex").slice(0, 16);
  }

  /** Where an image's cache entry lives (for a Debian image: per recipe hash). */
  async entryDir(name: ImageName, extraPackages: string[] = [], payload?: ImagePayload): Promise<string> {
    const entry = await loadImageEntry(name, this.catalogDir);
    if (entry.kind === "debian-build") {
      return join(this.options.imagesDir, name, await this.recipeHash(entry, extraPackages, payload));
    }
    return join(this.options.imagesDir, name, "current");
  }

  /** Whether the image is in the cache and intact (recomputes every recorded sha256 unless `quick`, which only checks presence). */
  async status(
    name: ImageName,
    extraPackages: string[] = [],
    quick = false,
    payload?: ImagePayload,
  ): Promise<ImageStatus> {
    const entry = await loadImageEntry(name, this.catalogDir);
    const dir = await this.entryDir(name, extraPackages, payload);
    const base = { name, kind: entry.kind, dir };
    const record = await readRecord(dir);
    if (record === null) return { ...base, state: "missing", detail: "not built or fetched yet" };
    for (const [file, expected] of Object.entries(record.files)) {
      if (quick) {
        if (
          !(await stat(join(dir, file)).then(
            () => true,
            () => false,
          ))
        ) {
          return { ...base, state: "corrupt", detail: `${file} is missing` };
        }
        continue;
      }
      const actual = await sha256File(join(dir, file)).catch(() => "missing");
      if (actual !== expected) {
        return {
          ...base,
          state: "corrupt",
          detail: `${file}: sha256 ${actual.slice(0, 12)}, recorded ${expected.slice(0, 12)}`,
        };
      }
    }
    const files = Object.keys(record.files).length;
    return {
      ...base,
      state: "ready",
      detail: quick ? `${files} files present (not hashed)` : `${files} files verified`,
    };
  }

  /** Returns a bootable image, building or fetching it first when it is missing or corrupt. */
  async ensure(
    name: ImageName,
    extraPackages: string[] = [],
    signal?: AbortSignal,
    payload?: ImagePayload,
  ): Promise<BootImage> {
    const entry = await loadImageEntry(name, this.catalogDir);
    const dir = await this.entryDir(name, extraPackages, payload);
    const current = await this.status(name, extraPackages, false, payload);
    if (current.state !== "ready") {
      if (current.state === "corrupt")
        this.report(`${name}: cache entry ${dir} is corrupt (${current.detail}); rebuilding`);
      await this.withLock(dir, async () => {
        // Another process may have finished it while we waited for the lock.
        if ((await this.status(name, extraPackages, false, payload)).state === "ready") return;
        if (entry.kind === "debian-build") await this.buildDebian(entry, extraPackages, dir, payload);
        else await this.fetchCloud(entry, dir, signal);
      });
    }
    return this.bootImage(entry, dir);
  }

  private async bootImage(entry: DebianBuildEntry | CloudDownloadEntry, dir: string): Promise<BootImage> {
    if (entry.kind === "cloud-download")
      return { kind: "cloud", name: entry.name, disk: join(dir, "disk.qcow2") };
    return {
      kind: "kernel",
      name: entry.name,
      rootfs: join(dir, "rootfs.qcow2"),
      kernel: join(dir, "vmlinuz"),
      initrd: join(dir, "initrd.img"),
      append: [debianKernelAppend, ...entry.kernelArgs].join(" "),
      hostKey: (await readFile(join(dir, "host_keys/ssh_host_ed25519_key.pub"), "utf8")).trim(),
      makeSeed: join(this.scriptsDir, "make-seed.sh"),
    };
  }

  /** Runs build-image.sh into a private temp folder, records the sha256s, then renames it into place. */
  private async buildDebian(
    entry: DebianBuildEntry,
    extraPackages: string[],
    dir: string,
    payload: ImagePayload | undefined,
  ): Promise<void> {
    const tmp = `${dir}.build-${process.pid}`;
    await rm(tmp, { recursive: true, force: true });
    await mkdir(tmp, { recursive: true });
    const log = `${dir}.build.log`;
    const packages = [...new Set([...entry.packages, ...extraPackages])].sort();
    this.report(
      `${entry.name}: building with ${join(this.scriptsDir, "build-image.sh")} (suite ${entry.suite}${payload ? `, payload ${payload.key}` : ""}); log: ${log}`,
    );
    let text = "";
    const r = await runTool(join(this.scriptsDir, "build-image.sh"), [tmp], {
      timeoutMs: 60 * 60_000,
      env: {
        ...process.env,
        SUITE: entry.suite,
        MIRROR: entry.mirror,
        EXTRA_PACKAGES: packages.join(" "),
        CACHE_DIR: join(this.options.imagesDir, "debs"),
        FORCE: "1",
        IMAGE_SIZE: diskSizeOf(entry, payload),
        ...(payload === undefined ? {} : { PAYLOAD_DIR: payload.dir, PAYLOAD_KEY: payload.key }),
      },
      onOutput: (chunk) => {
        text += chunk;
        for (const line of chunk.split("\n")) if (line.trim() !== "") this.report(`${entry.name}: ${line}`);
      },
    });
    await writeFile(log, text);
    if (r.missing !== undefined || r.exitCode !== 0) {
      await rm(tmp, { recursive: true, force: true });
      throw new HarnessError(
        "IMAGE_BUILD_FAILED",
        `building ${entry.name} failed: ${r.missing ?? outputTail(r.stderr || r.stdout, 8)}`,
        {
          hint: `read ${log}; the build needs root, debootstrap, qemu-img, cpio and network access to ${entry.mirror}`,
          exitCode: ExitCode.infra,
        },
      );
    }
    await writeRecord(tmp, {
      name: entry.name,
      kind: "debian-build",
      key: basename(dir),
      files: await hashFiles(tmp, debianFiles),
      createdAt: new Date().toISOString(),
    });
    await rm(dir, { recursive: true, force: true });
    await rename(tmp, dir);
    this.report(`${entry.name}: ready in ${dir}`);
  }

  /**
   * Downloads the cloud image through the verified artifact cache (harness/artifacts: resumable, retried, refused
   * unless its sha256 matches SHA256SUMS), then copies it into place with its own record.
   */
  private async fetchCloud(entry: CloudDownloadEntry, dir: string, signal?: AbortSignal): Promise<void> {
    const file = basename(new URL(entry.url).pathname);
    const downloads = join(this.options.imagesDir, entry.name, "downloads");
    const onEvent = (e: ArtifactEvent): void => this.report(`${entry.name}: ${describeArtifactEvent(e)}`);
    const options = { key: entry.name, signal, onEvent };
    const sumsPart = join(downloads, `SHA256SUMS.${process.pid}.part`);
    await mkdir(downloads, { recursive: true });
    await rm(sumsPart, { force: true });
    await downloadToPart(entry.checksums, sumsPart, options);
    const expected = checksumFor(await readFile(sumsPart, "utf8"), file);
    await rm(sumsPart, { force: true });
    if (expected === null) {
      throw new HarnessError("IMAGE_CHECKSUM_MISSING", `${entry.checksums} lists no checksum for ${file}`, {
        hint: `the image was renamed upstream: update images/${entry.name}.yaml`,
        exitCode: ExitCode.infra,
      });
    }
    const target = join(downloads, `${expected}.qcow2`);
    this.report(
      `${entry.name}: fetching ${entry.url} (sha256 ${expected.slice(0, 12)} from ${entry.checksums})`,
    );
    await fetchVerified(entry.url, target, expected, options);
    const tmp = `${dir}.fetch-${process.pid}`;
    await rm(tmp, { recursive: true, force: true });
    await mkdir(tmp, { recursive: true });
    await rename(target, join(tmp, "disk.qcow2"));
    await rm(`${target}.sha256`, { force: true });
    await writeRecord(tmp, {
      name: entry.name,
      kind: "cloud-download",
      key: expected,
      files: { "disk.qcow2": expected },
      createdAt: new Date().toISOString(),
    });
    await rm(dir, { recursive: true, force: true });
    await rename(tmp, dir);
  }

  /** Runs `fn` holding `<dir>.lock`: a concurrent build of the same image waits for it. */
  private withLock(dir: string, fn: () => Promise<void>): Promise<void> {
    return withFileLock(
      `${dir}.lock`,
      { waitMs: this.options.lockWaitMs ?? 60 * 60_000, report: this.report, what: `building ${dir}` },
      fn,
    );
  }
}

/** One artifact event as a progress line. */
function describeArtifactEvent(e: ArtifactEvent): string {
  switch (e.kind) {
    case "download-start":
      return `downloading ${e.url}${e.resumeFrom > 0 ? ` (resuming at ${e.resumeFrom} bytes)` : ""}`;
    case "download-done":
      return `downloaded ${e.bytes} bytes in ${(e.durationMs / 1000).toFixed(1)} s`;
    case "download-attempt-failed":
      return `attempt ${e.attempt} failed: ${e.error}`;
    case "cache-corrupt":
      return `cached ${e.path} is corrupt (sha256 ${e.actual.slice(0, 12)}, recorded ${e.expected.slice(0, 12)}); fetching again`;
    default:
      return e.kind;
  }
}

async function hashFiles(dir: string, files: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of files) out[f] = await sha256File(join(dir, f));
  return out;
}

async function readRecord(dir: string): Promise<ImageRecord | null> {
  try {
    return JSON.parse(await readFile(join(dir, "harness-image.json"), "utf8")) as ImageRecord;
  } catch {
    return null;
  }
}

async function writeRecord(dir: string, record: ImageRecord): Promise<void> {
  await writeFile(join(dir, "harness-image.json"), `${JSON.stringify(record, null, 2)}\n`);
}
