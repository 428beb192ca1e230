// Which Vagrant box (name + pinned version) each harness image boots; overridable per provider, e.g. with a local libvirt box.
import { ExitCode, HarnessError } from "../../errors.ts";
import type { ImageName } from "../../images/image-names.ts";

/** A Vagrant box pinned to one version. */
export interface VagrantBox {
  name: string;
  /** Exact version (`box_version`); a local box added with `vagrant box add` without metadata has version `0`. */
  version: string;
}

/**
 * Default boxes: Bento's Ubuntu boxes at versions seen pinned in public Vagrantfiles (check that the version is
 * published for your provider with `vagrant box add --provider`). Debian images have no default: add a local box.
 */
export const defaultVagrantBoxes: Readonly<Partial<Record<ImageName, VagrantBox>>> = {
  "ubuntu-22.04": { name: "bento/ubuntu-22.04", version: "202407.23.0" },
  "ubuntu-24.04": { name: "bento/ubuntu-24.04", version: "202404.26.0" },
};

/** The box for an image, from the provider's boxes over the defaults; a HarnessError naming the option when none. */
export function vagrantBoxFor(
  image: ImageName,
  node: string,
  boxes: Readonly<Partial<Record<ImageName, VagrantBox>>>,
): VagrantBox {
  const box = boxes[image] ?? defaultVagrantBoxes[image];
  if (box === undefined) {
    throw new HarnessError(
      "VAGRANT_NO_BOX",
      `node ${node}: no Vagrant box is configured for image ${image}`,
      {
        hint: `add a box for ${image} (e.g. a local libvirt box built from the harness image: \`vagrant box add --name harness/${image} ${image}.box\`) and give it to the vagrant provider's \`boxes\` option as { name: "harness/${image}", version: "0" }`,
        exitCode: ExitCode.usage,
      },
    );
  }
  return box;
}
