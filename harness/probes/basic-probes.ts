// The probe kinds that read a node directly: a command, the kernel log, a sysctl, a step's result.
export { commandProbe } from "./command-probe.ts";
export { kernelLogProbe } from "./kernel-log-probe.ts";
export { stepProbe } from "./step-probe.ts";
export { sysctlProbe } from "./sysctl-probe.ts";
