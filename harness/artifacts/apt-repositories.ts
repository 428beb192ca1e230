// Named apt repositories a scenario can pin packages from; the single place their URLs and keys live.

/** One apt repository: where its signed index is and which key signs it. */
export interface AptRepository {
  url: string;
  suite: string;
  component: string;
  /** URL of the signing key, or an absolute host path to a keyring. */
  key: string;
}

/** Repositories known by name. */
export const aptRepositories = {
  "debian-bullseye": {
    url: "http://deb.debian.org/debian",
    suite: "bullseye",
    component: "main",
    key: "/usr/share/keyrings/debian-archive-keyring.gpg",
  },
  "debian-bookworm": {
    url: "http://deb.debian.org/debian",
    suite: "bookworm",
    component: "main",
    key: "/usr/share/keyrings/debian-archive-keyring.gpg",
  },
  "debian-trixie": {
    url: "http://deb.debian.org/debian",
    suite: "trixie",
    component: "main",
    key: "/usr/share/keyrings/debian-archive-keyring.gpg",
  },
  "debian-sid": {
    url: "http://deb.debian.org/debian",
    suite: "sid",
    component: "main",
    key: "/usr/share/keyrings/debian-archive-keyring.gpg",
  },
  "docker-jammy": {
    url: "https://download.docker.com/linux/ubuntu",
    suite: "jammy",
    component: "stable",
    key: "https://download.docker.com/linux/ubuntu/gpg",
  },
  "docker-noble": {
    url: "https://download.docker.com/linux/ubuntu",
    suite: "noble",
    component: "stable",
    key: "https://download.docker.com/linux/ubuntu/gpg",
  },
  "ubuntu-noble": {
    url: "http://archive.ubuntu.com/ubuntu",
    suite: "noble",
    component: "main",
    key: "/usr/share/keyrings/ubuntu-archive-keyring.gpg",
  },
} as const satisfies Record<string, AptRepository>;

/** A repository name a scenario may use. */
export type AptRepositoryName = keyof typeof aptRepositories;

/** The names, for the schema's enum. */
export const aptRepositoryNames = Object.keys(aptRepositories) as [AptRepositoryName, ...AptRepositoryName[]];
