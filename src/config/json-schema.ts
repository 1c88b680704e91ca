import { z } from "zod";
import { configSchema } from "./schema.js";

/** The JSON Schema editors use to complete and check `kb.config.yaml`. */
export function configJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(configSchema, { io: "input", unrepresentable: "any" }),
    title: "kb configuration (kb.config.yaml)",
  };
}
