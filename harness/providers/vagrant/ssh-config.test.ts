import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseSshConfig } from "./ssh-config.ts";

const recorded = (name: string): string =>
  readFileSync(join(join(import.meta.dirname, "recorded"), name), "utf8");
const fixture = (name: string): string => readFileSync(join(import.meta.dirname, "fixtures", name), "utf8");

describe("parseSshConfig", () => {
  it.each([
    {
      name: "empty IdentityFile, a prompt line before Host, no LogLevel (recorded 0.9 dev, ssh-config-0.9dev-empty-identityfile.txt)",
      text: recorded("ssh-config-0.9dev-empty-identityfile.txt"),
      expected: [{ host: "myvm", hostName: "127.0.0.1", port: 2226, user: "vagrant", identityFiles: [] }],
    },
    {
      name: "Port 22 on a bridged address (recorded ~1.6, ssh-config-2014-bridged-port22.txt)",
      text: recorded("ssh-config-2014-bridged-port22.txt"),
      expected: [
        {
          host: "default",
          hostName: "192.168.207.160",
          port: 22,
          user: "vagrant",
          identityFiles: ["/home/sabae/.vagrant.d/insecure_private_key"],
        },
      ],
    },
    {
      name: "Windows-style IdentityFile and port 2222 (recorded 1.9.8, ssh-config-virtualbox-1.9.8-windows.txt)",
      text: recorded("ssh-config-virtualbox-1.9.8-windows.txt"),
      expected: [
        {
          host: "default",
          hostName: "127.0.0.1",
          port: 2222,
          user: "ubuntu",
          identityFiles: ["C:/myproject/vagrant/.vagrant/machines/default/virtualbox/private_key"],
        },
      ],
    },
    {
      name: "a custom Host name on vmware_fusion (recorded, ssh-config-vmware-fusion-2018.txt)",
      text: recorded("ssh-config-vmware-fusion-2018.txt"),
      expected: [
        {
          host: "my-vagrant",
          hostName: "172.16.70.180",
          port: 22,
          user: "vagrant-project",
          identityFiles: [
            "/Users/me/Dev/vagrant-project/.vagrant/machines/irflow-dev/vmware_fusion/private_key",
          ],
        },
      ],
    },
    {
      name: "two machines, two IdentityFiles each (documented format, not recorded: fixtures/ssh-config-two-machines-libvirt.txt)",
      text: fixture("ssh-config-two-machines-libvirt.txt"),
      expected: ["cp:192.168.121.17", "worker:192.168.121.94"].map((hw) => {
        const [node = "", ip = ""] = hw.split(":");
        return {
          host: `h-20261123-184212-3f9a1c-${node}`,
          hostName: ip,
          port: 22,
          user: "root",
          identityFiles: ["/run/harness/keys/run_ed25519", "/root/.vagrant.d/insecure_private_key"],
        };
      }),
    },
    {
      name: "CRLF line ends, quoted path with spaces, key=value, no Port (documented format, not recorded)",
      text: 'Host default\r\n  HostName=127.0.0.1\r\n  User vagrant\r\n  IdentityFile "C:/Users/A B/.vagrant.d/insecure_private_key"\r\n',
      expected: [
        {
          host: "default",
          hostName: "127.0.0.1",
          port: 22,
          user: "vagrant",
          identityFiles: ["C:/Users/A B/.vagrant.d/insecure_private_key"],
        },
      ],
    },
    {
      name: "root on libvirt's management network (recorded here, Vagrant 2.3.4 + vagrant-libvirt 0.11.2: fixtures/ssh-config-libvirt-2.3.4-recorded.txt)",
      text: fixture("ssh-config-libvirt-2.3.4-recorded.txt"),
      expected: [
        {
          host: "h-20261123-190000-abcdef-cp",
          hostName: "192.168.121.36",
          port: 22,
          user: "root",
          identityFiles: ["/tmp/p2vg/runkey"],
        },
      ],
    },
    { name: "empty output", text: "", expected: [] },
  ])("$name", ({ text, expected }) => {
    expect(parseSshConfig(text)).toEqual(expected);
  });
});
