// The cloud-init user data multipass launches an instance with: hostname, the run's SSH key for root, a pinned host key.
import { cloudAccessConfig } from "../cloud-init-access.ts";
import { stringify } from "yaml";

/** An SSH host key pair handed to cloud-init, so the transport can pin the public half. */
export interface HostKeyPair {
  /** OpenSSH private key text. */
  privateKey: string;
  /** `ssh-ed25519 AAAA... comment`. */
  publicKey: string;
}

/** What goes into one instance's user data. */
export interface UserDataSpec {
  hostname: string;
  /** The run's public key (`ssh-ed25519 AAAA...`), authorized for root and the default user. */
  authorizedKey: string;
  hostKey: HostKeyPair;
}

/**
 * Renders `#cloud-config` user data. `disable_root: false` makes cloud-init put the key into root's
 * authorized_keys without its "login as ubuntu" command prefix; password login stays off.
 */
export function multipassUserData(spec: UserDataSpec): string {
  const config = cloudAccessConfig(spec);
  return `#cloud-config\n${stringify(config, { lineWidth: 0 })}`;
}
