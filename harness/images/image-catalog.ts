// The image catalog: images/<name>.yaml files, validated with zod, saying how each guest image is built or fetched.
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import { ExitCode, HarnessError } from "../errors.ts";
import { kernelArg } from "../scenario/identifiers.ts";
import { imageNames, type ImageName } from "./image-names.ts";

/** A Debian image built locally by images/debian/build-image.sh. */
const debianBuildSchema = z.object({
  name: z.enum(imageNames),
  kind: z.literal("debian-build"),
  suite: z.string().regex(/^[a-z]+$/),
  mirror: z.url(),
  packages: z.array(z.string().regex(/^[a-z0-9][a-z0-9+.:=~-]*$/)).default([]),
  /** Kernel arguments the image boots with, after the harness's own (e.g. cgroup v1 on a v2-default systemd). */
  kernelArgs: z.array(kernelArg).default([]),
  /** Size of the root filesystem (sparse qcow2). */
  diskSize: z
    .string()
    .regex(/^\d+G$/)
    .default("4G"),
});

/** A cloud image downloaded and checked against a SHA256SUMS file. */
const cloudDownloadSchema = z.object({
  name: z.enum(imageNames),
  kind: z.literal("cloud-download"),
  url: z.url(),
  checksums: z.url(),
});

/** One catalog entry. */
export const imageEntrySchema = z.discriminatedUnion("kind", [debianBuildSchema, cloudDownloadSchema]);

/** One catalog entry, as parsed. */
export type ImageEntry = z.infer<typeof imageEntrySchema>;
/** A Debian build entry. */
export type DebianBuildEntry = z.infer<typeof debianBuildSchema>;
/** A cloud download entry. */
export type CloudDownloadEntry = z.infer<typeof cloudDownloadSchema>;

/** The repository's images/ folder. */
export const defaultCatalogDir = resolve(import.meta.dirname, "../../images");

/** Reads and validates images/<name>.yaml. */
export async function loadImageEntry(name: ImageName, dir = defaultCatalogDir): Promise<ImageEntry> {
  const file = join(dir, `${name}.yaml`);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    throw new HarnessError("IMAGE_CATALOG_MISSING", `no catalog file for image ${name}: ${file}`, {
      hint: `create ${file} (see the other files in ${dir})`,
      exitCode: ExitCode.usage,
      cause: err,
    });
  }
  const parsed = imageEntrySchema.safeParse(parse(text));
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new HarnessError("IMAGE_CATALOG_INVALID", `${file}: ${issues}`, {
      hint: "fix the catalog file; `kind` is debian-build (suite, mirror, packages) or cloud-download (url, checksums)",
      exitCode: ExitCode.usage,
    });
  }
  if (parsed.data.name !== name) {
    throw new HarnessError(
      "IMAGE_CATALOG_INVALID",
      `${file} names image ${parsed.data.name}, expected ${name}`,
      {
        hint: "the file name and its `name:` must agree",
        exitCode: ExitCode.usage,
      },
    );
  }
  return parsed.data;
}
