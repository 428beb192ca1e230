// Where the host keeps fetched artifacts between runs.
import { homedir } from "node:os";
import path from "node:path";

/** $HARNESS_CACHE_DIR, else $XDG_CACHE_HOME/k8s-node-harness, else ~/.cache/k8s-node-harness. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  if (env.HARNESS_CACHE_DIR) return path.resolve(env.HARNESS_CACHE_DIR);
  if (env.XDG_CACHE_HOME) return path.join(path.resolve(env.XDG_CACHE_HOME), "k8s-node-harness");
  return path.join(home, ".cache", "k8s-node-harness");
}

/** The artifact cache inside a cache directory. */
export function artifactsDir(cacheDir: string): string {
  return path.join(cacheDir, "artifacts");
}

/** The cache path mirroring a URL (`<root>/<host>/<path segments>`), with unsafe characters replaced by `_`. */
export function pathForUrl(root: string, url: string): string {
  const u = new URL(url);
  const segments = [u.host, ...u.pathname.split("/")]
    .map((s) => decodeURIComponent(s).replace(/[^A-Za-z0-9._~+-]/g, "_"))
    .filter((s) => s !== "" && s !== "." && s !== "..");
  return path.join(root, ...segments);
}
