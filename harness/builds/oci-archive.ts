// Writes a single-layer container image as an OCI archive (oci-layout + index.json, plus Docker's manifest.json) that
// `ctr images import` and `skopeo` accept; the same rootfs and config give the same bytes and digests.
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { ExitCode, HarnessError } from "../errors.ts";
import { outputTail, runTool } from "../providers/run-tool.ts";
import { sha256File } from "../artifacts/sha256-file.ts";

/** What goes into an image besides its files. */
export interface OciImageConfig {
  /** Full references (`k8s.gcr.io/pause:3.2`): each becomes an `io.containerd.image.name` of the archive. */
  refs: string[];
  entrypoint?: string[];
  cmd?: string[];
  env: string[];
  labels: Record<string, string>;
}

/** The digests of a written archive. */
export interface OciArchive {
  file: string;
  refs: string[];
  manifestDigest: string;
  configDigest: string;
  layerDigest: string;
  layerBytes: number;
}

/** The fixed timestamp of every file and of the image (reproducible builds). */
const epoch = 0;

/** tar flags that make a tar of a folder depend only on its names, modes and contents. */
export const reproducibleTarFlags = [
  "--sort=name",
  `--mtime=@${epoch}`,
  "--owner=0",
  "--group=0",
  "--numeric-owner",
  "--format=posix",
  "--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime",
];

async function tar(args: string[], what: string): Promise<void> {
  const r = await runTool("tar", args, { timeoutMs: 10 * 60_000 });
  if (r.missing !== undefined || r.exitCode !== 0)
    throw new HarnessError(
      "IMAGE_ARCHIVE_FAILED",
      `tar failed while ${what}: ${r.missing ?? outputTail(r.stderr, 4)}`,
      {
        hint: "GNU tar is needed (Debian's tar package); check free disk space",
        exitCode: ExitCode.infra,
      },
    );
}

const sha256 = (data: string) => `sha256:${createHash("sha256").update(data).digest("hex")}`;

/** Packs `rootfs` as the one uncompressed layer of an image and writes the archive to `out`. */
export async function writeOciArchive(
  rootfs: string,
  config: OciImageConfig,
  out: string,
): Promise<OciArchive> {
  const work = await mkdtemp(`${out}.work-`);
  try {
    const blobs = path.join(work, "blobs", "sha256");
    await mkdir(blobs, { recursive: true });
    const layerTmp = path.join(work, "layer.tar");
    await tar(["-C", rootfs, ...reproducibleTarFlags, "-cf", layerTmp, "."], `packing ${rootfs}`);
    const layerHex = await sha256File(layerTmp);
    const layerBytes = (await stat(layerTmp)).size;
    await rename(layerTmp, path.join(blobs, layerHex));
    const imageConfig = JSON.stringify({
      architecture: "amd64",
      os: "linux",
      created: new Date(epoch * 1000).toISOString(),
      config: {
        Env: config.env,
        ...(config.entrypoint ? { Entrypoint: config.entrypoint } : {}),
        ...(config.cmd ? { Cmd: config.cmd } : {}),
        Labels: config.labels,
      },
      rootfs: { type: "layers", diff_ids: [`sha256:${layerHex}`] },
      history: [
        { created: new Date(epoch * 1000).toISOString(), created_by: "k8s-node-harness (one layer)" },
      ],
    });
    const configDigest = sha256(imageConfig);
    await writeFile(path.join(blobs, configDigest.slice(7)), imageConfig);
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: {
        mediaType: "application/vnd.oci.image.config.v1+json",
        digest: configDigest,
        size: Buffer.byteLength(imageConfig),
      },
      layers: [
        {
          mediaType: "application/vnd.oci.image.layer.v1.tar",
          digest: `sha256:${layerHex}`,
          size: layerBytes,
        },
      ],
    });
    const manifestDigest = sha256(manifest);
    await writeFile(path.join(blobs, manifestDigest.slice(7)), manifest);
    const index = {
      schemaVersion: 2,
      manifests: config.refs.map((ref) => ({
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        digest: manifestDigest,
        size: Buffer.byteLength(manifest),
        annotations: {
          "io.containerd.image.name": ref,
          "org.opencontainers.image.ref.name": ref.slice(ref.lastIndexOf(":") + 1),
        },
        platform: { architecture: "amd64", os: "linux" },
      })),
    };
    await writeFile(path.join(work, "index.json"), JSON.stringify(index));
    await writeFile(path.join(work, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
    await writeFile(
      path.join(work, "manifest.json"),
      JSON.stringify([
        {
          Config: `blobs/sha256/${configDigest.slice(7)}`,
          RepoTags: config.refs,
          Layers: [`blobs/sha256/${layerHex}`],
        },
      ]),
    );
    await tar(
      [
        "-C",
        work,
        ...reproducibleTarFlags,
        "-cf",
        `${out}.tmp`,
        "oci-layout",
        "index.json",
        "manifest.json",
        "blobs",
      ],
      `writing ${out}`,
    );
    await rename(`${out}.tmp`, out);
    return {
      file: out,
      refs: config.refs,
      manifestDigest,
      configDigest,
      layerDigest: `sha256:${layerHex}`,
      layerBytes,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
