// Benchmark: per-command overhead of `true` on a Debian 13 guest over (1) the transport's kept ssh2 connection,
// (2) a fresh `ssh` process per command, (3) OpenSSH with ControlMaster. Prints median/p10/p90 in ms.
// Usage: node --import tsx bench/transport-overhead.ts [--count 200] [--local]
//   --local: against a throwaway sshd on 127.0.0.1 instead of a guest (needs openssh-server).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import type { SshEndpoint } from "../harness/providers/provider.ts";
import { startLocalSshd } from "../harness/transport/local-sshd.ts";
import { KnownHosts, knownHostsPattern, normalizePublicKey } from "../harness/transport/ssh-keys.ts";
import { connectSsh } from "../harness/transport/ssh-transport.ts";
import { bootGuests, loadAverage, summarize } from "./bench-guest.ts";

const args = process.argv.slice(2);
const count = Number(args[args.indexOf("--count") + 1] ?? 200) || 200;
const local = args.includes("--local");

async function time(n: number, fn: () => Promise<void>): Promise<number[]> {
  for (let i = 0; i < 3; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return samples;
}

function line(name: string, samples: number[]): string {
  const s = summarize(samples);
  return `${name.padEnd(34)} median ${s.median.toFixed(1).padStart(7)} ms   p10 ${s.p10.toFixed(1).padStart(7)}   p90 ${s.p90.toFixed(1).padStart(7)}   n=${s.n}`;
}

const work = await mkdtemp(join(tmpdir(), "bench-transport-"));
let endpoint: SshEndpoint & { hostKey: string };
let teardown: () => Promise<void>;
if (local) {
  const sshd = await startLocalSshd(join(work, "sshd"));
  endpoint = sshd.endpoint;
  teardown = () => sshd.stop();
} else {
  const run = await bootGuests(1);
  const m = run.machines[0];
  if (m?.ssh.hostKey === undefined) throw new Error("the guest has no pinned host key");
  endpoint = { ...m.ssh, hostKey: m.ssh.hostKey };
  teardown = () => run.destroy();
}
try {
  const knownHostsFile = join(work, "known_hosts");
  const knownHosts = new KnownHosts(knownHostsFile);
  await knownHosts.pin(endpoint.host, endpoint.port, endpoint.hostKey);
  const target = local ? `${endpoint.user} on a local sshd` : "a Debian 13 guest (TCG)";
  process.stdout.write(
    `per-command overhead of \`true\` on ${target}; load average ${await loadAverage()}\n`,
  );

  const transport = await connectSsh({ endpoint, name: "bench", knownHosts, connectTimeoutMs: 30_000 });
  const kept = await time(count, async () => {
    const r = await transport.exec("true", { timeoutMs: 30_000 });
    if (r.exitCode !== 0) throw new Error(`true failed: ${r.stderr}`);
  });
  process.stdout.write(`${line("kept ssh2 connection (transport)", kept)}\n`);
  // The floor no SSH client can beat: sshd starts the user's shell for every command; time that start in the machine.
  const floor = await transport.exec(
    "n=50; s=$(date +%s%N); for i in $(seq $n); do bash -c true; done; e=$(date +%s%N); echo $(( (e - s) / n / 1000 ))",
    { timeoutMs: 300_000 },
  );
  const floorMs = Number(floor.stdout.trim()) / 1000;
  process.stdout.write(
    `${"floor: `bash -c true` on the machine".padEnd(34)} mean   ${floorMs.toFixed(1).padStart(7)} ms   (n=50, timed on the machine)\n`,
  );
  await transport.close();

  const sshBase = [
    "-p",
    String(endpoint.port),
    "-i",
    endpoint.privateKeyPath,
    "-o",
    "IdentitiesOnly=yes",
    "-o",
    "BatchMode=yes",
    "-o",
    `UserKnownHostsFile=${knownHostsFile}`,
    "-o",
    "StrictHostKeyChecking=yes",
    "-o",
    "LogLevel=ERROR",
  ];
  const dest = `${endpoint.user}@${endpoint.host}`;
  const controlPath = join(work, "cm.sock");
  const cm = ["-o", `ControlPath=${controlPath}`];
  await execa("ssh", [
    ...sshBase,
    ...cm,
    "-o",
    "ControlMaster=yes",
    "-o",
    "ControlPersist=600",
    "-N",
    "-f",
    dest,
  ]);
  const master = await time(count, async () => {
    await execa("ssh", [...sshBase, ...cm, "-o", "ControlMaster=no", dest, "true"]);
  });
  process.stdout.write(`${line("OpenSSH ControlMaster (ssh per cmd)", master)}\n`);
  await execa("ssh", [...cm, "-O", "exit", dest], { reject: false });

  const fresh = await time(count, async () => {
    await execa("ssh", [...sshBase, dest, "true"]);
  });
  process.stdout.write(`${line("fresh ssh process per command", fresh)}\n`);
  process.stdout.write(
    `(known_hosts entry: ${knownHostsPattern(endpoint.host, endpoint.port)} ${normalizePublicKey(endpoint.hostKey).slice(0, 30)}...)\n`,
  );
} finally {
  await teardown();
  await rm(work, { recursive: true, force: true });
}
