// Imports the container images into a containerd state folder on the host, with the guest's own containerd binary
// (from its verified .deb), so that a node boots with its images already in containerd: importing them inside a TCG
// guest took 157-180 s a node (sha256 and unpacking under emulation); on the host it takes about 10 s.
import { access, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import { ExitCode, HarnessError } from "../errors.ts";
import { outputTail, runTool } from "../providers/run-tool.ts";

/** Mounts under `dir` (there must be none once containerd has stopped). */
async function mountsUnder(dir: string): Promise<string[]> {
  const text = await readFile("/proc/mounts", "utf8");
  return text
    .split("\n")
    .map((l) => l.split(" ")[1] ?? "")
    .filter((m) => m === dir || m.startsWith(`${dir}/`));
}

async function waitFor(file: string, deadlineMs: number): Promise<boolean> {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    if (
      await access(file).then(
        () => true,
        () => false,
      )
    )
      return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/**
 * Writes `<out>/var/lib/containerd` holding `archives` in namespace k8s.io, unpacked for the overlayfs snapshotter,
 * by running the containerd of `containerdDeb` on the host with its CRI plugin off and a private socket and state.
 * Needs root (containerd mounts each layer while unpacking it); checks that no mount is left behind.
 */
export async function preloadContainerd(
  containerdDeb: string,
  archives: readonly string[],
  out: string,
  signal?: AbortSignal,
): Promise<{ seconds: number }> {
  const started = Date.now();
  // A short private folder: a unix socket's path must fit in 108 bytes.
  const work = await mkdtemp(path.join(tmpdir(), "hctrd-"));
  const bin = path.join(work, "deb");
  const root = path.join(out, "var", "lib", "containerd");
  const state = path.join(work, "state");
  await mkdir(root, { recursive: true });
  await mkdir(state, { recursive: true });
  const fail = (what: string): HarnessError =>
    new HarnessError("CONTAINERD_PRELOAD_FAILED", `preloading images into containerd on the host: ${what}`, {
      hint: "it needs root (containerd mounts layers while unpacking them); read the log lines above, or run `harness builds build` to see it alone",
      exitCode: ExitCode.infra,
    });
  const x = await runTool("dpkg-deb", ["-x", containerdDeb, bin], { timeoutMs: 120_000 });
  if (x.missing !== undefined || x.exitCode !== 0)
    throw fail(`dpkg-deb -x ${containerdDeb}: ${x.missing ?? outputTail(x.stderr, 3)}`);
  const socket = path.join(state, "containerd.sock");
  const config = path.join(work, "config.toml");
  await writeFile(
    config,
    [
      "version = 2",
      `root = ${JSON.stringify(root)}`,
      `state = ${JSON.stringify(state)}`,
      'disabled_plugins = ["io.containerd.grpc.v1.cri"]',
      "[grpc]",
      `  address = ${JSON.stringify(socket)}`,
      "",
    ].join("\n"),
  );
  const daemon = execa(path.join(bin, "usr/bin/containerd"), ["--config", config], {
    reject: false,
    stdin: "ignore",
    all: true,
    ...(signal === undefined ? {} : { cancelSignal: signal }),
    forceKillAfterDelay: 5_000,
  });
  let failure: unknown = null;
  try {
    if (!(await waitFor(socket, 30_000))) throw fail(`containerd did not open ${socket} within 30 s`);
    for (const archive of archives) {
      const r = await runTool(
        path.join(bin, "usr/bin/ctr"),
        ["--address", socket, "--namespace", "k8s.io", "images", "import", archive],
        { timeoutMs: 300_000, ...(signal === undefined ? {} : { signal }) },
      );
      if (r.missing !== undefined || r.exitCode !== 0)
        throw fail(
          `ctr images import ${path.basename(archive)}: ${r.missing ?? outputTail(r.stderr || r.stdout, 4)}`,
        );
    }
  } catch (err) {
    failure = err;
  }
  daemon.kill("SIGTERM");
  const ended = await daemon;
  const left = await mountsUnder(root);
  for (const m of left.reverse()) await runTool("umount", ["-l", m], { timeoutMs: 30_000 });
  await rm(work, { recursive: true, force: true });
  await rm(path.join(root, "tmpmounts"), { recursive: true, force: true });
  if (failure instanceof Error) throw failure;
  if (failure !== null) throw fail("the import stopped without an error object");
  if (left.length > 0)
    throw fail(
      `containerd left ${left.length} mount(s) under ${root} (removed): ${left.join(", ")}; log: ${outputTail(ended.all ?? "", 4)}`,
    );
  return { seconds: Math.round((Date.now() - started) / 1000) };
}
