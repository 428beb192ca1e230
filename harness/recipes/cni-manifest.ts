// Shared by the CNI recipes: a pinned manifest uploaded to the control plane, patched with a kustomization
// rendered by the yaml library (no text substitution), applied, then waited for.
import { stringify } from "yaml";
import type { ArtifactPlan, ArtifactUse } from "../plan/plan.ts";
import { artifactDir } from "./recipe-step.ts";
import { heredoc, quote } from "./shell.ts";

/** A manifest to apply: where it comes from and the strategic-merge patches that adapt it to the run. */
export interface CniManifest {
  plugin: string;
  version: string;
  url: string;
  sha256: string | null;
  fileName: string;
  patches: object[];
  /** `kubectl wait` targets: namespace and label selector of pods that must become Ready. */
  waitFor: { namespace: string; selector: string }[];
}

/** The url artifact of a manifest, verified against artifacts.lock.json (`harness artifacts pin <scenarioName>`). */
export function manifestArtifact(
  m: CniManifest,
  scenarioName: string,
): {
  artifact: ArtifactPlan;
  upload: ArtifactUse;
  path: string;
} {
  const key = `url:${m.url}`;
  const path = `${artifactDir}/${m.plugin}/${m.fileName}`;
  return {
    artifact: {
      kind: "url",
      key,
      url: m.url,
      checksum:
        m.sha256 === null
          ? {
              unpinned: `${m.plugin} publishes no checksum for its ${m.version} manifest: run \`harness artifacts pin ${scenarioName}\` where the internet is; it records the sha256 in artifacts.lock.json (commit it)`,
              field: ["cni", "plugin"],
            }
          : { sha256: m.sha256 },
    },
    upload: { artifact: key, to: path },
    path,
  };
}

/** The kustomization.yaml next to the manifest. */
export function kustomization(m: CniManifest): string {
  return stringify({
    apiVersion: "kustomize.config.k8s.io/v1beta1",
    kind: "Kustomization",
    resources: [m.fileName],
    patches: m.patches.map((p) => ({ patch: stringify(p, { aliasDuplicateObjects: false }) })),
  });
}

/** Writes the kustomization, applies it, and waits (bounded) for the plugin's pods to be Ready. */
export function applyManifestScript(m: CniManifest, timeoutSeconds: number): string {
  const dir = `${artifactDir}/${m.plugin}`;
  const waits = m.waitFor.map(
    (w) =>
      `kubectl -n ${quote(w.namespace)} wait --for=condition=Ready pod -l ${quote(w.selector)} --timeout=${timeoutSeconds}s`,
  );
  return `export KUBECONFIG=/etc/kubernetes/admin.conf
cat > ${quote(`${dir}/kustomization.yaml`)} ${heredoc(kustomization(m), "YAML")}
kubectl apply -k ${quote(dir)}
# Pods appear a moment after their DaemonSet/Deployment; kubectl wait needs at least one to exist.
for _ in $(seq 1 60); do
  if ${m.waitFor.map((w) => `[ -n "$(kubectl -n ${quote(w.namespace)} get pod -l ${quote(w.selector)} -o name)" ]`).join(" && ")}; then break; fi
  sleep 2
done
${waits.join("\n")}`;
}
