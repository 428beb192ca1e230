// Docker Engine: package names in the distro (docker.io) and in Docker's apt repository (docker-ce).

/** Ubuntu's and Debian's own Docker package. */
export const dockerDistroPackage = "docker.io";

/** Docker's repository packages: the engine, its CLI (same version) and containerd.io (any version). */
export const dockerRepositoryPackages = {
  engine: "docker-ce",
  cli: "docker-ce-cli",
  containerd: "containerd.io",
} as const;

/**
 * What Debian's docker.io needs beyond a base system and the node packages, from its control file (bullseye's
 * 20.10.5+dfsg1-1+deb11u2: libdevmapper1.02.1, containerd, runc, tini). A node of a release built here has no
 * mirror to resolve them from, so its image carries them.
 */
export const dockerEngineDependencies = ["containerd", "runc", "tini", "libdevmapper1.02.1"] as const;
