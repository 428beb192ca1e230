// What resolving artifacts reports as it goes (the runner turns these into timeline events).

/** One thing that happened while resolving an artifact. */
export type ArtifactEvent =
  | { kind: "cache-hit"; key: string; path: string }
  | { kind: "cache-corrupt"; key: string; path: string; expected: string; actual: string }
  | { kind: "download-start"; key: string; url: string; resumeFrom: number }
  | { kind: "download-done"; key: string; url: string; bytes: number; durationMs: number }
  | { kind: "download-attempt-failed"; key: string; url: string; attempt: number; error: string }
  | { kind: "index-verified"; key: string; url: string; keyring: string }
  | { kind: "resolved"; key: string; version: string | null; sha256: string; path: string };

/** Receives artifact events; must not throw. */
export type ArtifactEventSink = (event: ArtifactEvent) => void;
