// `harness images list|build|fetch|verify`: the guest image cache (Debian images built locally, cloud images downloaded).
import type { Command } from "commander";
import { ExitCode, HarnessError, UsageError } from "../../errors.ts";
import { imagesDir } from "../../images/cache-dir.ts";
import { loadImageEntry } from "../../images/image-catalog.ts";
import { imageNames, type ImageName } from "../../images/image-names.ts";
import { ImageStore, type ImageStatus } from "../../images/image-store.ts";
import type { CliState } from "../main.ts";

/** Checks a command-line image name. */
function imageName(name: string): ImageName {
  if ((imageNames as readonly string[]).includes(name)) return name as ImageName;
  throw new UsageError(`unknown image "${name}"`, `known images: ${imageNames.join(", ")}`);
}

/** One status as a table row. */
export function formatImageStatus(s: ImageStatus): string {
  return `${s.name.padEnd(14)} ${s.kind.padEnd(15)} ${s.state.padEnd(8)} ${s.detail}\n${"".padEnd(15)}${s.dir}`;
}

/** Registers the command. */
export function registerImages(program: Command, state: CliState): void {
  const images = program
    .command("images")
    .description("list, build, fetch and verify guest images in the cache");
  const store = (): ImageStore =>
    new ImageStore({ imagesDir: imagesDir(), report: (line) => process.stderr.write(`${line}\n`) });
  const packages = (v: string, acc: string[]) => [...acc, v];

  images
    .command("list")
    .description("every image in the catalog with its cache state (presence only; `verify` hashes the files)")
    .action(async () => {
      const s = store();
      for (const name of imageNames)
        process.stdout.write(`${formatImageStatus(await s.status(name, [], true))}\n`);
    });

  images
    .command("build")
    .description("build a Debian image with images/debian/build-image.sh (needs root and debootstrap)")
    .argument("<name>", `one of ${imageNames.filter((n) => n.startsWith("debian")).join(", ")}`)
    .option("--package <name>", "an extra package (repeatable; part of the recipe hash)", packages, [])
    .action(async (name: string, opts: { package: string[] }) => {
      const image = imageName(name);
      if ((await loadImageEntry(image)).kind !== "debian-build") {
        throw new UsageError(`${image} is downloaded, not built`, `run \`harness images fetch ${image}\``);
      }
      const s = store();
      await s.ensure(image, opts.package);
      process.stdout.write(`${formatImageStatus(await s.status(image, opts.package))}\n`);
    });

  images
    .command("fetch")
    .description("download a cloud image and verify it against its SHA256SUMS (resumes a partial download)")
    .argument("<name>", `one of ${imageNames.filter((n) => n.startsWith("ubuntu")).join(", ")}`)
    .action(async (name: string) => {
      const image = imageName(name);
      if ((await loadImageEntry(image)).kind !== "cloud-download") {
        throw new UsageError(
          `${image} is built locally, not downloaded`,
          `run \`harness images build ${image}\``,
        );
      }
      const s = store();
      await s.ensure(image);
      process.stdout.write(`${formatImageStatus(await s.status(image))}\n`);
    });

  images
    .command("verify")
    .description("recompute the sha256 of every cached file and compare with what was recorded")
    .argument("[names...]", "images to verify (default: every image in the cache)")
    .option("--package <name>", "extra packages of the Debian build to verify (repeatable)", packages, [])
    .action(async (names: string[], opts: { package: string[] }) => {
      const s = store();
      const selected = names.length > 0 ? names.map(imageName) : [...imageNames];
      const bad: string[] = [];
      let shown = 0;
      for (const name of selected) {
        const status = await s.status(name, opts.package);
        if (names.length === 0 && status.state === "missing") continue;
        shown++;
        process.stdout.write(`${formatImageStatus(status)}\n`);
        if (status.state !== "ready") bad.push(name);
      }
      if (shown === 0)
        process.stdout.write("no image in the cache yet: `harness images build debian-13` builds one\n");
      if (bad.length > 0) {
        throw new HarnessError("IMAGE_VERIFY_FAILED", `not intact: ${bad.join(", ")}`, {
          hint: `rebuild or fetch again: ${bad.map((b) => `\`harness images ${b.startsWith("ubuntu") ? "fetch" : "build"} ${b}\``).join(", ")}`,
          exitCode: ExitCode.infra,
        });
      }
      state.exitCode = ExitCode.ok;
    });
}
