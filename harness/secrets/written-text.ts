// Redaction of everything the harness writes to disk: timeline events and run.json (every string in them), logs and
// scripts (as text). Reports are rendered from the redacted timeline and run.json, so they need no pass of their own.
import { redactSecrets } from "./redact.ts";

/** Environment variables whose values are secrets the harness knows of. */
const secretEnvNames = ["GITHUB_TOKEN", "GH_TOKEN"] as const;

function knownSecrets(env: NodeJS.ProcessEnv): string[] {
  return secretEnvNames.map((n) => env[n]?.trim() ?? "").filter((v) => v.length >= 8);
}

/** `text` with known secrets (the GitHub token in the environment) and common token patterns replaced. */
export function redactWrittenText(text: string, env: NodeJS.ProcessEnv = process.env): string {
  return redactSecrets(text, knownSecrets(env));
}

/** A copy of a JSON-like value with every string redacted (keys too), so its JSON stays valid. */
export function redactWrittenValue<T>(value: T, env: NodeJS.ProcessEnv = process.env): T {
  const known = knownSecrets(env);
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return redactSecrets(v, known);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === "object")
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [redactSecrets(k, known), walk(x)]));
    return v;
  };
  return walk(value) as T;
}
