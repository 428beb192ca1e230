// What a Kubernetes node image carries from a host build: kubeadm, kubelet, kubectl and crictl in /usr/local/bin, the
// container image archives in /var/lib/harness/images, and the same images already in containerd's state folder
// (/var/lib/containerd, imported on the host by Debian 11's containerd 1.4.13; newer containerd versions migrate it).
// Laid out as a folder the image build copies over its tree.
import { createHash } from "node:crypto";
import { access, link, mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { withFileLock } from "../artifacts/file-lock.ts";
import type { ImagePayload } from "../images/image-store.ts";
import { guestImagesDir } from "../recipes/data/kubernetes.ts";
import { resolveArtifacts } from "../artifacts/resolve-artifacts.ts";
import { containerImages1202, deb } from "./container-images-recipe.ts";
import { preloadContainerd } from "./containerd-preload.ts";
import { ensureContainerImages, type ContainerImageSet } from "./container-images.ts";
import { ensureKubernetesBuild, type BuildOptions, type KubernetesBuild } from "./kubernetes-build.ts";
import { kubernetes1202, type KubernetesBinary } from "./kubernetes-recipe.ts";

/** Binaries of the build that the node runs itself (the rest run from the container images). */
export const nodeBinaries: KubernetesBinary[] = ["kubeadm", "kubelet", "kubectl", "crictl"];

/** The containerd whose state format the preloaded images are written in: the oldest the payload's images serve. */
const preloadContainerdDeb = deb("debian-bullseye", "containerd", "1.4.13~ds1-1~deb11u4");

/** Payload names a plan may ask for. */
export const nodePayloadNames = ["kubernetes-v1.20.2"] as const;

/** A payload name. */
export type NodePayloadName = (typeof nodePayloadNames)[number];

/** A ready payload: the folder, its key, and what it was made from. */
export interface NodePayload extends ImagePayload {
  build: KubernetesBuild;
  images: ContainerImageSet;
}

/** Builds (or finds) the Kubernetes build, its images and the payload folder of `name`. */
export async function ensureNodePayload(name: NodePayloadName, options: BuildOptions): Promise<NodePayload> {
  const report = options.report ?? (() => {});
  const build = await ensureKubernetesBuild(kubernetes1202, options);
  const images = await ensureContainerImages(build, containerImages1202(), options);
  const containerd = (
    await resolveArtifacts([preloadContainerdDeb], {
      cacheDir: options.cacheDir,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    })
  )[preloadContainerdDeb.key];
  if (containerd === undefined) throw new Error(`${preloadContainerdDeb.key} was not resolved`);
  const key = `${name}-${createHash("sha256").update(`${build.key} ${images.key} ${containerd.sha256}`).digest("hex").slice(0, 12)}`;
  const dir = path.join(options.cacheDir, "builds", "payloads", key);
  const done = `${dir}.complete`;
  if (
    await access(done).then(
      () => true,
      () => false,
    )
  )
    return { dir, key, build, images };
  await withFileLock(
    `${dir}.lock`,
    { waitMs: 10 * 60_000, what: `assembling ${dir}`, ...(options.report ? { report: options.report } : {}) },
    async () => {
      if (
        await access(done).then(
          () => true,
          () => false,
        )
      )
        return;
      const tmp = `${dir}.tmp-${process.pid}`;
      await rm(tmp, { recursive: true, force: true });
      const bin = path.join(tmp, "usr/local/bin");
      const imagesTo = path.join(tmp, guestImagesDir.slice(1));
      await mkdir(bin, { recursive: true });
      await mkdir(imagesTo, { recursive: true });
      // Hard links: the payload is a view of cache entries on the same filesystem, not a second copy.
      for (const b of nodeBinaries) await link(build.binaries[b], path.join(bin, b));
      for (const image of images.images)
        await link(image.file, path.join(imagesTo, path.basename(image.file)));
      const preload = await preloadContainerd(
        containerd.path,
        images.images.map((i) => i.file),
        tmp,
        options.signal,
      ).catch(async (err: unknown) => {
        await rm(tmp, { recursive: true, force: true });
        throw err;
      });
      report(
        `${name}: images imported into containerd ${containerd.resolvedVersion ?? ""}'s store on the host in ${preload.seconds} s`,
      );
      await writeFile(
        path.join(imagesTo, "images.json"),
        `${JSON.stringify(
          images.images.map((i) => ({ ...i, file: path.basename(i.file) })),
          null,
          2,
        )}\n`,
      );
      await rm(dir, { recursive: true, force: true });
      await rename(tmp, dir);
      await writeFile(done, `${key}\n`);
    },
  );
  return { dir, key, build, images };
}
