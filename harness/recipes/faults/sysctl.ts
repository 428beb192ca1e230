// Fault sysctl: any kernel parameter set to a value, now and at every boot (a generic form of the named sysctl
// faults, for a bug that needs one the catalog does not name).
import { quote } from "../shell.ts";
import type { FaultRenderer } from "./fault-renderer.ts";

/** The drop-in a sysctl fault writes for its key. */
export function sysctlFaultFile(key: string): string {
  return `/etc/sysctl.d/90-harness-fault-${key.replace(/[^A-Za-z0-9_.-]/g, "_")}.conf`;
}

/**
 * Writes `key = value` to its own drop-in, applies it with `sysctl -w`, and fails unless `sysctl -n` reads the
 * value back (whitespace-separated values such as net.ipv4.ip_local_port_range compare word by word).
 */
export const sysctlFault: FaultRenderer<"sysctl"> = (fault) => {
  const value = String(fault.value);
  const file = sysctlFaultFile(fault.key);
  return {
    description: `sets the kernel parameter ${fault.key} = ${value}, now and at boot (${file})`,
    body: () => `printf '%s = %s\\n' ${quote(fault.key)} ${quote(value)} > ${quote(file)}
sysctl -w ${quote(`${fault.key}=${value}`)}
actual=$(sysctl -n ${quote(fault.key)} | tr -s '[:space:]' ' ')
actual=\${actual% }
expected=$(printf '%s' ${quote(value)} | tr -s '[:space:]' ' ')
if [ "$actual" != "$expected" ]; then
  echo "harness: ${fault.key} reads '$actual' after sysctl -w, expected '$expected'" >&2
  exit 1
fi`,
    uploads: [],
    artifacts: [],
    timeoutMs: 60_000,
  };
};
