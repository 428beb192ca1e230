// Reads published checksum files: `<sha256>  <name>` lines (sha256sum, also `*name`), BSD `SHA256 (name) = <sha>`, or a bare sum.

const sha = /^[0-9a-f]{64}$/i;

/** The sha256 (lowercase) listed for `fileName`, or null when the file does not list it. */
export function checksumFor(text: string, fileName: string): string | null {
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
  for (const line of lines) {
    const gnu = /^([0-9a-f]{64})\s+\*?(.+)$/i.exec(line);
    if (gnu && (gnu[2] ?? "").split("/").at(-1) === fileName) return (gnu[1] ?? "").toLowerCase();
    const bsd = /^SHA256 \((.+)\) = ([0-9a-f]{64})$/i.exec(line);
    if (bsd && (bsd[1] ?? "").split("/").at(-1) === fileName) return (bsd[2] ?? "").toLowerCase();
  }
  const only = lines.length === 1 ? lines[0]?.split(/\s+/) : undefined;
  if (only?.length === 1 && sha.test(only[0] ?? "")) return (only[0] ?? "").toLowerCase();
  return null;
}
