// Argument vectors of the multipass commands the provider runs (pure; the only place multipass flags are spelled).

/** What `multipass launch` needs for one instance. */
export interface LaunchSpec {
  name: string;
  /** A pinned alias such as `24.04`. */
  image: string;
  cpus: number;
  memoryMiB: number;
  diskGiB: number;
  cloudInitPath: string;
  /** Seconds multipass waits for the instance and cloud-init before giving up. */
  timeoutS: number;
}

/** `multipass launch` of one instance with our cloud-init user data. */
export function launchArgv(spec: LaunchSpec): string[] {
  return [
    "launch",
    spec.image,
    "--name",
    spec.name,
    "--cpus",
    String(spec.cpus),
    "--memory",
    `${spec.memoryMiB}M`,
    "--disk",
    `${spec.diskGiB}G`,
    "--cloud-init",
    spec.cloudInitPath,
    "--timeout",
    String(spec.timeoutS),
  ];
}

/** `multipass info` of some instances, as JSON. */
export function infoArgv(names: readonly string[]): string[] {
  return ["info", "--format", "json", ...names];
}

/** `multipass list` of every instance, as JSON. */
export function listArgv(): string[] {
  return ["list", "--format", "json"];
}

/** `multipass delete --purge` of some instances (no recovery). */
export function deleteArgv(names: readonly string[]): string[] {
  return ["delete", "--purge", ...names];
}

/** `multipass version`: client and daemon versions, as text. */
export function versionArgv(): string[] {
  return ["version"];
}
