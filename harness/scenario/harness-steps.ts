// The harness's own steps a scenario's `step` probe may watch by name, beside the scenario's steps.

/** kubeadm's init and join: their exit code and output are evidence when a fault is expected to break them. */
export const watchableHarnessSteps: readonly string[] = ["kubeadm-init", "kubeadm-join"];
