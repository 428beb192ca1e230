// A watchdog per QEMU process: when the harness that started it dies (SIGKILL, a crash, a closed terminal), the
// guest dies too, unless the run kept its machines. QEMU runs detached (its own session, so a terminal's SIGINT
// reaches the harness alone and teardown stays in order); without the watchdog it outlived a killed harness.
import { spawn } from "node:child_process";

/** How often the watchdog looks at its harness and its QEMU. */
export const watchdogPollSeconds = 2;

/**
 * The watchdog, in bash (one small process, not a second Node): waits while the owner lives (the same process:
 * its start time is compared, so a reused pid does not count) and QEMU lives; then, unless the kept file exists,
 * stops QEMU if it still is the machine (its command line names the machine id): SIGTERM, SIGKILL after 5 s.
 * Arguments: owner pid, QEMU pid, machine id, kept file. All are passed as arguments, never spliced into the text.
 */
export const watchdogScript = `owner=$1 qemu=$2 id=$3 kept=$4
started() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f20; }
ours() { grep -qaF -- "$id" "/proc/$qemu/cmdline" 2>/dev/null; }
owner_start=$(started "$owner")
[ -n "$owner_start" ] || owner_start=gone
while [ "$(started "$owner")" = "$owner_start" ]; do
  ours || exit 0
  sleep ${watchdogPollSeconds}
done
[ -e "$kept" ] && exit 0
ours || exit 0
kill -TERM "$qemu" 2>/dev/null
for _ in 1 2 3 4 5 6 7 8 9 10; do ours || exit 0; sleep 0.5; done
kill -KILL "$qemu" 2>/dev/null
exit 0
`;

/** What a watchdog guards. */
export interface WatchdogTarget {
  /** The harness process the guest lives for. */
  ownerPid: number;
  qemuPid: number;
  /** The machine id on QEMU's command line (`-name <id>`). */
  machineId: string;
  /** When this file exists, the machine is kept after its harness ends (`--keep`). */
  keptFile: string;
}

/** Starts a detached watchdog for one QEMU process; returns its pid. */
export function startWatchdog(target: WatchdogTarget): number | undefined {
  const child = spawn(
    "bash",
    [
      "-c",
      watchdogScript,
      "harness-qemu-watchdog",
      String(target.ownerPid),
      String(target.qemuPid),
      target.machineId,
      target.keptFile,
    ],
    { detached: true, stdio: "ignore" },
  );
  child.on("error", () => undefined);
  child.unref();
  return child.pid;
}
