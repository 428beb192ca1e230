// Reads the `kubeadm join ...` command the control plane prints, so the runner can pass it to the workers.
import { ExitCode, HarnessError } from "../errors.ts";

/** The parts of a join command a worker needs. */
export interface KubeadmJoinCommand {
  /** `host:port` of the API server. */
  apiServer: string;
  token: string;
  /** `sha256:<hex>` pins of the cluster CA (one or more). */
  caCertHashes: string[];
  controlPlane: boolean;
  certificateKey: string | null;
  /** The command as one line of words, `kubeadm join ...`. */
  argv: string[];
}

const booleanFlags = new Set([
  "--control-plane",
  "--discovery-token-unsafe-skip-ca-verification",
  "--dry-run",
]);

function joinText(output: string): string | null {
  const lines = output.split("\n").map((l) => l.replace(/\r$/, ""));
  const start = lines.findIndex((l) => /^\s*kubeadm join\s/.test(l));
  if (start < 0) return null;
  const parts: string[] = [];
  for (let i = start; i < lines.length; i += 1) {
    const line = (lines[i] ?? "").trim();
    const continued = line.endsWith("\\");
    parts.push(continued ? line.slice(0, -1) : line);
    if (!continued) break;
  }
  return parts.join(" ");
}

/**
 * Parses the join command out of `kubeadm init` or `kubeadm token create --print-join-command` output:
 * one line or split with `\` + TAB, old (`--token X host:port`) and new argument order, klog lines before it.
 */
export function parseKubeadmJoinCommand(output: string): KubeadmJoinCommand {
  const text = joinText(output);
  const fail = (what: string) =>
    new HarnessError("KUBEADM_JOIN_UNREADABLE", `${what} in the control plane's kubeadm output`, {
      hint: "look at the kubeadm init / token create output in the run's logs; the control plane may not have initialized",
      exitCode: ExitCode.error,
    });
  if (text === null) throw fail("no `kubeadm join` line");
  const argv = text.split(/\s+/).filter((w) => w !== "");
  const flags = new Map<string, string[]>();
  const positional: string[] = [];
  for (let i = 2; i < argv.length; i += 1) {
    const word = argv[i] ?? "";
    if (!word.startsWith("--")) {
      positional.push(word);
      continue;
    }
    const eq = word.indexOf("=");
    const [name, value] =
      eq > 0
        ? [word.slice(0, eq), word.slice(eq + 1)]
        : booleanFlags.has(word)
          ? [word, "true"]
          : [word, argv[(i += 1)] ?? ""];
    flags.set(name, [...(flags.get(name) ?? []), value]);
  }
  const apiServer = positional[0];
  const token = flags.get("--token")?.[0];
  const hashes = flags.get("--discovery-token-ca-cert-hash") ?? [];
  if (apiServer === undefined || !/^[^\s:]+:\d+$/.test(apiServer))
    throw fail("no API server address host:port");
  if (token === undefined || !/^[a-z0-9]{6}\.[a-z0-9]{16}$/.test(token))
    throw fail("no bootstrap token of the form abcdef.0123456789abcdef");
  if (hashes.length === 0 || !hashes.every((h) => /^sha256:[0-9a-f]+$/.test(h)))
    throw fail("no --discovery-token-ca-cert-hash sha256:<hex>");
  return {
    apiServer,
    token,
    caCertHashes: hashes,
    controlPlane: flags.has("--control-plane"),
    certificateKey: flags.get("--certificate-key")?.[0] ?? null,
    argv,
  };
}
