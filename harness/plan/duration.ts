// Parses the scenario duration syntax (`500ms`, `30s`, `5m`, `1h30m`) into milliseconds.

const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };

/** Milliseconds in a duration string validated by the schema. */
export function parseDuration(text: string): number {
  let total = 0;
  for (const match of text.matchAll(/(\d+)(ms|h|m|s)/g))
    total += Number(match[1]) * (units[match[2] ?? "s"] ?? 0);
  return total;
}

/** Human form of milliseconds: `850ms`, `12.3s`, `4m05s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return `${m}m${String(s).padStart(2, "0")}s`;
}

/** MiB in a size string like `2048M` or `4G`. */
export function parseSizeMiB(text: string): number {
  const n = Number(text.slice(0, -1));
  return text.endsWith("G") ? n * 1024 : n;
}
