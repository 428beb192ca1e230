// Provider lookup by name, and detection of which providers this host can use (for `harness doctor` and `--provider auto`).
import { UsageError } from "../errors.ts";
import { createMultipassProvider } from "./multipass/multipass-provider.ts";
import type { Availability, Provider } from "./provider.ts";
import type { AcceleratorRequest } from "./qemu/accelerator.ts";
import { createQemuProvider } from "./qemu/qemu-provider.ts";
import { createSshHostsProvider } from "./ssh-hosts/ssh-hosts-provider.ts";
import { createVagrantProvider } from "./vagrant/vagrant-provider.ts";

/** Every provider name, in the order `auto` prefers them. */
export const providerNames = ["qemu", "multipass", "vagrant", "ssh"] as const;

/** One provider name. */
export type ProviderName = (typeof providerNames)[number];

/** Settings a provider may need from the command line. */
export interface ProviderSettings {
  /** QEMU accelerator (`--accel`). */
  accel?: AcceleratorRequest;
  /** Hosts file of the ssh provider (`--hosts-file`). */
  hostsFile?: string;
}

/** Creates a provider by name; the ssh provider needs a hosts file. */
export function createProvider(name: string, settings: ProviderSettings = {}): Provider {
  switch (name) {
    case "qemu":
      return createQemuProvider({ accel: settings.accel });
    case "multipass":
      return createMultipassProvider();
    case "vagrant":
      return createVagrantProvider();
    case "ssh":
      if (settings.hostsFile === undefined) {
        throw new UsageError(
          "the ssh provider needs a hosts file",
          "pass --hosts-file <file> (see hosts.example.yaml)",
        );
      }
      return createSshHostsProvider({ hostsFile: settings.hostsFile });
    default:
      throw new UsageError(`unknown provider "${name}"`, `use one of: ${providerNames.join(", ")}`);
  }
}

/** A provider's name with whether it can run here and why. */
export interface ProviderAvailability extends Availability {
  name: ProviderName;
}

/** Detects every provider; a provider whose detection throws is reported unavailable with the error. */
export async function detectProviders(
  settings: ProviderSettings = {},
  create: (name: ProviderName, settings: ProviderSettings) => Provider = createProvider,
): Promise<ProviderAvailability[]> {
  return Promise.all(
    providerNames.map(async (name): Promise<ProviderAvailability> => {
      if (name === "ssh" && settings.hostsFile === undefined) {
        return { name, available: false, reason: "needs a hosts file of existing machines (--hosts-file)" };
      }
      try {
        return { name, ...(await create(name, settings).detect()) };
      } catch (err) {
        return { name, available: false, reason: (err as Error).message };
      }
    }),
  );
}
