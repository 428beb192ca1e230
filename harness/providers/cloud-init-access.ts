// The part of `#cloud-config` every provider that boots a cloud image needs: hostname, the run's key, a pinned host key.

/** What cloud-init needs to make a machine reachable by the harness. */
export interface CloudAccess {
  hostname: string;
  /** The run's public key (`ssh-ed25519 AAAA...`), authorized for root. */
  authorizedKey: string;
  hostKey: { privateKey: string; publicKey: string };
}

/**
 * cloud-config keys for SSH access: `disable_root: false` puts the key into root's authorized_keys without cloud-init's
 * "login as ubuntu" prefix; password login stays off; the generated host keys are replaced by the pinned one.
 */
export function cloudAccessConfig(access: CloudAccess): Record<string, unknown> {
  return {
    hostname: access.hostname,
    manage_etc_hosts: true,
    disable_root: false,
    ssh_pwauth: false,
    ssh_authorized_keys: [access.authorizedKey.trim()],
    ssh_deletekeys: true,
    ssh_keys: {
      ed25519_private: access.hostKey.privateKey.trimEnd() + "\n",
      ed25519_public: access.hostKey.publicKey.trim(),
    },
  };
}
