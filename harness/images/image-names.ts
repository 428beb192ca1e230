// The guest images a scenario may name; each has a catalog file images/<name>.yaml describing how it is obtained.

/** Every image name the harness knows, in the order `harness images list` shows them. */
export const imageNames = ["ubuntu-22.04", "ubuntu-24.04", "debian-11", "debian-12", "debian-13"] as const;

/** The images the harness boots with their own kernel and its command line (direct kernel boot: Debian builds). */
export const directBootImages: readonly ImageName[] = ["debian-11", "debian-12", "debian-13"];

/** One known guest image. */
export type ImageName = (typeof imageNames)[number];
