// Which multipass image alias each harness image launches: pinned releases only (`lts` moves, so never use it).
import { HarnessError, ExitCode } from "../../errors.ts";
import type { ImageName } from "../../images/image-names.ts";

/** Pinned multipass aliases of the harness images multipass can launch. */
export const multipassImageAliases: Readonly<Partial<Record<ImageName, string>>> = {
  "ubuntu-22.04": "22.04",
  "ubuntu-24.04": "24.04",
};

/** The pinned multipass alias for an image; a HarnessError for images multipass cannot launch (Debian). */
export function multipassImageFor(image: ImageName, node: string): string {
  const alias = multipassImageAliases[image];
  if (alias === undefined) {
    throw new HarnessError(
      "MULTIPASS_IMAGE_UNSUPPORTED",
      `node ${node}: multipass cannot launch image ${image}`,
      {
        hint: `multipass only launches Ubuntu images (${Object.keys(multipassImageAliases).join(", ")}); use the qemu or vagrant provider for ${image}`,
        exitCode: ExitCode.usage,
      },
    );
  }
  return alias;
}
