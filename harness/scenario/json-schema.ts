// Generates scenarios/scenario.schema.json from the zod schema, for editor completion and validation.
import { z } from "zod";
import { scenarioSchema } from "./schema.ts";

/** The JSON Schema text (stable formatting) of the scenario language. */
export function scenarioJsonSchema(): string {
  const schema = z.toJSONSchema(scenarioSchema, { io: "input", unrepresentable: "any" });
  return `${JSON.stringify({ ...schema, title: "Kubernetes node harness scenario" }, null, 2)}\n`;
}
