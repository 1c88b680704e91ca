import type { AttemptCounter, ChatMessage, LlmRun } from "../llm/client.js";
import type { NearFact } from "./nearest.js";
import { repairMessages, replyJsonSchema } from "./prompt.js";
import { redact } from "./redact.js";
import { estimateTokens } from "./tokens.js";
import { parseReply, type Rejection, type ValidOp, validateOps } from "./validate.js";

export interface Extraction {
  valid: ValidOp[];
  rejected: Rejection[];
  noops: number;
  model: string;
  attempts: number;
  /** The reply failed schema validation (after the repair attempt, if any). */
  schemaFailures: number;
  latencyMs: number;
}

/**
 * Ask the chain for operations on one chunk, validate the reply, and make one repair request when
 * it is malformed. The repair counts against the chunk's attempt cap.
 */
export async function extractOps(options: {
  llm: LlmRun;
  apiKey: string;
  messages: ChatMessage[];
  near: NearFact[];
  allowedPaths: string[];
  maxAttempts: number;
  signal?: AbortSignal;
}): Promise<Extraction> {
  const attempts: AttemptCounter = { used: 0, cap: options.maxAttempts };
  const schema = { name: "kb_mine_ops", schema: replyJsonSchema as unknown as Record<string, unknown> };
  const tokens = (m: ChatMessage[]) => estimateTokens(m.map((x) => x.content).join("\n"));
  let messages = options.messages;
  let reply = await options.llm.complete(
    options.apiKey,
    { messages, schema, promptTokens: tokens(messages) },
    attempts,
    options.signal,
  );
  let latency = reply.latencyMs;
  let parsed = parseReply(reply.content);
  let schemaFailures = 0;
  if (!parsed.ok) {
    schemaFailures++;
    if (attempts.used < attempts.cap) {
      messages = repairMessages(messages, redact(reply.content).text, parsed.problem);
      reply = await options.llm.complete(
        options.apiKey,
        { messages, schema, promptTokens: tokens(messages) },
        attempts,
        options.signal,
      );
      latency += reply.latencyMs;
      parsed = parseReply(reply.content);
      if (!parsed.ok) schemaFailures++;
    }
  }
  if (!parsed.ok) {
    return {
      valid: [],
      rejected: [{ reason: "REPLY_INVALID", detail: `${reply.model}: ${parsed.problem}` }],
      noops: 0,
      model: reply.model,
      attempts: attempts.used,
      schemaFailures,
      latencyMs: latency,
    };
  }
  const checked = validateOps(parsed.ops, options.near, options.allowedPaths);
  return { ...checked, model: reply.model, attempts: attempts.used, schemaFailures, latencyMs: latency };
}
