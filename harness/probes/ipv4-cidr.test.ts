import { describe, expect, it } from "vitest";
import { ipv4InCidr } from "./ipv4-cidr.ts";

describe("ipv4InCidr", () => {
  it.each([
    ["10.244.1.5", "10.244.0.0/16", true],
    ["10.245.0.1", "10.244.0.0/16", false],
    ["172.17.0.2", "10.244.0.0/16", false],
    ["192.168.1.1", "192.168.0.0/16", true],
    ["10.0.0.1", "0.0.0.0/0", true],
    ["10.0.0.1", "10.0.0.1/32", true],
    ["10.0.0.2", "10.0.0.1/32", false],
    ["10.0.0.300", "10.0.0.0/8", false],
    ["fd00::1", "10.0.0.0/8", false],
    ["10.0.0.1", "10.0.0.0/33", false],
  ])("%s in %s is %s", (ip, cidr, inside) => {
    expect(ipv4InCidr(ip, cidr)).toBe(inside);
  });
});
