// A toolchain from Debian's .debs, extracted with dpkg-deb into a folder named by the debs' sha256s (no chroot, no root).
import { createHash } from "node:crypto";
import { access, mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { ExitCode, HarnessError } from "../errors.ts";
import { outputTail, runTool } from "../providers/run-tool.ts";
import { sha256File } from "../artifacts/sha256-file.ts";

/** Extracts `debs` side by side under `root/<hash>/` once; returns `<that>/<goroot>` after checking `bin/go` is there. */
export async function extractToolchain(
  debs: readonly string[],
  root: string,
  goroot: string,
): Promise<string> {
  const hash = createHash("sha256");
  for (const deb of debs) hash.update(await sha256File(deb));
  const dir = path.join(root, hash.digest("hex").slice(0, 16));
  const go = path.join(dir, goroot, "bin", "go");
  if (
    await access(go).then(
      () => true,
      () => false,
    )
  )
    return path.join(dir, goroot);
  const tmp = `${dir}.extract-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  for (const deb of debs) {
    const r = await runTool("dpkg-deb", ["-x", deb, tmp], { timeoutMs: 10 * 60_000 });
    if (r.missing !== undefined || r.exitCode !== 0) {
      await rm(tmp, { recursive: true, force: true });
      throw new HarnessError(
        "TOOLCHAIN_EXTRACT_FAILED",
        `dpkg-deb -x ${deb} failed: ${r.missing ?? outputTail(r.stderr, 4)}`,
        {
          hint: "dpkg-deb comes with dpkg (every Debian/Ubuntu host has it); check free disk space",
          exitCode: ExitCode.infra,
        },
      );
    }
  }
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
  if (
    !(await access(go).then(
      () => true,
      () => false,
    ))
  )
    throw new HarnessError(
      "TOOLCHAIN_INCOMPLETE",
      `the extracted toolchain has no ${path.join(goroot, "bin", "go")}`,
      {
        hint: "the pinned .debs do not hold the toolchain the recipe names: check harness/builds/kubernetes-recipe.ts",
        exitCode: ExitCode.infra,
      },
    );
  return path.join(dir, goroot);
}
