// Renders the Vagrantfile of a run (pure): pinned boxes, resources, a private network, and our run key installed on first boot.
import { quote } from "../../recipes/shell.ts";
import type { VagrantProviderName } from "./vagrant-argv.ts";
import type { VagrantBox } from "./vagrant-box.ts";

/** One machine of the Vagrantfile. */
export interface VagrantfileMachine {
  /** Vagrant's machine name; carries the run id (and becomes the libvirt domain name). */
  id: string;
  hostname: string;
  box: VagrantBox;
  cpus: number;
  memoryMiB: number;
  /** Address on the run's private network. */
  privateIp: string;
  /** libvirt only: fixed MAC of the management NIC (vagrant finds the guest by its DHCP lease). */
  managementMac?: string;
  /** libvirt only: fixed MAC of the private NIC, for guests that pick their NICs by MAC. */
  privateMac?: string;
  /** libvirt only: extra QEMU arguments, e.g. `-fw_cfg name=opt/harness/seed,file=seed.tar`. */
  qemuArgs?: string[];
  /** libvirt only: file that receives the serial console. */
  serialLog?: string;
}

/** vagrant-libvirt settings beyond cpus and memory (see the provider's options). */
export interface LibvirtSettings {
  /** `kvm`, or `qemu` for TCG where KVM is not usable. */
  driver?: "kvm" | "qemu";
  /** libvirt connection URI, e.g. `qemu:///system`. */
  uri?: string;
  /** Direct kernel boot: kernel, initrd and command line on the host. */
  kernel?: string;
  initrd?: string;
  cmdLine?: string;
  /** PCI slot of the management NIC (`0x03` makes it `ens3` for guests configured for that name). */
  managementNetworkPciSlot?: string;
}

/** Everything the Vagrantfile is made of. */
export interface VagrantfileSpec {
  provider: VagrantProviderName;
  runId: string;
  machines: VagrantfileMachine[];
  /** The run's public key, installed for root and the SSH user by the first provisioner. */
  authorizedKey: string;
  /** Keys vagrant tries, in order: the run key first, then the key the box accepts out of the box. */
  privateKeyPaths: string[];
  /** SSH user vagrant logs in as (`root` for the harness's Debian boxes); vagrant's default when absent. */
  sshUsername?: string;
  /** `%c` for guests without sudo. */
  sshSudoCommand?: string;
  /** Seconds vagrant waits for the machine to boot and answer SSH. */
  bootTimeoutS: number;
  /** The guest sets its own hostname and private address (e.g. from a seed): vagrant must not try to. */
  guestSelfConfigured?: boolean;
  libvirt?: LibvirtSettings;
}

