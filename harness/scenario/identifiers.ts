// Safe identifiers and value formats shared by the scenario schema: names end up in VM names, paths and shell words.
import { posix } from "node:path";
import { z } from "zod";
import { parseDuration, parseSizeMiB } from "../plan/duration.ts";
import { scenarioRegexError } from "./scenario-regex.ts";

/** Scenario, node, step and probe names: lowercase DNS-label-like, so they are safe as VM names, paths and shell words. */
export const safeName = z
  .string()
  .regex(
    /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/,
    "must be 1-63 characters of a-z, 0-9 and '-', starting and ending with a letter or digit (no path separators, spaces or shell metacharacters)",
  );

/** A matrix axis label or value label: shown in cell ids like `name[os=ubuntu-22.04]`. */
export const safeLabel = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._~+-]{0,62}$/,
    "must be 1-63 characters of A-Z, a-z, 0-9, '.', '_', '~', '+', '-'",
  );

/** The longest duration a scenario may give: far below what Node's timers hold (24.8 days), and a day of work. */
export const maxDurationMs = 24 * 3_600_000;

const durationPattern = /^(\d+h)?(\d+m(?!s))?(\d+s)?(\d+ms)?$/;

/** Durations like `90s`, `5m`, `1h30m`, `500ms`, at most `maxDurationMs`. */
export const duration = z
  .string()
  .max(32)
  .regex(durationPattern, "must be a duration like 500ms, 30s, 5m or 1h30m")
  .refine((s) => s.length > 0, "must be a duration like 500ms, 30s, 5m or 1h30m")
  .refine((s) => !durationPattern.test(s) || parseDuration(s) <= maxDurationMs, "must be at most 24h");

/** A duration (see `duration`) of at least `minMs`: for intervals, which a 0s would turn into a busy loop. */
export function durationAtLeast(minMs: number, shown: string) {
  return duration.refine(
    (s) => !durationPattern.test(s) || parseDuration(s) >= minMs,
    `must be at least ${shown}`,
  );
}

const sizePattern = /^[1-9]\d*[MG]$/;

/** Memory and disk sizes like `2048M` or `4G`, at most `maxGiB` (a bound on the input, not a promise the host has it). */
export function sizeUpTo(maxGiB: number) {
  return z
    .string()
    .max(16)
    .regex(sizePattern, "must be a size like 2048M or 4G")
    .refine((s) => !sizePattern.test(s) || parseSizeMiB(s) <= maxGiB * 1024, `must be at most ${maxGiB}G`);
}

/** Memory and disk sizes like `2048M` or `4G` (at most 4096G). */
export const size = sizeUpTo(4096);

/** A Kubernetes release `1.MINOR.PATCH` as published on pkgs.k8s.io. */
export const kubernetesVersion = z
  .string()
  .regex(/^1\.\d{1,2}\.\d{1,3}$/, "must be a Kubernetes version like 1.30.4 (major.minor.patch, no 'v')");

/** One kernel command-line argument (`key` or `key=value`): no spaces, quotes or shell metacharacters. */
export const kernelArg = z
  .string()
  .max(128)
  .regex(
    /^[A-Za-z0-9_.,=:-]+$/,
    "must be one kernel argument like systemd.unified_cgroup_hierarchy=1 (letters, digits and _ . , = : -)",
  );

/** An upstream release version like `1.7.22`, `0.3.15` or `1.0.0-rc93`. */
export const releaseVersion = z
  .string()
  .regex(/^\d+\.\d+\.\d+(-rc\.?\d+)?$/, "must be a release version like 1.7.22 or 1.0.0-rc93 (no 'v')");

/** A Debian package version (`[epoch:]upstream[-revision]`), e.g. `1.6.20~ds1-1+b1`. */
export const debianVersion = z
  .string()
  .regex(/^(\d+:)?[0-9][A-Za-z0-9.+~-]*$/, "must be a Debian package version like 1.6.20~ds1-1+b1");

/** A Debian package version, or a prefix ending in `*` (e.g. `1.6.20~ds1-1+deb12u*`) resolved against the signed index. */
export const debianVersionPattern = z
  .string()
  .regex(
    /^(\d+:)?[0-9][A-Za-z0-9.+~-]*\*?$/,
    "must be a Debian package version like 1.6.20~ds1-1+b1, or a prefix ending in * like 1.6.20~ds1-1+deb12u*",
  );

/** A Debian package name. */
export const packageName = z.string().regex(/^[a-z0-9][a-z0-9+.-]+$/, "must be a Debian package name");

/** An IPv4 CIDR like `10.244.0.0/16`. */
export const ipv4Cidr = z
  .string()
  .regex(
    /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\/([0-9]|[12]\d|3[0-2])$/,
    "must be an IPv4 CIDR like 10.244.0.0/16",
  );

/** A regular expression (JavaScript syntax) that must compile. */
export const regex = z
  .string()
  .max(1024)
  .superRefine((s, ctx) => {
    const error = scenarioRegexError(s);
    if (error !== null)
      ctx.addIssue({
        code: "custom",
        message: `must be a regular expression in RE2's syntax (matched in linear time: no backreferences or lookaround): ${error}`,
      });
  });

/** A path to a local file, relative to the scenario file; restricted so it can never smuggle shell syntax. */
export const localPath = z
  .string()
  .max(1024)
  .regex(/^[A-Za-z0-9._/~+-]+$/, "must be a file path of letters, digits and . _ / ~ + -")
  .refine(
    (p) => p.startsWith("/") || !posix.normalize(p).startsWith("../"),
    "a relative path may not leave the scenario's folder (no ../ above it); copy the file next to the scenario, or give its absolute path and pass --allow-host-files",
  );

/**
 * A container image reference (`registry.k8s.io/pause:3.9`, `host:5000/team/img@sha256:...`), after the
 * distribution reference grammar, lowercase repository: no whitespace, quotes, `$` or `%`, so it stays one word in
 * a shell, a TOML string and a systemd ExecStart (where `$` and `%` would expand).
 */
export const imageReference = z
  .string()
  .max(255)
  .regex(
    /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]{1,5})?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/,
    "must be an image reference like registry.k8s.io/pause:3.9",
  );

/**
 * Text a person reads (reports, terminals): 1 to `max` characters and no control characters (NUL, ESC, BEL...),
 * besides newlines and tabs when `lines` allows several lines.
 */
export function plainText(max: number, { lines }: { lines: boolean }) {
  // eslint-disable-next-line no-control-regex -- control characters are what this rejects
  const control = lines ? /[\u0000-\u0008\u000b-\u001f\u007f]/ : /[\u0000-\u001f\u007f]/;
  return z
    .string()
    .min(1)
    .max(max)
    .refine(
      (d) => !control.test(d),
      lines
        ? "must be text: no control characters (NUL, ESC, BEL...) besides newlines and tabs"
        : "must be one line of text: no control characters (newline, NUL, ESC...)",
    );
}
