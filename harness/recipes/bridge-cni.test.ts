import { describe, expect, it } from "vitest";
import { HarnessError } from "../errors.ts";
import { bridgeConflist, nodePodCidr } from "./bridge-cni.ts";

describe("nodePodCidr", () => {
  it.each([
    ["10.244.0.0/16", 0, "10.244.0.0/24"],
    ["10.244.0.0/16", 1, "10.244.1.0/24"],
    ["10.244.0.0/16", 255, "10.244.255.0/24"],
    ["10.244.7.9/16", 2, "10.244.2.0/24"],
    ["172.20.0.0/14", 300, "172.21.44.0/24"],
    ["10.9.0.0/24", 0, "10.9.0.0/24"],
  ])("%s, node %i -> %s", (subnet, index, want) => {
    expect(nodePodCidr(subnet, index)).toBe(want);
  });

  it.each([
    ["10.244.0.0/16", 256, "BRIDGE_SUBNET_TOO_SMALL"],
    ["10.9.0.0/24", 1, "BRIDGE_SUBNET_TOO_SMALL"],
    ["10.9.0.0/25", 0, "BRIDGE_SUBNET_UNSUPPORTED"],
    ["not-a-cidr", 0, "BRIDGE_SUBNET_UNSUPPORTED"],
  ])("%s, node %i: %s", (subnet, index, code) => {
    expect(() => nodePodCidr(subnet, index)).toThrow(HarnessError);
    try {
      nodePodCidr(subnet, index);
    } catch (e) {
      expect((e as HarnessError).code).toBe(code);
    }
  });
});

describe("bridgeConflist", () => {
  it("hands out the node's /24 through host-local, with cni0 as the pods' gateway and no masquerading", () => {
    const conf = JSON.parse(bridgeConflist("10.244.1.0/24")) as {
      plugins: {
        type: string;
        isGateway?: boolean;
        ipMasq?: boolean;
        ipam?: { ranges: { subnet: string }[][] };
      }[];
    };
    const bridge = conf.plugins[0];
    expect(bridge?.type).toBe("bridge");
    expect(bridge?.isGateway).toBe(true);
    expect(bridge?.ipMasq).toBe(false);
    expect(bridge?.ipam?.ranges[0]?.[0]?.subnet).toBe("10.244.1.0/24");
  });
});
