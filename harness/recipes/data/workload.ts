// Images of the workloads the harness deploys.

/** Kubernetes' e2e test image: `netexec` serves /hostname and dials other endpoints through /dial. */
export const agnhostImage = "registry.k8s.io/e2e-test-images/agnhost:2.52";
