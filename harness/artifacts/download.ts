// Resumable, retried HTTP downloads into a `.part` file (HTTP Range continues a cut transfer).
import { open, rm, stat } from "node:fs/promises";
import pRetry, { AbortError } from "p-retry";
import { ExitCode, HarnessError } from "../errors.ts";
import type { ArtifactEventSink } from "./artifact-events.ts";

/** How a download is retried and reported. */
export interface DownloadOptions {
  /** Artifact key the events are about. */
  key: string;
  signal?: AbortSignal | undefined;
  onEvent: ArtifactEventSink;
  /** Retries after the first attempt (default 4). */
  retries?: number;
  /** First delay between attempts in ms, doubling each time (default 500). */
  minDelayMs?: number;
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}

function downloadFailed(url: string, detail: string, cause?: unknown): HarnessError {
  return new HarnessError("ARTIFACT_DOWNLOAD_FAILED", `downloading ${url} failed: ${detail}`, {
    hint: "check the URL and the host's network (proxy, DNS); a partial file is kept and the next run resumes it",
    exitCode: ExitCode.infra,
    cause,
  });
}

async function attempt(url: string, part: string, opts: DownloadOptions): Promise<number> {
  const have = await sizeOf(part);
  opts.onEvent({ kind: "download-start", key: opts.key, url, resumeFrom: have });
  let res: Response;
  try {
    res = await fetch(url, {
      headers: have > 0 ? { Range: `bytes=${have}-` } : {},
      signal: opts.signal ?? null,
    });
  } catch (e) {
    if (opts.signal?.aborted) throw new AbortError(downloadFailed(url, "aborted", e));
    throw new Error(`request failed: ${(e as Error).message}`, { cause: e });
  }
  if (res.status === 416 && have > 0) {
    await rm(part, { force: true });
    throw new Error("the server refused to resume (416); starting over");
  }
  if (res.status === 404 || res.status === 410 || res.status === 403)
    throw new AbortError(downloadFailed(url, `HTTP ${res.status} ${res.statusText}`));
  if (!res.ok || res.body === null) throw new Error(`HTTP ${res.status} ${res.statusText}`);
  const resumes =
    res.status === 206 && have > 0 && (res.headers.get("content-range") ?? "").startsWith(`bytes ${have}-`);
  // Each chunk is awaited onto disk, so a cut transfer keeps what was read for the next Range request (bytes
  // still queued inside fetch when the connection drops are lost and simply fetched again).
  const file = await open(part, resumes ? "a" : "w");
  try {
    for await (const chunk of res.body) await file.write(chunk);
  } catch (e) {
    if (opts.signal?.aborted) throw new AbortError(downloadFailed(url, "aborted", e));
    throw new Error(`transfer cut after ${await sizeOf(part)} bytes: ${(e as Error).message}`, { cause: e });
  } finally {
    await file.close();
  }
  return sizeOf(part);
}

/**
 * Downloads `url` into `part`, continuing an existing partial file with an HTTP Range request, retrying
 * network errors and 5xx answers with backoff. Returns the file's size. Does not verify: the caller checks the sum.
 */
export async function downloadToPart(url: string, part: string, opts: DownloadOptions): Promise<number> {
  const started = Date.now();
  try {
    const bytes = await pRetry(() => attempt(url, part, opts), {
      retries: opts.retries ?? 4,
      minTimeout: opts.minDelayMs ?? 500,
      factor: 2,
      ...(opts.signal ? { signal: opts.signal } : {}),
      onFailedAttempt: ({ error, attemptNumber }) =>
        opts.onEvent({
          kind: "download-attempt-failed",
          key: opts.key,
          url,
          attempt: attemptNumber,
          error: error.message,
        }),
    });
    opts.onEvent({ kind: "download-done", key: opts.key, url, bytes, durationMs: Date.now() - started });
    return bytes;
  } catch (e) {
    if (e instanceof HarnessError) throw e;
    throw downloadFailed(url, (e as Error).message, e);
  }
}
