// Uploads a run's log bundle and timeline.html to a secret gist, so a comment can link the full files.
import { readFile } from "node:fs/promises";
import type { GithubClient } from "./github-client.ts";
import { githubCallError } from "./github-errors.ts";
import { redactSecrets } from "../secrets/redact.ts";
import type { RunBundle } from "./run-bundle.ts";

/** Largest file put into a gist, in characters; longer logs keep their tail. */
export const maxGistFileChars = 1_000_000;
/** Largest total put into a gist, in characters; logs beyond it are left out (and named in the description). */
export const maxGistTotalChars = 20_000_000;

/** The files of a run's gist, keyed by gist file name (gists are flat: `/` becomes `__`). */
export async function gistFiles(
  bundle: RunBundle,
  secrets: readonly string[],
): Promise<{ files: Record<string, { content: string }>; leftOut: string[] }> {
  const candidates: { name: string; content: string }[] = [];
  if (bundle.summary !== undefined) candidates.push({ name: "summary.md", content: bundle.summary });
  if (bundle.timelineHtml !== undefined)
    candidates.push({ name: "timeline.html", content: await readFile(bundle.timelineHtml, "utf8") });
  candidates.push({ name: "run.json", content: `${JSON.stringify(bundle.record, null, 2)}\n` });
  for (const log of bundle.logs) {
    const text =
      log.text.length > maxGistFileChars
        ? `[earlier part cut: the gist keeps the last ${maxGistFileChars} characters]\n${log.text.slice(-maxGistFileChars)}`
        : log.text;
    candidates.push({ name: log.path.split("/").join("__"), content: text });
  }
  const files: Record<string, { content: string }> = {};
  const leftOut: string[] = [];
  let total = 0;
  for (const { name, content } of candidates) {
    const clean = redactSecrets(content, secrets);
    if (clean.trim() === "") continue;
    if (total + clean.length > maxGistTotalChars) {
      leftOut.push(name);
      continue;
    }
    total += clean.length;
    files[name] = { content: clean };
  }
  return { files, leftOut };
}

/** Creates a secret gist with the run's files; resolves to its URL. */
export async function uploadRunGist(
  client: GithubClient,
  bundle: RunBundle,
  secrets: readonly string[],
): Promise<string> {
  const { files, leftOut } = await gistFiles(bundle, secrets);
  const r = bundle.record;
  const description = redactSecrets(
    `k8s-node-harness run ${r.runId}: ${r.cellId} ${r.verdict}${leftOut.length > 0 ? ` (left out for size: ${leftOut.join(", ")})` : ""}`,
    secrets,
  );
  try {
    const { data } = await client.rest.gists.create({ description, public: false, files });
    if (!data.html_url) throw new Error("GitHub created the gist but returned no html_url");
    return data.html_url;
  } catch (err) {
    throw githubCallError(err, {
      action: "create a secret gist with the run's logs",
      target: "gist endpoint",
      permission: "Gists: read and write",
      classicScope: "gist",
      secrets,
    });
  }
}
