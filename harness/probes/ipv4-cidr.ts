// IPv4 addresses against CIDR ranges, for the pod-ips probe.

function toNumber(ip: string): number | null {
  const parts = ip.split(".");
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return null;
    n = n * 256 + Number(p);
  }
  return n;
}

/** True when `ip` lies in `cidr` (e.g. 10.244.1.5 in 10.244.0.0/16); false for malformed or non-IPv4 input. */
export function ipv4InCidr(ip: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split("/");
  const addr = toNumber(ip);
  const net = toNumber(base ?? "");
  const bits = Number(bitsText);
  if (addr === null || net === null || !Number.isInteger(bits) || bits < 0 || bits > 32) return false;
  const size = 2 ** (32 - bits);
  return Math.floor(addr / size) === Math.floor(net / size);
}
