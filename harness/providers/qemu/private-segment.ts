// The run's private segment between QEMU guests: a multicast group on 127.0.0.1 per run, and stable MACs per address.
import { createHash } from "node:crypto";

/** Where a run's private NICs meet: a UDP multicast group bound to loopback (no root, no bridge). */
export interface PrivateSegment {
  group: string;
  port: number;
}

/** The segment of a run: group and port derived from the run id, so concurrent runs never share frames. */
export function privateSegmentOf(runId: string): PrivateSegment {
  const h = createHash("sha256").update(runId).digest();
  const a = h.readUInt8(0);
  const b = h.readUInt8(1);
  const port = 20_000 + (h.readUInt16BE(2) % 20_000);
  return { group: `239.255.${a}.${b === 0 ? 1 : b}`, port };
}

/** MAC of a guest's private NIC, derived from its address (locally administered, QEMU's 52:54:00 prefix). */
export function privateMacOf(ip: string): string {
  const octets = ip.split(".").map(Number);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255)) {
    throw new Error(`not an IPv4 address: ${ip}`);
  }
  const hex = (n: number): string => n.toString(16).padStart(2, "0");
  return `52:54:00:${hex(octets[1] ?? 0)}:${hex(octets[2] ?? 0)}:${hex(octets[3] ?? 0)}`;
}

/** The MAC of every guest's user-mode NIC (each guest has its own slirp network, so they may all share it). */
export const userMac = "52:54:00:12:34:56";

/**
 * Private ranges that must not leave through the user-mode NIC: routed onto the private NIC instead
 * (the user-mode subnet 10.0.2.0/24 and the private segment keep their more specific routes).
 */
export const privateRanges = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] as const;
