import { describe, expect, it } from "vitest";
import type { BootImage } from "../../images/boot-image.ts";
import { qemuArgs, type QemuGuestSpec } from "./qemu-command.ts";

const kernelImage: BootImage = {
  kind: "kernel",
  name: "debian-13",
  rootfs: "/cache/debian-13/rootfs.qcow2",
  kernel: "/cache/debian-13/vmlinuz",
  initrd: "/cache/debian-13/initrd.img",
  append: "root=/dev/vda rw console=ttyS0 net.ifnames=0 quiet loglevel=3 systemd.show_status=0",
  hostKey: "ssh-ed25519 AAAA",
  makeSeed: "/repo/images/debian/make-seed.sh",
};
const cloudImage: BootImage = { kind: "cloud", name: "ubuntu-24.04", disk: "/cache/ubuntu-24.04/disk.qcow2" };

function spec(over: Partial<QemuGuestSpec>): QemuGuestSpec {
  return {
    id: "h-20261123-184212-3f9a1c-node1",
    accel: "tcg",
    cpus: 2,
    memoryMiB: 2048,
    image: kernelImage,
    overlayPath: "/state/node1/overlay.qcow2",
    seedPath: "/state/node1/seed.tar",
    sshPort: 40022,
    segment: { group: "239.255.7.9", port: 31000 },
    privateMac: "52:54:00:c8:00:0b",
    serialLog: "/run/logs/node1/serial.log",
    pidFile: "/state/node1/qemu.pid",
    verboseConsole: false,
    extraAppend: "",
    restrictOutbound: false,
    ...over,
  };
}

/** The value that follows a flag (the n-th occurrence). */
function after(args: string[], flag: string, n = 0): string | undefined {
  const at = args.flatMap((a, i) => (a === flag ? [i] : []))[n];
  return at === undefined ? undefined : args[at + 1];
}

describe("qemuArgs", () => {
  it("boots a kernel image on microvm with the seed over fw_cfg, TCG, the overlay and both NICs", () => {
    const args = qemuArgs(spec({}));
    expect(after(args, "-M")).toBe("microvm");
    expect(after(args, "-accel")).toBe("tcg,thread=multi");
    expect(after(args, "-name")).toBe("h-20261123-184212-3f9a1c-node1");
    expect(after(args, "-kernel")).toBe("/cache/debian-13/vmlinuz");
    expect(after(args, "-drive")).toContain("file=/state/node1/overlay.qcow2,format=qcow2");
    expect(args.join(" ")).not.toContain("rootfs.qcow2");
    expect(after(args, "-netdev")).toBe("user,id=n0,hostfwd=tcp:127.0.0.1:40022-:22");
    expect(after(args, "-netdev", 1)).toContain(
      "remote.host=239.255.7.9,remote.port=31000,local.type=inet,local.host=127.0.0.1",
    );
    expect(after(args, "-device", 2)).toBe("virtio-net-device,netdev=n1,mac=52:54:00:c8:00:0b");
    expect(after(args, "-fw_cfg")).toBe("name=opt/harness/seed,file=/state/node1/seed.tar");
    expect(after(args, "-serial")).toBe("file:/run/logs/node1/serial.log");
    expect(after(args, "-pidfile")).toBe("/state/node1/qemu.pid");
    expect(after(args, "-append")).toContain("quiet");
  });

  it("restricts the user-mode NIC when the guest may reach nothing outside, keeping the SSH forward", () => {
    const args = qemuArgs(spec({ restrictOutbound: true }));
    expect(args).toContain("user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:40022-:22");
    expect(qemuArgs(spec({})).join(" ")).not.toContain("restrict=on");
  });

  it("appends the TSC hint to the kernel command line", () => {
    const args = qemuArgs(spec({ extraAppend: "tsc_early_khz=2596124 tsc=reliable lpj=10384496" }));
    expect(after(args, "-append")).toMatch(
      /quiet loglevel=3 systemd.show_status=0 tsc_early_khz=2596124 tsc=reliable lpj=10384496$/,
    );
  });

  it("with KVM uses the host CPU and a verbose console so a stuck boot shows", () => {
    const args = qemuArgs(spec({ accel: "kvm", verboseConsole: true }));
    expect(after(args, "-accel")).toBe("kvm");
    expect(after(args, "-cpu")).toBe("host");
    expect(after(args, "-append")).toBe(
      "root=/dev/vda rw console=ttyS0 net.ifnames=0 systemd.show_status=0 earlyprintk=serial,ttyS0,115200 loglevel=6",
    );
  });

  it("boots a cloud image on q35 from its overlay with the NoCloud seed as a second disk", () => {
    const args = qemuArgs(spec({ image: cloudImage, seedPath: "/state/node1/seed.iso" }));
    expect(after(args, "-M")).toBe("q35");
    expect(args).not.toContain("-kernel");
    expect(after(args, "-drive")).toBe("file=/state/node1/overlay.qcow2,format=qcow2,if=virtio,cache=unsafe");
    expect(after(args, "-drive", 1)).toBe("file=/state/node1/seed.iso,format=raw,if=virtio,readonly=on");
    expect(after(args, "-device", 1)).toBe("virtio-net-pci,netdev=n1,mac=52:54:00:c8:00:0b");
  });
});
