// Where a component (containerd, runc, docker, cri-dockerd) comes from: the distro, an apt repo, an upstream release, a local file.
import { z } from "zod";
import {
  debianVersion,
  debianVersionPattern,
  localPath,
  packageName,
  releaseVersion,
} from "./identifiers.ts";
import { aptRepositoryNames } from "../artifacts/apt-repositories.ts";
import { runcBuildNames } from "../builds/runc-build-names.ts";

/** Whether `text` is an http(s) URL with nothing a shell or a log line could misread (no whitespace or quotes). */
function isHttpUrl(text: string): boolean {
  if (/[\s"'`\\]/.test(text)) return false;
  try {
    return ["http:", "https:"].includes(new URL(text).protocol);
  } catch {
    return false;
  }
}

/** An apt repository given inline: URL, suite, component and the URL or host path of its signing key. */
const inlineAptRepository = z.strictObject({
  url: z.url({ protocol: /^https?$/ }),
  suite: z.string().regex(/^[A-Za-z0-9._/-]+$/, "must be an apt suite like bookworm or stable"),
  component: z.string().regex(/^[A-Za-z0-9._-]+$/, "must be an apt component like main"),
  key: z
    .string()
    .max(2048)
    .refine(
      (k) => isHttpUrl(k) || /^\/[A-Za-z0-9._/~+-]+$/.test(k),
      "must be the http(s) URL of the key, or the absolute path of a keyring like /usr/share/keyrings/debian-archive-keyring.gpg",
    )
    .describe(
      "URL of the repository's signing key, or the absolute host path of a keyring (outside /usr/share/keyrings and /etc/apt/keyrings it needs --allow-host-files)",
    ),
});

/** Where a component is installed from, keyed by `from`. */
export const componentSource = z.discriminatedUnion("from", [
  z
    .strictObject({
      from: z.literal("distro"),
      package: packageName.optional().describe("Package name; defaults to the component's usual package"),
      version: debianVersion.optional().describe("Pinned package version (`apt-get install pkg=version`)"),
    })
    .describe("The guest distribution's own package, optionally pinned"),
  z
    .strictObject({
      from: z.literal("apt"),
      repo: z.union([z.enum(aptRepositoryNames), inlineAptRepository]),
      package: packageName.optional(),
      version: debianVersionPattern.describe(
        "Exact version, or a prefix ending in * resolved from the signed index",
      ),
    })
    .describe("A pinned package from a named or inline apt repository, fetched and verified on the host"),
  z
    .strictObject({
      from: z.literal("release"),
      version: releaseVersion,
    })
    .describe("An upstream release artifact, verified against its published checksum"),
  z
    .strictObject({
      from: z.literal("file"),
      path: localPath.describe(
        "A path relative to the scenario's folder (it may not leave it), or an absolute path, used as written; a file outside the folder needs --allow-host-files",
      ),
      sha256: z
        .string()
        .regex(/^[0-9a-f]{64}$/, "must be the file's sha256, 64 lowercase hex digits (`sha256sum <file>`)")
        .describe("The file's sha256: the harness checks it on the host before uploading the file"),
    })
    .describe("A local file uploaded by the harness, pinned by its sha256"),
]);

/** A parsed component source. */
export type ComponentSource = z.infer<typeof componentSource>;

/** Where runc comes from: any component source, or a runc the harness builds on the host from Debian's archive. */
export const runcSource = z.discriminatedUnion("from", [
  ...componentSource.options,
  z
    .strictObject({
      from: z.literal("build"),
      build: z
        .enum(runcBuildNames)
        .describe(
          "runc-rc93-unpatched: bullseye's rc93 tree with Debian's patch 0010 reverse-applied (upstream rc93's seccomp pipe hang); runc-rc93-debian: as bullseye ships it; runc-1.1.5-debian: bookworm's",
        ),
    })
    .describe(
      "A static runc built on the host from a Debian source tree, cached and checksummed (`harness builds build runc`)",
    ),
]);

/** A parsed runc source. */
export type RuncSource = z.infer<typeof runcSource>;
