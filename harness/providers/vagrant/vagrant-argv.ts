// Argument vectors of the vagrant commands the provider runs (pure; the only place vagrant flags are spelled).

/** The Vagrant providers the harness drives. */
export type VagrantProviderName = "libvirt" | "virtualbox";

/** `vagrant up` of every machine of the project; only vagrant-libvirt brings machines up in parallel. */
export function upArgv(provider: VagrantProviderName): string[] {
  return [
    "up",
    `--provider=${provider}`,
    provider === "libvirt" ? "--parallel" : "--no-parallel",
    "--no-destroy-on-error",
    "--no-color",
  ];
}

/** `vagrant ssh-config` of every machine, read once after `up`. */
export function sshConfigArgv(): string[] {
  return ["ssh-config"];
}

/** `vagrant status --machine-readable` of every machine of the project. */
export function statusArgv(): string[] {
  return ["status", "--machine-readable"];
}

/** `vagrant destroy -f` of every machine of the project. */
export function destroyArgv(): string[] {
  return ["destroy", "-f"];
}

/** `vagrant --version`, e.g. `Vagrant 2.3.4`. */
export function versionArgv(): string[] {
  return ["--version"];
}

/** `vagrant plugin list`, to see whether vagrant-libvirt is installed. */
export function pluginListArgv(): string[] {
  return ["plugin", "list"];
}