/** A Ruby single-quoted string literal (only `\\` and `\'` are special inside). */
function ruby(value: string | number): string {
  return `'${String(value).replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/** The shell script that authorizes the run key for root and the SSH user, idempotently. */
function authorizeKeyScript(key: string, sshUser: string): string {
  return [
    `key=${quote(key.trim())}`,
    `for user in ${[...new Set(["root", sshUser])].map(quote).join(" ")}; do`,
    `  home=$(getent passwd "$user" | cut -d: -f6) || continue`,
    `  [ -n "$home" ] || continue`,
    `  mkdir -p "$home/.ssh" && touch "$home/.ssh/authorized_keys"`,
    `  grep -qxF "$key" "$home/.ssh/authorized_keys" || printf '%s\\n' "$key" >> "$home/.ssh/authorized_keys"`,
    `  chown -R "$user" "$home/.ssh" && chmod 700 "$home/.ssh" && chmod 600 "$home/.ssh/authorized_keys"`,
    `done`,
  ].join("\n");
}

function providerBlock(spec: VagrantfileSpec, m: VagrantfileMachine): string[] {
  if (spec.provider === "virtualbox") {
    return [
      `    node.vm.provider :virtualbox do |vb|`,
      `      vb.name = ${ruby(m.id)}`,
      `      vb.cpus = ${m.cpus}`,
      `      vb.memory = ${m.memoryMiB}`,
      `    end`,
    ];
  }
  const lv = spec.libvirt ?? {};
  return [
    `    node.vm.provider :libvirt do |lv|`,
    `      lv.default_prefix = ''`,
    `      lv.cpus = ${m.cpus}`,
    `      lv.memory = ${m.memoryMiB}`,
    ...(lv.driver ? [`      lv.driver = ${ruby(lv.driver)}`] : []),
    ...(lv.uri ? [`      lv.uri = ${ruby(lv.uri)}`] : []),
    ...(lv.kernel ? [`      lv.kernel = ${ruby(lv.kernel)}`] : []),
    ...(lv.initrd ? [`      lv.initrd = ${ruby(lv.initrd)}`] : []),
    ...(lv.cmdLine ? [`      lv.cmd_line = ${ruby(lv.cmdLine)}`] : []),
    ...(m.managementMac ? [`      lv.management_network_mac = ${ruby(m.managementMac)}`] : []),
    ...(m.qemuArgs ?? []).map((arg) => `      lv.qemuargs value: ${ruby(arg)}`),
    ...(m.serialLog ? [`      lv.serial type: 'file', source: { path: ${ruby(m.serialLog)} }`] : []),
    ...(lv.managementNetworkPciSlot
      ? [
          `      lv.memballoon_enabled = true`,
          `      lv.management_network_pci_bus = '0x00'`,
          `      lv.management_network_pci_slot = ${ruby(lv.managementNetworkPciSlot)}`,
        ]
      : []),
    `    end`,
  ];
}

/** The Vagrantfile text. */
export function renderVagrantfile(spec: VagrantfileSpec): string {
  const sshUser = spec.sshUsername ?? "vagrant";
  const network = (m: VagrantfileMachine): string =>
    [
      `    node.vm.network :private_network, ip: ${ruby(m.privateIp)}`,
      ...(spec.provider === "libvirt"
        ? [`libvirt__network_name: ${ruby(`h-${spec.runId}`)}`, `libvirt__forward_mode: 'none'`]
        : []),
      ...(spec.provider === "libvirt" && m.privateMac ? [`mac: ${ruby(m.privateMac)}`] : []),
      ...(spec.guestSelfConfigured ? ["auto_config: false"] : []),
    ].join(", ");
  const lines = [
    `# Generated by the harness for run ${spec.runId}; do not edit: \`harness cleanup --run ${spec.runId}\` destroys these machines.`,
    `Vagrant.configure('2') do |config|`,
    `  config.vm.synced_folder '.', '/vagrant', disabled: true`,
    `  config.vm.boot_timeout = ${spec.bootTimeoutS}`,
    `  config.ssh.insert_key = false`,
    `  config.ssh.private_key_path = [${spec.privateKeyPaths.map(ruby).join(", ")}]`,
    ...(spec.sshUsername ? [`  config.ssh.username = ${ruby(spec.sshUsername)}`] : []),
    ...(spec.sshSudoCommand ? [`  config.ssh.sudo_command = ${ruby(spec.sshSudoCommand)}`] : []),
    `  config.vm.provision 'harness-run-key', type: 'shell', privileged: true, inline: ${ruby(authorizeKeyScript(spec.authorizedKey, sshUser))}`,
  ];
  for (const m of spec.machines) {
    lines.push(
      ``,
      `  config.vm.define ${ruby(m.id)} do |node|`,
      `    node.vm.box = ${ruby(m.box.name)}`,
      `    node.vm.box_version = ${ruby(m.box.version)}`,
      `    node.vm.box_check_update = false`,
      ...(spec.guestSelfConfigured ? [] : [`    node.vm.hostname = ${ruby(m.hostname)}`]),
      network(m),
      ...providerBlock(spec, m),
      `  end`,
    );
  }
  lines.push(`end`, ``);
  return lines.join("\n");
}
