/**
 * Secret redaction, applied to every text before it leaves the host (LLM prompts) and again to
 * everything the LLM sends back. Patterns are deliberately greedy: a false positive costs a
 * word, a false negative leaks a credential.
 */
interface Rule {
  kind: string;
  pattern: RegExp;
  /** Keep capture group 1 (a label such as `password=`) and replace the rest. */
  keepPrefix?: boolean;
}

const rules: Rule[] = [
  {
    kind: "private-key",
    pattern:
      /-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----[\s\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----|$)/g,
  },
  { kind: "anthropic-key", pattern: /\bsk-ant-[a-z0-9]{2,10}-[A-Za-z0-9_-]{16,}/g },
  { kind: "openai-key", pattern: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/g },
  { kind: "stripe-key", pattern: /\b[rsp]k_(?:live|test)_[A-Za-z0-9]{16,}/g },
  { kind: "github-token", pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})/g },
  { kind: "gitlab-token", pattern: /\bglpat-[A-Za-z0-9_-]{20,}/g },
  { kind: "slack-token", pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g },
  { kind: "aws-key-id", pattern: /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[A-Z0-9]{16}\b/g },
  { kind: "google-key", pattern: /\bAIza[0-9A-Za-z_-]{35}/g },
  { kind: "jwt", pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g },
  {
    kind: "auth-header",
    pattern: /((?:proxy-)?authorization["']?\s*[:=]\s*["']?(?:bearer|basic|token|digest)?\s*)[^\s"',;]{6,}/gi,
    keepPrefix: true,
  },
  { kind: "bearer-token", pattern: /(\bbearer\s+)[A-Za-z0-9._~+/=-]{12,}/gi, keepPrefix: true },
  {
    kind: "url-password",
    pattern: /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@"']+:)[^\s@/"']+(?=@)/gi,
    keepPrefix: true,
  },
  {
    kind: "secret-pair",
    pattern:
      /((?:\b|_)(?:password|passwd|passphrase|pwd|secret|client_secret|api[_-]?key|apikey|access[_-]?key|secret[_-]?key|auth[_-]?token|access[_-]?token|refresh[_-]?token|private[_-]?key|token)["']?\s*(?:[:=]|\s(?:is|was)\s)\s*["']?)(?!\[REDACTED)[^\s"',;}]{4,}/gi,
    keepPrefix: true,
  },
  {
    kind: "aws-secret",
    pattern: /((?:aws_secret_access_key|aws_session_token)["']?\s*[:=]\s*["']?)[A-Za-z0-9/+=]{20,}/gi,
    keepPrefix: true,
  },
];

export interface Redaction {
  text: string;
  /** How many secrets of each kind were replaced. */
  counts: Record<string, number>;
}

export function redact(text: string): Redaction {
  const counts: Record<string, number> = {};
  let out = text;
  for (const rule of rules) {
    out = out.replace(rule.pattern, (...m: unknown[]) => {
      counts[rule.kind] = (counts[rule.kind] ?? 0) + 1;
      const prefix = rule.keepPrefix ? String(m[1] ?? "") : "";
      return `${prefix}[REDACTED:${rule.kind}]`;
    });
  }
  return { text: out, counts };
}

/** Whether text still holds something that looks like a secret (used on LLM output). */
export function containsSecret(text: string): boolean {
  return Object.keys(redact(text).counts).length > 0;
}
