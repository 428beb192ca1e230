// Writes the per-machine seed of the Debian images (hostname, SSH key, private-NIC address, hosts, files) and packs it with make-seed.sh.
import { chmod, mkdir, rm, symlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { ExitCode, HarnessError } from "../../errors.ts";
import { outputTail, runTool } from "../run-tool.ts";
import {
  peerHostsLines,
  privateRoutesUnit,
  privateRoutesUnitText,
  privateSegmentPrefix,
  type PeerHost,
} from "./guest-network.ts";

/** A file the seed drops into the guest's root filesystem. */
export interface SeedFile {
  /** Absolute path in the guest. */
  path: string;
  content: string;
  mode: number;
}

/** Everything one Debian guest's seed holds. */
export interface DebianSeedSpec {
  hostname: string;
  authorizedKey: string;
  privateIp: string;
  privateMac: string;
  peers: PeerHost[];
  files: SeedFile[];
}

/** Writes the seed folder `dir` (format of images/debian/make-seed.sh) and packs it into `out` (a tar for fw_cfg). */
export async function writeDebianSeed(
  spec: DebianSeedSpec,
  dir: string,
  out: string,
  makeSeed: string,
): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "hostname"), `${spec.hostname}\n`);
  await writeFile(join(dir, "authorized_keys"), `${spec.authorizedKey.trim()}\n`);
  await writeFile(
    join(dir, "network"),
    `PRIV_ADDR=${spec.privateIp}/${privateSegmentPrefix}\nPRIV_MAC=${spec.privateMac}\n`,
  );
  await writeFile(join(dir, "hosts"), peerHostsLines(spec.peers));
  const files: SeedFile[] = [
    { path: `/etc/systemd/system/${privateRoutesUnit}`, content: privateRoutesUnitText("eth1"), mode: 0o644 },
    ...spec.files,
  ];
  for (const f of files) {
    const target = join(dir, "files", f.path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, f.content);
    await chmod(target, f.mode);
  }
  const wants = join(dir, "files", "etc/systemd/system/sysinit.target.wants");
  await mkdir(wants, { recursive: true });
  await symlink(`/etc/systemd/system/${privateRoutesUnit}`, join(wants, privateRoutesUnit));
  const r = await runTool(makeSeed, [dir, out], { timeoutMs: 60_000 });
  if (r.missing !== undefined || r.exitCode !== 0) {
    throw new HarnessError(
      "SEED_FAILED",
      `could not pack the seed of ${spec.hostname}: ${r.missing ?? outputTail(r.stderr)}`,
      {
        hint: `check ${makeSeed} and the seed folder ${dir}`,
        exitCode: ExitCode.infra,
      },
    );
  }
}
