// Builds the qemu-system-x86_64 command line for one guest (pure): microvm + direct kernel boot, or q35 + cloud image.
import type { BootImage } from "../../images/boot-image.ts";
import { userMac, type PrivateSegment } from "./private-segment.ts";

/** Everything one guest's command line depends on. */
export interface QemuGuestSpec {
  /** Machine id (carries the run id); also QEMU's `-name`, so `harness cleanup` can find the process. */
  id: string;
  accel: "kvm" | "tcg";
  cpus: number;
  memoryMiB: number;
  image: BootImage;
  overlayPath: string;
  /** Seed: a tar for the Debian initramfs (fw_cfg) or a NoCloud ISO for cloud images. */
  seedPath: string;
  sshPort: number;
  segment: PrivateSegment;
  privateMac: string;
  serialLog: string;
  pidFile: string;
  /** Print kernel messages from the decompressor on (earlyprintk) so a stuck KVM boot is visible on the serial log. */
  verboseConsole: boolean;
  /** Extra kernel arguments for kernel images (the TSC hint under TCG); "" for none. */
  extraAppend: string;
  /** restrict=on on the user-mode NIC: the guest reaches nothing outside but the forwarded SSH port. */
  restrictOutbound: boolean;
}

/** The QEMU binary the provider runs. */
export const qemuBinary = "qemu-system-x86_64";

/** argv (without the binary) for one guest. */
export function qemuArgs(spec: QemuGuestSpec): string[] {
  const accel =
    spec.accel === "kvm" ? ["-accel", "kvm", "-cpu", "host"] : ["-accel", "tcg,thread=multi", "-cpu", "max"];
  const common = [
    "-name",
    spec.id,
    ...accel,
    "-smp",
    String(spec.cpus),
    "-m",
    String(spec.memoryMiB),
    "-nodefaults",
    "-no-user-config",
    "-display",
    "none",
    "-serial",
    `file:${spec.serialLog}`,
    "-pidfile",
    spec.pidFile,
  ];
  const userNet = [
    "-netdev",
    `user,id=n0,${spec.restrictOutbound ? "restrict=on," : ""}hostfwd=tcp:127.0.0.1:${spec.sshPort}-:22`,
  ];
  const privateNet = [
    "-netdev",
    `dgram,id=n1,remote.type=inet,remote.host=${spec.segment.group},remote.port=${spec.segment.port},local.type=inet,local.host=127.0.0.1,local.port=0`,
  ];
  const image = spec.image;
  if (image.kind === "kernel") {
    const base = spec.verboseConsole
      ? `${image.append.replace(/\b(quiet|loglevel=\d)\s*/g, "").trim()} earlyprintk=serial,ttyS0,115200 loglevel=6`
      : image.append;
    const append = spec.extraAppend === "" ? base : `${base} ${spec.extraAppend}`;
    return [
      "-M",
      "microvm",
      ...common,
      "-kernel",
      image.kernel,
      "-initrd",
      image.initrd,
      "-append",
      append,
      "-drive",
      `id=d0,file=${spec.overlayPath},format=qcow2,if=none,cache=unsafe`,
      "-device",
      "virtio-blk-device,drive=d0",
      ...userNet,
      "-device",
      `virtio-net-device,netdev=n0,mac=${userMac}`,
      ...privateNet,
      "-device",
      `virtio-net-device,netdev=n1,mac=${spec.privateMac}`,
      "-fw_cfg",
      `name=opt/harness/seed,file=${spec.seedPath}`,
    ];
  }
  return [
    "-M",
    "q35",
    ...common,
    "-drive",
    `file=${spec.overlayPath},format=qcow2,if=virtio,cache=unsafe`,
    "-drive",
    `file=${spec.seedPath},format=raw,if=virtio,readonly=on`,
    ...userNet,
    "-device",
    `virtio-net-pci,netdev=n0,mac=${userMac}`,
    ...privateNet,
    "-device",
    `virtio-net-pci,netdev=n1,mac=${spec.privateMac}`,
  ];
}
