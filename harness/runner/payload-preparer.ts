// Adapts harness/builds to the runner: the payloads a plan names, built on the host or found in the cache.
import { defaultCacheDir } from "../artifacts/cache-dir.ts";
import { ensureNodePayload, nodePayloadNames, type NodePayloadName } from "../builds/node-payload.ts";
import { UsageError } from "../errors.ts";
import type { PayloadPreparer } from "./runner-deps.ts";

/** Prepares payloads into the default (or given) cache; facts say what each holds, for run.json. */
export function hostPayloadPreparer(cacheDir?: string): PayloadPreparer {
  return async (names, { signal, report }) => {
    const out = new Map<string, { dir: string; key: string; facts: Record<string, string> }>();
    for (const name of names) {
      if (!(nodePayloadNames as readonly string[]).includes(name))
        throw new UsageError(`unknown payload ${name}`, `payloads: ${nodePayloadNames.join(", ")}`);
      const p = await ensureNodePayload(name as NodePayloadName, {
        cacheDir: cacheDir ?? defaultCacheDir(),
        report,
        signal,
      });
      const facts: Record<string, string> = {
        "kubernetes.version": p.build.recipe.version,
        "kubernetes.gitCommit": p.build.recipe.gitCommit,
        "kubernetes.buildKey": p.build.key,
        "kubernetes.source": `${p.build.recipe.source.plan.key} sha256 ${p.build.recipe.source.sha256}`,
        "kubernetes.toolchain": p.build.recipe.toolchain
          .map((t) => `${t.plan.key} sha256 ${t.sha256}`)
          .join(", "),
        "images.key": p.images.key,
      };
      for (const image of p.images.images)
        facts[`image.${image.refs[0] ?? image.name}`] = image.manifestDigest;
      out.set(name, { dir: p.dir, key: p.key, facts });
    }
    return out;
  };
}
