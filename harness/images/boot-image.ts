// What a provider boots: the files of a cached guest image, as resolved by the image store.
import type { ImageName } from "./image-names.ts";

/** A kernel + initrd + root filesystem image (the locally built Debian images): direct kernel boot, seed over fw_cfg. */
export interface KernelBootImage {
  kind: "kernel";
  name: ImageName;
  /** qcow2 root filesystem (the base of every overlay; never written). */
  rootfs: string;
  kernel: string;
  initrd: string;
  /** Kernel command line the image needs (root device, console, quiet flags). */
  append: string;
  /** The image's SSH host key (`ssh-ed25519 AAAA...`), pinned host-side. */
  hostKey: string;
  /** Host-side script that packs a seed folder into what the initramfs reads. */
  makeSeed: string;
}

/** A cloud image that boots from its own disk and reads a cloud-init NoCloud seed (Ubuntu). */
export interface CloudBootImage {
  kind: "cloud";
  name: ImageName;
  /** qcow2 disk image (the base of every overlay; never written). */
  disk: string;
}

/** Either kind of bootable image. */
export type BootImage = KernelBootImage | CloudBootImage;
