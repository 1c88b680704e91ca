import type { Config } from "../config/load.js";
import type { Db } from "../state/db.js";
import type { Logger } from "./log.js";

/**
 * Alerts: a Slack-compatible webhook told once when something needs a person — a job failing, a
 * sync conflict, a job overdue, a mining budget stop — and once more when it clears. Open alerts
 * live in SQLite (`alerts_open`), so a job failing every 30 minutes posts once, not 48 times a
 * day, and a post the webhook did not accept is retried the next time the condition is seen.
 *
 * Delivery is bounded (timeout per attempt, a few retries) and never throws: an unreachable chat
 * service must not turn a good sync into a failed one.
 */
export type AlertKind = "failure" | "conflict" | "overdue" | "budget" | "recall" | "contested" | "demoted";

export interface Alert {
  /** Identifies the condition, e.g. `run:sync`, `overdue:dedup:hr`, `budget:mine`. */
  key: string;
  kind: AlertKind;
  /** One line for people, without the host (added here). */
  message: string;
}

export interface AlertDeps {
  config: Pick<Config, "alerts" | "host">;
  db: Db;
  log: Logger;
  now: Date;
  env?: NodeJS.ProcessEnv;
}

interface OpenRow {
  key: string;
  kind: AlertKind;
  message: string;
  delivered: number;
}

const emoji: Record<AlertKind | "resolved", string> = {
  failure: ":red_circle:",
  conflict: ":warning:",
  overdue: ":hourglass:",
  budget: ":moneybag:",
  recall: ":mag:",
  contested: ":scales:",
  demoted: ":rewind:",
  resolved: ":white_check_mark:",
};

/** The webhook URL, from `alerts.webhookEnv` first, then `alerts.webhook`; null when alerts are off. */
export function webhookUrl(
  config: Pick<Config, "alerts">,
  env: NodeJS.ProcessEnv = process.env,
): string | null {
  const fromEnv = config.alerts.webhookEnv ? env[config.alerts.webhookEnv]?.trim() : undefined;
  return fromEnv || config.alerts.webhook || null;
}

/** Announce a condition unless it is already announced. Returns whether a post was accepted. */
export async function raiseAlert(deps: AlertDeps, alert: Alert): Promise<boolean> {
  const url = webhookUrl(deps.config, deps.env);
  const at = deps.now.toISOString();
  const open = deps.db.prepare("SELECT * FROM alerts_open WHERE key = ?").get(alert.key) as
    | OpenRow
    | undefined;
  if (open?.delivered) {
    deps.db
      .prepare("UPDATE alerts_open SET seen_at = ?, message = ? WHERE key = ?")
      .run(at, alert.message, alert.key);
    return false;
  }
  deps.db
    .prepare(
      `INSERT INTO alerts_open (key, kind, message, opened_at, seen_at, delivered) VALUES (?, ?, ?, ?, ?, 0)
       ON CONFLICT (key) DO UPDATE SET kind = excluded.kind, message = excluded.message, seen_at = excluded.seen_at`,
    )
    .run(alert.key, alert.kind, alert.message, at, at);
  if (!url) return false;
  const text = `${emoji[alert.kind]} kb on ${deps.config.host}: ${alert.message}`;
  const ok = await postWebhook(url, payload(deps, alert.key, alert.kind, "firing", text), deps);
  if (ok) deps.db.prepare("UPDATE alerts_open SET delivered = 1 WHERE key = ?").run(alert.key);
  return ok;
}

/** Clear a condition; if it had been announced, say it is resolved (unless `alerts.sendResolved` is off). */
export async function resolveAlert(deps: AlertDeps, key: string, message: string): Promise<boolean> {
  const open = deps.db.prepare("SELECT * FROM alerts_open WHERE key = ?").get(key) as OpenRow | undefined;
  if (!open) return false;
  deps.db.prepare("DELETE FROM alerts_open WHERE key = ?").run(key);
  const url = webhookUrl(deps.config, deps.env);
  if (!url || !open.delivered || !deps.config.alerts.sendResolved) return false;
  const text = `${emoji.resolved} kb on ${deps.config.host}: ${message}`;
  return postWebhook(url, payload(deps, key, open.kind, "resolved", text), deps);
}

/** Conditions announced, or waiting for the webhook to accept them. */
export function openAlerts(db: Db): { key: string; kind: AlertKind; message: string; openedAt: string }[] {
  return (
    db.prepare("SELECT key, kind, message, opened_at FROM alerts_open ORDER BY opened_at").all() as {
      key: string;
      kind: AlertKind;
      message: string;
      opened_at: string;
    }[]
  ).map((r) => ({ key: r.key, kind: r.kind, message: r.message, openedAt: r.opened_at }));
}

/** Slack reads `text`; other receivers get the structured fields beside it. */
function payload(deps: AlertDeps, key: string, kind: AlertKind, state: "firing" | "resolved", text: string) {
  return { text, kb: { host: deps.config.host, key, kind, state, at: deps.now.toISOString() } };
}

/**
 * POST JSON with a timeout per attempt, retrying network errors, 429 and 5xx with backoff
 * (honouring a short Retry-After). Never throws; the URL is never logged (it is a secret).
 */
export async function postWebhook(
  url: string,
  body: unknown,
  deps: Pick<AlertDeps, "config" | "log">,
): Promise<boolean> {
  const { retries, timeoutSeconds } = deps.config.alerts;
  const target = safeHost(url);
  for (let attempt = 0; attempt <= retries; attempt++) {
    let wait = 500 * 2 ** attempt;
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutSeconds * 1000),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return true;
      if (res.status !== 429 && res.status < 500) {
        deps.log.warn("alert webhook refused the post; check alerts.webhook", {
          host: target,
          status: res.status,
        });
        return false;
      }
      const retryAfter = Number(res.headers.get("retry-after"));
      if (Number.isFinite(retryAfter) && retryAfter > 0) wait = Math.min(retryAfter * 1000, 5000);
      deps.log.warn("alert webhook busy", { host: target, status: res.status, attempt: attempt + 1 });
    } catch (error) {
      deps.log.warn("alert webhook unreachable", {
        host: target,
        attempt: attempt + 1,
        error: error instanceof Error ? error.message : String(error),
      });
    }
    if (attempt < retries) await new Promise((r) => setTimeout(r, wait));
  }
  return false;
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "(invalid URL)";
  }
}
