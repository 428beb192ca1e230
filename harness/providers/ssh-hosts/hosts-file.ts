// The hosts file of the ssh-hosts provider: existing machines (address, port, user, key, private address) and opt-in reset steps.
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import { ExitCode, HarnessError, formatScenarioIssue } from "../../errors.ts";
import { safeName } from "../../scenario/identifiers.ts";
import { SourceMap } from "../../scenario/source-map.ts";

const ipv4 = z
  .string()
  .regex(
    /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/,
    "must be an IPv4 address like 10.0.0.11",
  );

/** One existing machine. */
const hostSchema = z.strictObject({
  /** The scenario node this host plays. */
  name: safeName,
  /** Address or DNS name the harness connects to. */
  address: z.string().regex(/^[A-Za-z0-9.:-]+$/, "must be an IP address or a host name"),
  port: z.int().min(1).max(65535).default(22),
  user: z
    .string()
    .regex(/^[a-z_][a-z0-9_-]*$/, "must be a user name like root")
    .default("root"),
  /** Private key the host accepts; `~` and paths relative to the hosts file are resolved. */
  keyPath: z.string().min(1),
  /** The host's address on the network its nodes share (used as the node's private address). */
  privateIp: ipv4,
  /** Pinned host public key (`ssh-ed25519 AAAA...`); when absent it is recorded on first contact. */
  hostKey: z
    .string()
    .regex(
      /^(ssh-ed25519|ecdsa-sha2-nistp\d+|ssh-rsa) [A-Za-z0-9+/=]+$/,
      "must be a public key like `ssh-ed25519 AAAA...` (no comment)",
    )
    .optional(),
});

/** The whole hosts file. */
export const hostsFileSchema = z.strictObject({
  hosts: z
    .array(hostSchema)
    .min(1, "must list at least one host")
    .refine((hosts) => new Set(hosts.map((h) => h.name)).size === hosts.length, "host names must be unique"),
  /** Opt-in shell commands run on every host: on create (before the scenario) and on destroy (after it). Nothing runs without them. */
  reset: z
    .strictObject({
      create: z.string().min(1).optional(),
      destroy: z.string().min(1).optional(),
    })
    .default({}),
});

/** A parsed hosts file, key paths resolved. */
export type HostsFile = z.infer<typeof hostsFileSchema>;

/** One host of a hosts file. */
export type HostEntry = HostsFile["hosts"][number];

/** Parses and validates hosts-file text; errors point at `file:line:col` and the field. */
export function parseHostsFile(file: string, text: string): HostsFile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const source = new SourceMap(doc, lines);
  if (doc.errors.length > 0) {
    throw invalid(
      file,
      doc.errors.map((e) => {
        const pos = lines.linePos(e.pos[0]);
        return formatScenarioIssue({
          file,
          line: pos.line,
          col: pos.col,
          path: "",
          message: e.message.split("\n")[0] ?? e.message,
        });
      }),
    );
  }
  const parsed = hostsFileSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    throw invalid(
      file,
      parsed.error.issues.map((issue) => {
        const path = issue.path.filter((p) => typeof p !== "symbol");
        const pos = source.valueAt(path);
        const message =
          issue.code === "unrecognized_keys" ? `unknown field(s) ${issue.keys.join(", ")}` : issue.message;
        return formatScenarioIssue({ file, ...pos, path: path.join("."), message });
      }),
    );
  }
  const base = dirname(file);
  return {
    ...parsed.data,
    hosts: parsed.data.hosts.map((h) => ({ ...h, keyPath: resolveKeyPath(h.keyPath, base) })),
  };
}

/** Reads, parses and validates a hosts file. */
export async function loadHostsFile(file: string): Promise<HostsFile> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new HarnessError(
      "HOSTS_FILE_UNREADABLE",
      `cannot read the hosts file ${file}: ${(error as Error).message}`,
      {
        hint: "give the ssh-hosts provider the path of a YAML file listing your hosts (see harness/providers/ssh-hosts/hosts.example.yaml)",
        exitCode: ExitCode.usage,
        cause: error,
      },
    );
  }
  return parseHostsFile(file, text);
}

function resolveKeyPath(path: string, base: string): string {
  if (path === "~" || path.startsWith("~/")) return join(homedir(), path.slice(1));
  return isAbsolute(path) ? path : resolve(base, path);
}

function invalid(file: string, problems: string[]): HarnessError {
  return new HarnessError("HOSTS_FILE_INVALID", problems.join("\n"), {
    hint: `fix ${problems.length === 1 ? "the problem" : `the ${problems.length} problems`} in ${file} (see harness/providers/ssh-hosts/hosts.example.yaml)`,
    exitCode: ExitCode.usage,
  });
}
