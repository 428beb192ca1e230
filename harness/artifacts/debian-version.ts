// Debian package version ordering (`dpkg --compare-versions` semantics) and version patterns ending in `*`.

interface ParsedVersion {
  epoch: number;
  upstream: string;
  revision: string;
}

function parse(version: string): ParsedVersion {
  const colon = version.indexOf(":");
  const epoch = colon > 0 ? Number(version.slice(0, colon)) : 0;
  const rest = colon > 0 ? version.slice(colon + 1) : version;
  const dash = rest.lastIndexOf("-");
  return dash >= 0
    ? { epoch, upstream: rest.slice(0, dash), revision: rest.slice(dash + 1) }
    : { epoch, upstream: rest, revision: "" };
}

const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";
const isLetter = (c: string) => /[A-Za-z]/.test(c);

/** dpkg's character weight: `~` sorts before everything (even the end), letters before other symbols. */
function order(c: string | undefined): number {
  if (c === undefined || isDigit(c)) return 0;
  if (c === "~") return -1;
  if (isLetter(c)) return c.charCodeAt(0);
  return c.charCodeAt(0) + 256;
}

/** dpkg's verrevcmp: alternating non-digit and digit runs. */
function compareFragment(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let firstDiff = 0;
    while ((i < a.length && !isDigit(a[i])) || (j < b.length && !isDigit(b[j]))) {
      const ac = order(a[i]);
      const bc = order(b[j]);
      if (ac !== bc) return ac - bc;
      i += 1;
      j += 1;
    }
    while (a[i] === "0") i += 1;
    while (b[j] === "0") j += 1;
    while (isDigit(a[i]) && isDigit(b[j])) {
      if (firstDiff === 0) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i += 1;
      j += 1;
    }
    if (isDigit(a[i])) return 1;
    if (isDigit(b[j])) return -1;
    if (firstDiff !== 0) return firstDiff;
  }
  return 0;
}

/** Negative, zero or positive as `a` sorts before, equal to or after `b` in Debian version order. */
export function compareDebianVersions(a: string, b: string): number {
  const pa = parse(a);
  const pb = parse(b);
  if (pa.epoch !== pb.epoch) return pa.epoch - pb.epoch;
  return Math.sign(compareFragment(pa.upstream, pb.upstream) || compareFragment(pa.revision, pb.revision));
}

/** True when `version` is the pattern itself, or starts with the pattern's prefix when it ends in `*`. */
export function matchesVersionPattern(version: string, pattern: string): boolean {
  return pattern.endsWith("*") ? version.startsWith(pattern.slice(0, -1)) : version === pattern;
}

/** The highest of `versions` matching `pattern` (exact, or prefix + `*`), or null when none does. */
export function highestMatching(versions: readonly string[], pattern: string): string | null {
  const matching = versions.filter((v) => matchesVersionPattern(v, pattern));
  return matching.reduce<string | null>(
    (best, v) => (best === null || compareDebianVersions(v, best) > 0 ? v : best),
    null,
  );
}
