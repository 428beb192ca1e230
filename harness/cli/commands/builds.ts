// `harness builds list|build|verify`: Kubernetes built from Debian's source, its container images and the runc builds, in the cache.
import type { Command } from "commander";
import { defaultCacheDir } from "../../artifacts/cache-dir.ts";
import { ExitCode, HarnessError, UsageError } from "../../errors.ts";
import type { BuildStatus } from "../../builds/build-record.ts";
import { containerImages1202 } from "../../builds/container-images-recipe.ts";
import { containerImagesStatus, ensureContainerImages } from "../../builds/container-images.ts";
import {
  cachedKubernetesBuild,
  ensureKubernetesBuild,
  kubernetesBuildDir,
  kubernetesBuildStatus,
} from "../../builds/kubernetes-build.ts";
import { kubernetes1202 } from "../../builds/kubernetes-recipe.ts";
import { ensureNodePayload } from "../../builds/node-payload.ts";
import { ensureRuncBuild, runcBuildStatus } from "../../builds/runc-build.ts";
import { runcBuildRecipes } from "../../builds/runc-build-recipe.ts";
import { watchInterrupts } from "../../runner/interrupt.ts";
import type { CliState } from "../main.ts";

const targets = ["kubernetes", "images", "payload", "runc"] as const;
type Target = (typeof targets)[number];

function target(name: string): Target {
  if ((targets as readonly string[]).includes(name)) return name as Target;
  throw new UsageError(`unknown build "${name}"`, `builds: ${targets.join(", ")}`);
}

/** One status as a table row. */
function row(name: string, s: BuildStatus): string {
  const seconds = s.record?.seconds.total;
  return `${name.padEnd(22)} ${s.state.padEnd(8)} ${s.detail}${seconds === undefined ? "" : `, built in ${seconds} s`}\n${"".padEnd(23)}${s.dir}`;
}

/** Registers the command. */
export function registerBuilds(program: Command, state: CliState): void {
  const builds = program
    .command("builds")
    .description(
      "Kubernetes v1.20.2 built on this host from Debian's signed source archive, its container images, and runc builds from Debian's runc source trees",
    );
  const report = (line: string) => process.stderr.write(`${line}\n`);
  const cacheDir = () => defaultCacheDir();

  const statuses = async (quick: boolean): Promise<[string, BuildStatus][]> => {
    const out: [string, BuildStatus][] = [];
    const k8s = await kubernetesBuildStatus(kubernetes1202, cacheDir(), quick);
    out.push([`kubernetes ${kubernetes1202.version}`, k8s]);
    const build = k8s.state === "ready" ? await cachedKubernetesBuild(kubernetes1202, cacheDir()) : null;
    if (build !== null) {
      out.push([
        `images ${kubernetes1202.version}`,
        await containerImagesStatus(build, containerImages1202(), cacheDir(), quick),
      ]);
    } else {
      out.push([
        `images ${kubernetes1202.version}`,
        {
          state: "missing",
          dir: "(after the kubernetes build)",
          detail: "needs the kubernetes build",
          record: null,
        },
      ]);
    }
    for (const recipe of Object.values(runcBuildRecipes))
      out.push([recipe.name, await runcBuildStatus(recipe, cacheDir(), quick)]);
    return out;
  };

  builds
    .command("list")
    .description("each build with its cache state (presence only; `verify` hashes the files)")
    .action(async () => {
      for (const [name, s] of await statuses(true)) process.stdout.write(`${row(name, s)}\n`);
    });

  builds
    .command("build")
    .description(
      "build what is missing (kubernetes: ~20 min cold on 2 cores; images: under a minute; runc: about a minute a Debian suite, needs root); a warm call builds nothing",
    )
    .argument("[what...]", `${targets.join(", ")} (default: all)`)
    .action(async (what: string[]) => {
      const selected = what.length > 0 ? what.map(target) : [...targets];
      // SIGINT/SIGTERM stop the build: its work folder is removed and no half-built entry is recorded.
      const interrupts = watchInterrupts(
        (sig) =>
          report(`${sig}: stopping the build, removing its work folder (send ${sig} again to exit at once)`),
        () => process.exit(ExitCode.aborted),
      );
      try {
        const options = { cacheDir: cacheDir(), report, signal: interrupts.signal };
        if (selected.some((t) => t !== "runc")) {
          const build = await ensureKubernetesBuild(kubernetes1202, options);
          if (selected.includes("images")) await ensureContainerImages(build, containerImages1202(), options);
        }
        if (selected.includes("payload")) {
          const payload = await ensureNodePayload("kubernetes-v1.20.2", options);
          process.stdout.write(`payload ${payload.key}: ${payload.dir}\n`);
        }
        if (selected.includes("runc"))
          for (const recipe of Object.values(runcBuildRecipes)) await ensureRuncBuild(recipe, options);
      } finally {
        interrupts.dispose();
      }
      for (const [name, s] of await statuses(false)) process.stdout.write(`${row(name, s)}\n`);
    });

  builds
    .command("verify")
    .description("recompute the sha256 of every built file and compare with what was recorded")
    .action(async () => {
      const all = await statuses(false);
      for (const [name, s] of all) process.stdout.write(`${row(name, s)}\n`);
      const bad = all.filter(([, s]) => s.state === "corrupt");
      if (bad.length > 0)
        throw new HarnessError("BUILD_VERIFY_FAILED", `not intact: ${bad.map(([n]) => n).join(", ")}`, {
          hint: `run \`harness builds build\`: a corrupt entry is rebuilt (or remove ${await kubernetesBuildDir(kubernetes1202, cacheDir())})`,
          exitCode: ExitCode.infra,
        });
      state.exitCode = ExitCode.ok;
    });
}
