// How the pod probes name the pods they select, in evidence lines.

/** `namespace kube-system, selector k8s-app=calico-node` (or only the namespace). */
export function selection(spec: { namespace: string; selector?: string | undefined }): string {
  return `namespace ${spec.namespace}${spec.selector ? `, selector ${spec.selector}` : ""}`;
}
