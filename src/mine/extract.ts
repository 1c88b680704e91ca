import type { AttemptCounter, ChatMessage, LlmRun } from "../llm/client.js";
import type { NearFact } from "./nearest.js";
import type { CleanEntry } from "./preprocess.js";
import { evidenceRepairMessages, repairMessages, replyJsonSchema } from "./prompt.js";
import { redact } from "./redact.js";
import { estimateTokens } from "./tokens.js";
import {
  type CheckedOp,
  parseReply,
  type Rejection,
  type ValidOp,
  validateOps,
  withoutEvidence,
} from "./validate.js";

export interface Extraction {
  valid: ValidOp[];
  rejected: Rejection[];
  noops: number;
  /** Ops refused only by the grounding check (for `kb eval`'s figures without the check). */
  ungrounded: CheckedOp[];
  model: string;
  attempts: number;
  /** The reply failed schema validation (after the repair attempt, if any). */
  schemaFailures: number;
  latencyMs: number;
}

/**
 * Ask the chain for operations on one chunk, validate the reply, and make one repair request when
 * it is malformed or an add/supersede carries no evidence. The repair counts against the chunk's
 * attempt cap; a repaired reply that is worse (not JSON) leaves the first one standing.
 */
export async function extractOps(options: {
  llm: LlmRun;
  apiKey: string;
  messages: ChatMessage[];
  near: NearFact[];
  /** The chunk's entries, as sent: evidence is checked against them. */
  entries: CleanEntry[];
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
  } else if (withoutEvidence(parsed.ops) > 0 && attempts.used < attempts.cap) {
    const first = parsed;
    const missing = withoutEvidence(parsed.ops);
    messages = evidenceRepairMessages(messages, redact(reply.content).text, missing);
    const again = await options.llm.complete(
      options.apiKey,
      { messages, schema, promptTokens: tokens(messages) },
      attempts,
      options.signal,
    );
    latency += again.latencyMs;
    parsed = parseReply(again.content);
    if (parsed.ok) reply = again;
    else {
      schemaFailures++;
      parsed = first;
    }
  }
  if (!parsed.ok) {
    return {
      valid: [],
      rejected: [{ reason: "REPLY_INVALID", detail: `${reply.model}: ${parsed.problem}` }],
      noops: 0,
      ungrounded: [],
      model: reply.model,
      attempts: attempts.used,
      schemaFailures,
      latencyMs: latency,
    };
  }
  const checked = validateOps(parsed.ops, options.near, options.allowedPaths, options.entries);
  return { ...checked, model: reply.model, attempts: attempts.used, schemaFailures, latencyMs: latency };
}
