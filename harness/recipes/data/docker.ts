// Docker Engine: package names in the distro (docker.io) and in Docker's apt repository (docker-ce).

/** Ubuntu's and Debian's own Docker package. */
export const dockerDistroPackage = "docker.io";

/** Docker's repository packages: the engine, its CLI (same version) and containerd.io (any version). */
export const dockerRepositoryPackages = {
  engine: "docker-ce",
  cli: "docker-ce-cli",
  containerd: "containerd.io",
} as const;
