// Parsers of `multipass info --format json` and `multipass list --format json` (pure, lenient about fields we do not use).
import { z } from "zod";
import { ExitCode, HarnessError } from "../../errors.ts";

/** What the provider needs to know about one instance. */
export interface MultipassInstance {
  name: string;
  /** `Running`, `Starting`, `Stopped`, `Deleted`, `Delayed Shutdown`, ... as multipass prints it. */
  state: string;
  /** Every IPv4 address multipass reports, first one first; empty while booting or stopped. */
  ipv4: string[];
  /** `Ubuntu 24.04.1 LTS`, or "" when unknown (stopped instances). */
  release: string;
}

const ipv4List = z.array(z.string()).catch([]);

const infoSchema = z.object({
  errors: z.array(z.unknown()).optional(),
  info: z.record(
    z.string(),
    z.looseObject({
      state: z.string().optional(),
      ipv4: ipv4List.optional(),
      release: z.string().optional(),
    }),
  ),
});

const listSchema = z.object({
  list: z.array(
    z.looseObject({
      name: z.string(),
      state: z.string(),
      ipv4: ipv4List.optional(),
      release: z.string().optional(),
    }),
  ),
});

/** Parses `multipass info --format json`; instances that only carry snapshot details have state "". */
export function parseMultipassInfo(text: string): MultipassInstance[] {
  const data = parseJson(text, "info", infoSchema);
  return Object.entries(data.info).map(([name, item]) => ({
    name,
    state: item.state ?? "",
    ipv4: item.ipv4 ?? [],
    release: item.release ?? "",
  }));
}

/** Parses `multipass list --format json`. */
export function parseMultipassList(text: string): MultipassInstance[] {
  const data = parseJson(text, "list", listSchema);
  return data.list.map((item) => ({
    name: item.name,
    state: item.state,
    ipv4: item.ipv4 ?? [],
    release: item.release === "Not Available" ? "" : (item.release ?? ""),
  }));
}

/** Parses the JSON object in a command's stdout (skipping any notice printed before it) against a schema. */
function parseJson<T>(text: string, command: string, schema: z.ZodType<T>): T {
  const start = text.indexOf("{");
  let raw: unknown;
  try {
    raw = JSON.parse(start < 0 ? text : text.slice(start));
  } catch (error) {
    throw unreadable(command, text, error);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw unreadable(command, text, parsed.error);
  return parsed.data;
}

function unreadable(command: string, text: string, cause: unknown): HarnessError {
  const excerpt = text.trim().slice(0, 200) || "(empty output)";
  return new HarnessError(
    "MULTIPASS_OUTPUT_UNREADABLE",
    `multipass ${command} --format json printed something the harness cannot read: ${excerpt}`,
    {
      hint: "run `multipass version` and the same command by hand; if your multipass changed its JSON format, report it with that output",
      exitCode: ExitCode.infra,
      cause,
    },
  );
}
