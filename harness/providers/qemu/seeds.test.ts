import { mkdtemp, readFile, readlink, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { execa } from "execa";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cloudNetworkConfig, cloudUserData, writeCloudSeed, type CloudSeedSpec } from "./cloud-init-seed.ts";
import { writeDebianSeed } from "./debian-seed.ts";
import { privateRoutesUnitText } from "./guest-network.ts";

const makeSeed = resolve(import.meta.dirname, "../../../images/debian/make-seed.sh");
const peers = [
  { name: "cp", ip: "10.200.0.11" },
  { name: "worker", ip: "10.200.0.12" },
];
const cloudSpec: CloudSeedSpec = {
  instanceId: "h-20261123-184212-3f9a1c-cp",
  hostname: "cp",
  authorizedKey: "ssh-ed25519 AAAAC3Nz run",
  hostKey: {
    privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nxx\n-----END OPENSSH PRIVATE KEY-----\n",
    publicKey: "ssh-ed25519 AAAAhost",
  },
  privateIp: "10.200.0.11",
  privateMac: "52:54:00:c8:00:0b",
  peers,
  files: [{ path: "/etc/harness/marker", content: "x\n", mode: 0o600 }],
};

describe("guest seeds", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "seeds-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("routes every private range onto the private NIC", () => {
    const unit = privateRoutesUnitText("eth1");
    for (const r of ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"])
      expect(unit).toContain(`ip route replace ${r} dev eth1`);
    expect(unit).toContain("WantedBy=sysinit.target");
  });

  it("packs a Debian seed with images/debian/make-seed.sh (real script)", async () => {
    const seedDir = join(dir, "debian");
    const tar = join(dir, "seed.tar");
    await writeDebianSeed(
      {
        hostname: "cp",
        authorizedKey: "ssh-ed25519 AAAAC3Nz run",
        privateIp: "10.200.0.11",
        privateMac: "52:54:00:c8:00:0b",
        peers,
        files: [{ path: "/etc/harness/marker", content: "x\n", mode: 0o600 }],
      },
      seedDir,
      tar,
      makeSeed,
    );
    expect(await readFile(join(seedDir, "network"), "utf8")).toBe(
      "PRIV_ADDR=10.200.0.11/24\nPRIV_MAC=52:54:00:c8:00:0b\n",
    );
    expect(await readFile(join(seedDir, "hosts"), "utf8")).toBe("10.200.0.11\tcp\n10.200.0.12\tworker\n");
    expect((await stat(join(seedDir, "files/etc/harness/marker"))).mode & 0o777).toBe(0o600);
    expect(
      await readlink(
        join(seedDir, "files/etc/systemd/system/sysinit.target.wants/harness-private-routes.service"),
      ),
    ).toBe("/etc/systemd/system/harness-private-routes.service");
    const listing = (await execa("tar", ["-tf", tar])).stdout.split("\n");
    expect(listing).toEqual(
      expect.arrayContaining(["./hostname", "./authorized_keys", "./network", "./files/etc/harness/marker"]),
    );
  });

  it("renders cloud-init user data with the root key, pinned host key and files", () => {
    const text = cloudUserData(cloudSpec);
    expect(text.startsWith("#cloud-config\n")).toBe(true);
    const data = parse(text) as Record<string, unknown>;
    expect(data).toMatchObject({
      hostname: "cp",
      disable_root: false,
      ssh_authorized_keys: ["ssh-ed25519 AAAAC3Nz run"],
      ssh_keys: { ed25519_public: "ssh-ed25519 AAAAhost" },
    });
    expect(data.write_files).toEqual(
      expect.arrayContaining([{ path: "/etc/harness/marker", content: "x\n", permissions: "0600" }]),
    );
  });

  it("renders network config v2 with the static private address and on-link private routes", () => {
    const net = parse(cloudNetworkConfig(cloudSpec)) as {
      ethernets: Record<string, Record<string, unknown>>;
    };
    expect(net.ethernets.private).toMatchObject({
      match: { macaddress: "52:54:00:c8:00:0b" },
      addresses: ["10.200.0.11/24"],
      routes: [
        { to: "10.0.0.0/8", scope: "link" },
        { to: "172.16.0.0/12", scope: "link" },
        { to: "192.168.0.0/16", scope: "link" },
      ],
    });
    expect(net.ethernets.user).toMatchObject({ dhcp4: true });
  });

  it("builds a NoCloud ISO labelled cidata with genisoimage (real tool)", async () => {
    const iso = join(dir, "seed.iso");
    await writeCloudSeed(cloudSpec, join(dir, "cloud"), iso);
    const header = await readFile(iso);
    // ISO 9660 primary volume descriptor: volume id at offset 32768 + 40.
    expect(header.subarray(32768 + 40, 32768 + 46).toString("ascii")).toBe("cidata");
  });
});
