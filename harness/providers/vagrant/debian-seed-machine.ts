// Lets vagrant-libvirt boot the harness's Debian images: a per-machine seed (passed to QEMU over fw_cfg) sets the
// hostname, the run key, fixed MACs and the private address, and a DHCP client so vagrant finds the guest by its lease.
import { chmod, mkdir, rm, symlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { ExitCode, HarnessError } from "../../errors.ts";
import type { KernelBootImage } from "../../images/boot-image.ts";
import type { MachinePlan } from "../../plan/plan.ts";
import { outputTail, runTool } from "../run-tool.ts";
import type { PrepareMachineContext, VagrantMachineExtras } from "./vagrant-provider.ts";

/** Prefix length of the private network vagrant-libvirt creates for `private_network, ip:`. */
const privatePrefix = 24;

/** The management NIC's MAC of the machine at `index` (stable, locally administered QEMU range). */
export function managementMacFor(index: number): string {
  return `52:54:00:4d:00:${(index + 1).toString(16).padStart(2, "0")}`;
}

/** The private NIC's MAC of the machine at `index`. */
export function privateMacFor(index: number): string {
  return `52:54:00:50:00:${(index + 1).toString(16).padStart(2, "0")}`;
}

/** udhcpc's event script: applies the leased address (the image configures no DHCP itself). */
const udhcpcScript = `#!/bin/sh
case "$1" in
  bound|renew)
    ip addr flush dev "$interface"
    ip addr add "$ip/$mask" dev "$interface"
    if [ -n "$router" ]; then ip route replace default via "\${router%% *}" dev "$interface"; fi
    ;;
esac
`;

/** A oneshot unit that takes a DHCP lease on the management NIC before sshd starts. */
const dhcpUnit = `[Unit]
Description=DHCP on the management NIC (vagrant-libvirt finds guests by their lease)
Before=ssh.service

[Service]
Type=oneshot
ExecStart=/bin/busybox udhcpc -i eth0 -n -q -t 30 -s /etc/harness-udhcpc.sh
RemainAfterExit=yes

[Install]
WantedBy=multi-user.target
`;

/** Writes the seed folder of one machine (format of images/debian/make-seed.sh). */
export async function writeVagrantDebianSeed(
  dir: string,
  machine: MachinePlan,
  index: number,
  publicKey: string,
): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, "files", "etc", "systemd", "system", "multi-user.target.wants"), { recursive: true });
  await writeFile(join(dir, "hostname"), `${machine.name}\n`);
  await writeFile(join(dir, "authorized_keys"), `${publicKey.trim()}\n`);
  await writeFile(
    join(dir, "network"),
    `USER_MAC=${managementMacFor(index)}\nPRIV_MAC=${privateMacFor(index)}\nPRIV_ADDR=${machine.privateIp}/${privatePrefix}\n`,
  );
  const script = join(dir, "files", "etc", "harness-udhcpc.sh");
  await writeFile(script, udhcpcScript);
  await chmod(script, 0o755);
  const unit = join(dir, "files", "etc", "systemd", "system", "harness-dhcp.service");
  await writeFile(unit, dhcpUnit);
  await symlink(
    "/etc/systemd/system/harness-dhcp.service",
    join(dirname(unit), "multi-user.target.wants", "harness-dhcp.service"),
  );
}

/** A `prepareMachine` hook for the vagrant provider that seeds Debian kernel-boot images; seeds go under the run dir. */
export function debianSeedPreparer(
  image: KernelBootImage,
): (machine: MachinePlan, context: PrepareMachineContext) => Promise<VagrantMachineExtras> {
  return async (machine, context) => {
    const dir = join(context.runDir, "providers", "vagrant", "seeds", machine.name);
    const tar = `${dir}.tar`;
    await writeVagrantDebianSeed(dir, machine, context.index, context.publicKey);
    const r = await runTool(image.makeSeed, [dir, tar], { timeoutMs: 60_000 });
    if (r.missing !== undefined || r.exitCode !== 0) {
      throw new HarnessError(
        "SEED_FAILED",
        `could not pack the seed of ${machine.name}: ${r.missing ?? outputTail(r.stderr)}`,
        {
          hint: `check ${image.makeSeed} and the seed folder ${dir}`,
          exitCode: ExitCode.infra,
        },
      );
    }
    // QEMU runs as libvirt's unprivileged user: the seed must be readable to it.
    await chmod(tar, 0o644);
    return {
      managementMac: managementMacFor(context.index),
      privateMac: privateMacFor(context.index),
      qemuArgs: ["-fw_cfg", `name=opt/harness/seed,file=${tar}`],
    };
  };
}
