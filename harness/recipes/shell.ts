// Shell quoting and script assembly for rendered scripts: values are quoted, never spliced raw.

/** Quotes a value as one bash word (single quotes; embedded quotes escaped). */
export function quote(value: string | number): string {
  const s = String(value);
  if (/^[A-Za-z0-9_./:=@%+-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The header every rendered script starts with. */
export const scriptHeader = "#!/usr/bin/env bash\nset -euo pipefail";

/** Joins script parts under the standard header. */
export function script(...parts: string[]): string {
  return [scriptHeader, ...parts.map((p) => p.trim()).filter((p) => p !== "")].join("\n") + "\n";
}
