// What every guest gets about the run's network: its private address, the other machines' names, and the private-range routes.
import { privateRanges } from "./private-segment.ts";

/** A machine of the run as other machines see it. */
export interface PeerHost {
  name: string;
  ip: string;
}

/** Prefix length of the private segment (the planner's 10.200.0.0/24). */
export const privateSegmentPrefix = 24;

/** /etc/hosts lines naming every machine of the run by its private address. */
export function peerHostsLines(peers: PeerHost[]): string {
  return peers.map((p) => `${p.ip}\t${p.name}`).join("\n") + (peers.length > 0 ? "\n" : "");
}

/** Name of the guest unit that keeps private ranges on the private NIC (Debian images). */
export const privateRoutesUnit = "harness-private-routes.service";

/**
 * A systemd unit routing 10/8, 172.16/12 and 192.168/16 onto the private NIC (eth1), so no private-range traffic
 * leaves through the user-mode NIC; the user-mode subnet and the private segment keep their more specific routes.
 */
export function privateRoutesUnitText(privateInterface: string): string {
  const commands = privateRanges.map((r) => `ip route replace ${r} dev ${privateInterface}`).join(" && ");
  return [
    "[Unit]",
    "Description=Route private address ranges onto the private NIC, never the user-mode one (harness)",
    "DefaultDependencies=no",
    "Before=sysinit.target network-pre.target",
    "",
    "[Service]",
    "Type=oneshot",
    "RemainAfterExit=yes",
    `ExecStart=/bin/sh -c '${commands}'`,
    "",
    "[Install]",
    "WantedBy=sysinit.target",
    "",
  ].join("\n");
}
