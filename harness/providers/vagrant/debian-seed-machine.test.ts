import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KernelBootImage } from "../../images/boot-image.ts";
import type { MachinePlan } from "../../plan/plan.ts";
import { debianSeedPreparer, managementMacFor, privateMacFor } from "./debian-seed-machine.ts";

const makeSeed = resolve(import.meta.dirname, "../../../images/debian/make-seed.sh");
const worker: MachinePlan = {
  name: "worker",
  role: "worker",
  cpus: 1,
  memoryMiB: 1024,
  diskGiB: 4,
  image: "debian-13",
  imagePackages: [],
  imagePayload: null,
  kernelArgs: [],
  outbound: "debian-mirror",
  privateIp: "10.10.0.12",
};

describe("Debian seeds for vagrant-libvirt (real images/debian/make-seed.sh)", () => {
  let runDir = "";
  beforeAll(async () => {
    runDir = await mkdtemp(join(tmpdir(), "vagrant-seed-"));
  });
  afterAll(async () => {
    await rm(runDir, { recursive: true, force: true });
  });

  it.each([
    { index: 0, management: "52:54:00:4d:00:01", private: "52:54:00:50:00:01" },
    { index: 15, management: "52:54:00:4d:00:10", private: "52:54:00:50:00:10" },
  ])("derives stable MACs for machine $index", ({ index, management, private: priv }) => {
    expect([managementMacFor(index), privateMacFor(index)]).toEqual([management, priv]);
  });

  it("writes and packs the seed, and hands QEMU the fw_cfg arguments", async () => {
    const image = { kind: "kernel", makeSeed } as KernelBootImage;
    const extras = await debianSeedPreparer(image)(worker, {
      runId: "20261123-184212-3f9a1c",
      runDir,
      index: 1,
      publicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIRunKey harness-run\n",
    });
    const tar = join(runDir, "providers", "vagrant", "seeds", "worker.tar");
    expect(extras).toEqual({
      managementMac: "52:54:00:4d:00:02",
      privateMac: "52:54:00:50:00:02",
      qemuArgs: ["-fw_cfg", `name=opt/harness/seed,file=${tar}`],
    });
    expect((await stat(tar)).mode & 0o777).toBe(0o644);
    const listing = execFileSync("tar", ["-tvf", tar], { encoding: "utf8" });
    expect(listing).toContain(
      "./files/etc/systemd/system/multi-user.target.wants/harness-dhcp.service -> /etc/systemd/system/harness-dhcp.service",
    );
    expect(listing).toMatch(/-rwxr-xr-x 0\/0 +\d+ [\d-]+ [\d:]+ \.\/files\/etc\/harness-udhcpc\.sh/);
    const seed = join(runDir, "providers", "vagrant", "seeds", "worker");
    expect(await readFile(join(seed, "network"), "utf8")).toBe(
      "USER_MAC=52:54:00:4d:00:02\nPRIV_MAC=52:54:00:50:00:02\nPRIV_ADDR=10.10.0.12/24\n",
    );
    expect(await readFile(join(seed, "authorized_keys"), "utf8")).toBe(
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIRunKey harness-run\n",
    );
    expect(() => execFileSync("sh", ["-n", join(seed, "files", "etc", "harness-udhcpc.sh")])).not.toThrow();
  });
});
