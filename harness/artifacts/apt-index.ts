// Reads a signed apt index: the SHA256 list of a (verified) Release file and the stanzas of a Packages or Sources file.

/** One file the Release file lists under SHA256. */
export interface ReleaseEntry {
  sha256: string;
  size: number;
}

/** The fields of a Release file the cache checks, and its SHA256 list by path (e.g. `main/binary-amd64/Packages.xz`). */
export interface ReleaseIndex {
  suite: string | null;
  codename: string | null;
  sha256: Map<string, ReleaseEntry>;
}

/** Parses a Release file (the signed text of InRelease). */
export function parseRelease(text: string): ReleaseIndex {
  const sha256 = new Map<string, ReleaseEntry>();
  let suite: string | null = null;
  let codename: string | null = null;
  let inSha = false;
  for (const line of text.split("\n")) {
    if (/^\s/.test(line)) {
      const m = /^\s+([0-9a-f]{64})\s+(\d+)\s+(\S+)\s*$/.exec(line);
      if (inSha && m) sha256.set(m[3] ?? "", { sha256: m[1] ?? "", size: Number(m[2]) });
      continue;
    }
    inSha = line.startsWith("SHA256:");
    const field = /^(Suite|Codename):\s*(\S+)/.exec(line);
    if (field?.[1] === "Suite") suite = field[2] ?? null;
    if (field?.[1] === "Codename") codename = field[2] ?? null;
  }
  return { suite, codename, sha256 };
}

/** One binary package of a Packages file. */
export interface PackageStanza {
  package: string;
  version: string;
  architecture: string;
  filename: string;
  sha256: string;
  size: number;
}

/** The text of every stanza of an index that starts with `Package: <name>` (a linear scan, no regex over the file). */
function stanzaTexts(text: string, name: string): string[] {
  const out: string[] = [];
  const start = `Package: ${name}\n`;
  let at = text.startsWith(start) ? 0 : text.indexOf(`\n${start}`);
  while (at >= 0) {
    const from = at === 0 && text.startsWith(start) ? 0 : at + 1;
    const end = text.indexOf("\n\n", from);
    out.push(text.slice(from, end < 0 ? undefined : end));
    at = end < 0 ? -1 : text.indexOf(`\n${start}`, end);
  }
  return out;
}

/** The stanzas of `name` in a Packages file (every version the index lists). */
export function packageStanzas(text: string, name: string): PackageStanza[] {
  const found: PackageStanza[] = [];
  for (const stanza of stanzaTexts(text, name)) {
    const fields = new Map<string, string>();
    for (const line of stanza.split("\n")) {
      const m = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(line);
      if (m) fields.set(m[1] ?? "", m[2] ?? "");
    }
    const version = fields.get("Version");
    const filename = fields.get("Filename");
    const sha256 = fields.get("SHA256");
    if (version && filename && sha256)
      found.push({
        package: name,
        version,
        architecture: fields.get("Architecture") ?? "",
        filename,
        sha256,
        size: Number(fields.get("Size") ?? 0),
      });
  }
  return found;
}

/** One file of a source package (a `Checksums-Sha256` line of its Sources stanza). */
export interface SourceFile {
  name: string;
  sha256: string;
  size: number;
}

/** One source package of a Sources file. */
export interface SourceStanza {
  package: string;
  version: string;
  /** Pool directory of its files, e.g. `pool/main/k/kubernetes`. */
  directory: string;
  files: SourceFile[];
}

/** The stanzas of source package `name` in a Sources file (every version the index lists). */
export function sourceStanzas(text: string, name: string): SourceStanza[] {
  const found: SourceStanza[] = [];
  for (const stanza of stanzaTexts(text, name)) {
    let version: string | undefined;
    let directory: string | undefined;
    const files: SourceFile[] = [];
    let inSums = false;
    for (const line of stanza.split("\n")) {
      if (line.startsWith(" ")) {
        const m = /^ ([0-9a-f]{64}) (\d+) (\S+)$/.exec(line);
        if (inSums && m) files.push({ sha256: m[1] ?? "", size: Number(m[2]), name: m[3] ?? "" });
        continue;
      }
      inSums = line.startsWith("Checksums-Sha256:");
      const field = /^(Version|Directory):\s*(\S+)/.exec(line);
      if (field?.[1] === "Version") version = field[2];
      if (field?.[1] === "Directory") directory = field[2];
    }
    if (version && directory && files.length > 0) found.push({ package: name, version, directory, files });
  }
  return found;
}
