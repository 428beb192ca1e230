// Where the harness keeps guest images and per-run machine state, inside the shared cache directory
// ($HARNESS_CACHE_DIR, else $XDG_CACHE_HOME/k8s-node-harness, else ~/.cache/k8s-node-harness).
import { join } from "node:path";
import { defaultCacheDir } from "../artifacts/cache-dir.ts";

/** The harness cache directory for an environment. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return defaultCacheDir(env);
}

/** Where built and downloaded images live. */
export function imagesDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheDir(env), "images");
}

/** Where QEMU machine state (overlays, seeds, pid files) of live runs lives: $HARNESS_STATE_DIR or <cache>/runs. */
export function runsStateDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.HARNESS_STATE_DIR ?? join(cacheDir(env), "runs");
}
