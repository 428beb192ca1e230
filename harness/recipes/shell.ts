// Shell quoting and script assembly for rendered scripts: values are quoted, never spliced raw.

/** Quotes a value as one bash word (single quotes; embedded quotes escaped). */
export function quote(value: string | number): string {
  const s = String(value);
  if (/^[A-Za-z0-9_./:=@%+-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * A quoted heredoc (`<<'MARKER'`, nothing expanded) holding `content` (trailing whitespace trimmed): the
 * terminator is `marker`, or `marker_1`, `marker_2`... when a line of the content equals it, so no value inside
 * can end the heredoc early and run what follows as shell.
 */
export function heredoc(content: string, marker: string): string {
  const body = content.trimEnd();
  const lines = new Set(body.split("\n"));
  let terminator = marker;
  for (let i = 1; lines.has(terminator); i++) terminator = `${marker}_${i}`;
  return `<<'${terminator}'\n${body}\n${terminator}`;
}

/** The header every rendered script starts with. */
export const scriptHeader = "#!/usr/bin/env bash\nset -euo pipefail";

/** Joins script parts under the standard header. */
export function script(...parts: string[]): string {
  return [scriptHeader, ...parts.map((p) => p.trim()).filter((p) => p !== "")].join("\n") + "\n";
}
