// Renders the cloud-init NoCloud seed of a cloud image (user-data, meta-data, network-config) and builds the `cidata` ISO.
import { cloudAccessConfig } from "../cloud-init-access.ts";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stringify } from "yaml";
import { ExitCode, HarnessError } from "../../errors.ts";
import { outputTail, runTool } from "../run-tool.ts";
import type { SeedFile } from "./debian-seed.ts";
import { peerHostsLines, privateSegmentPrefix, type PeerHost } from "./guest-network.ts";
import { privateRanges, userMac } from "./private-segment.ts";

/** Everything one cloud-image guest's seed holds. */
export interface CloudSeedSpec {
  instanceId: string;
  hostname: string;
  authorizedKey: string;
  hostKey: { privateKey: string; publicKey: string };
  privateIp: string;
  privateMac: string;
  peers: PeerHost[];
  files: SeedFile[];
}

/** `#cloud-config` user data: root key, pinned host key, /etc/hosts entries, files. */
export function cloudUserData(spec: CloudSeedSpec): string {
  const config = {
    ...cloudAccessConfig(spec),
    write_files: [
      { path: "/etc/cloud/templates/hosts.debian.tmpl", append: true, content: peerHostsLines(spec.peers) },
      ...spec.files.map((f) => ({ path: f.path, content: f.content, permissions: `0${f.mode.toString(8)}` })),
    ],
  };
  return `#cloud-config\n${stringify(config, { lineWidth: 0 })}`;
}

/** NoCloud meta-data. */
export function cloudMetaData(spec: CloudSeedSpec): string {
  return stringify({ "instance-id": spec.instanceId, "local-hostname": spec.hostname });
}

/**
 * Network config v2: DHCP on the user-mode NIC, a static address on the private NIC, and the private ranges
 * routed on-link onto the private NIC so they never leave through the user-mode one.
 */
export function cloudNetworkConfig(spec: CloudSeedSpec): string {
  return stringify({
    version: 2,
    ethernets: {
      user: { match: { macaddress: userMac }, "set-name": "eth0", dhcp4: true },
      private: {
        match: { macaddress: spec.privateMac },
        "set-name": "eth1",
        addresses: [`${spec.privateIp}/${privateSegmentPrefix}`],
        routes: privateRanges.map((to) => ({ to, scope: "link" })),
      },
    },
  });
}

/** Writes the three files into `dir` and builds the ISO (volume id `cidata`) at `out` with genisoimage. */
export async function writeCloudSeed(spec: CloudSeedSpec, dir: string, out: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "user-data"), cloudUserData(spec));
  await writeFile(join(dir, "meta-data"), cloudMetaData(spec));
  await writeFile(join(dir, "network-config"), cloudNetworkConfig(spec));
  const r = await runTool(
    "genisoimage",
    [
      "-quiet",
      "-output",
      out,
      "-volid",
      "cidata",
      "-joliet",
      "-rock",
      "user-data",
      "meta-data",
      "network-config",
    ],
    { timeoutMs: 60_000, cwd: dir },
  );
  if (r.missing !== undefined || r.exitCode !== 0) {
    throw new HarnessError(
      "SEED_FAILED",
      `could not build the cloud-init seed of ${spec.hostname}: ${r.missing ?? outputTail(r.stderr)}`,
      {
        hint: "install genisoimage: apt-get install genisoimage",
        exitCode: ExitCode.infra,
      },
    );
  }
}
