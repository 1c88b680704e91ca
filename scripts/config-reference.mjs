#!/usr/bin/env node
// The configuration reference in docs/configuration.md, generated from the config schema so it
// cannot drift: every key with its type, its default and what it does.
//
//   node scripts/config-reference.mjs           print the generated reference (markdown)
//   node scripts/config-reference.mjs --write   replace it between the markers in docs/configuration.md
//   npm run docs:config                         build, then --write
//
// Keys, types and defaults come from the schema itself (the JSON Schema editors use, and the
// defaults an empty config parses to). Descriptions come from the `/** … */` comment above each
// key in src/config/schema.ts and src/config/sections/*.ts; the few keys without one are
// described in NOTES below. test/docs/config-reference.test.ts fails when the page is stale or a
// key has no description.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { z } from "zod";

const root = resolve(import.meta.dirname, "..");
const { configJsonSchema } = await import(join(root, "dist/src/config/json-schema.js"));
const { configSchema } = await import(join(root, "dist/src/config/schema.js"));
const common = await import(join(root, "dist/src/config/sections/common.js"));
const { jobs } = await import(join(root, "dist/jobs/index.js"));

export const START = "<!-- config-reference:start -->";
export const END = "<!-- config-reference:end -->";
const DOC = join(root, "docs/configuration.md");

/** Defaults the schema leaves to the code that reads the config. */
export const DEFAULTS = {
  host: "the machine's short host name, lower-cased",
  // a job's default schedule, for the jobs `schedule.<job>` can override (dedup is per scope)
  ...Object.fromEntries(
    jobs
      .filter((job) => job.name in configJsonSchema().properties.schedule.properties)
      .map((job) => [`schedule.${job.name}`, `\`${job.schedule}\` (the job registry)`]),
  ),
};

/** Descriptions for keys the schema's source gives no comment. Keyed by the path as printed. */
export const NOTES = {
  "sync.sshConnectTimeoutSeconds": "SSH connect timeout for every git command that reaches the hub.",
  "mine.sources": "The agent logs to mine, one entry per agent and log folder.",
  "mine.sources[].agent": "The agent the logs belong to (named in provenance, branches and reports).",
  "mine.sources[].kind":
    "What the logs are: `openclaw` (an agent's folder: store, live JSONL and archives, any OpenClaw version), `openclaw-jsonl`, `openclaw-sqlite`, `openclaw-memory` (daily memory notes), `claude-code`, `markdown`.",
  "mine.autonomy": "Per-path modes that override `mine.mode`, e.g. `[{ paths: [\"marketing/**\"], mode: apply }]`.",
  "mine.autonomy[].paths": "Brain-relative globs the rule covers.",
  "mine.autonomy[].mode": "`review` (a commit on a review branch) or `apply` (a commit on the main branch).",
  "mine.chunkTokens": "Log text per LLM request, in estimated tokens.",
  "mine.budget": "Per-run limits; a run that reaches one stops cleanly at a checkpoint.",
  "mine.budget.calls": "LLM requests per run.",
  "mine.budget.tokens": "Prompt and completion tokens per run.",
  "mine.budget.costUsd": "Estimated cost per run in USD (from `llm.prices`).",
  "llm.timeoutSeconds": "Per request.",
  "llm.prices": "Prices per model name, for cost estimates and the budget.",
  "dedup.scopes": "One scope per agent folder (or any glob set); each runs on its own, staggered.",
  "dedup.scopes[].name": "The scope's name (`kb dedup --scope NAME`, reports, schedules).",
  "dedup.scopes[].paths": "Brain-relative globs of the files in the scope.",
  "dedup.staggerMinutes": "Minutes between the staggered scopes' start times.",
  "dedup.judge.enabled": "Send review pairs whose guards all pass to the LLM (duplicate, distinct or unsure).",
  "audit.rules[].paths": "Brain-relative globs the rule covers.",
  "audit.rules[].reviewEvery": "Their review interval.",
  "schedule.sync": "When `sync` runs on this host.",
  "schedule.mine": "When `mine` runs on this host.",
  "schedule.audit": "When `audit` runs on this host.",
  "alerts.retries": "Retries per post for network errors, 429 and 5xx (none for other 4xx).",
  "recall.openclaw.command": "The command that runs OpenClaw, e.g. `node /opt/openclaw/openclaw.mjs`.",
  "recall.openclaw.home": "The agent's HOME, to measure that agent's own OpenClaw config.",
};

// ── descriptions from the schema's source comments ──────────────────────────────────────────

/**
 * Reads `/** … *\/` comments and the key lines under them from the schema's TypeScript source
 * (formatted by biome: two-space indents, one key per line). Returns, per schema constant, its own
 * comment and the comment of each key path inside it, and which constants a key refers to.
 */
function sourceComments() {
  const dir = join(root, "src/config");
  const files = ["schema.ts", ...readdirSync(join(dir, "sections")).map((f) => `sections/${f}`)];
  const consts = new Map(); // name → { comment, keys: Map(chain → comment), refs: [{chain, target, shape}] , record }
  for (const file of files) {
    const lines = readFileSync(join(dir, file), "utf8").split("\n");
    let pending = null;
    let current = null;
    let stack = [];
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      const open = /^\s*\/\*\*(.*)$/.exec(line);
      if (open) {
        let text = open[1];
        while (!text.includes("*/") && i + 1 < lines.length) text += `\n${lines[++i]}`;
        pending = text
          .replace(/\*\/.*$/s, "")
          .split("\n")
          .filter((l) => !/^\s*\*\s{2,}\S/.test(l)) // an indented example, not prose
          .map((l) => l.replace(/^\s*\*\s?/, "").trim())
          .filter(Boolean)
          .join(" ")
          .replace(/\*\\\//g, "*/");
        continue;
      }
      const decl = /^(?:export )?const (\w+) = (.*)$/.exec(line);
      if (decl) {
        current = { comment: pending, keys: new Map(), refs: [], record: /^z\.record\(/.test(decl[2]) };
        consts.set(decl[1], current);
        stack = [];
        pending = null;
        continue;
      }
      const key = /^(\s+)(\w+): (.*)$/.exec(line);
      if (key && current) {
        const indent = key[1].length;
        while (stack.length > 0 && stack.at(-1).indent >= indent) stack.pop();
        const chain = [...stack.map((s) => s.key), key[2]];
        if (pending) current.keys.set(chain.join("."), pending);
        const ref = /\b(\w+Schema)\b/.exec(key[3]);
        if (ref) {
          const shape = /z\.array\(\s*\w+Schema/.test(key[3]) ? "[]" : /z\.record\(/.test(key[3]) ? "<name>" : "";
          current.refs.push({ chain, target: ref[1], shape });
        }
        stack.push({ indent, key: key[2] });
      }
      if (line.trim() !== "") pending = null;
    }
  }
  // Where each constant sits in the config: configSchema is the root; follow the references.
  const prefixes = new Map([["configSchema", []]]);
  for (let changed = true; changed; ) {
    changed = false;
    for (const [name, c] of consts) {
      const prefix = prefixes.get(name);
      if (!prefix) continue;
      for (const ref of c.refs) {
        const target = consts.get(ref.target);
        if (!target || target.keys.size + target.refs.length === 0 || prefixes.has(ref.target)) continue;
        const at = [...prefix, ...ref.chain];
        if (ref.shape === "[]") at[at.length - 1] += "[]";
        if (ref.shape === "<name>") at.push("<name>");
        prefixes.set(ref.target, target.record ? [...at, "<name>"] : at);
        if (target.comment) descriptions.set(at.join("."), target.comment);
        changed = true;
      }
    }
  }
  for (const [name, c] of consts) {
    const prefix = prefixes.get(name);
    if (!prefix) continue;
    for (const [chain, comment] of c.keys) descriptions.set([...prefix, chain].filter(Boolean).join("."), comment);
  }
}
const descriptions = new Map();
sourceComments();

// ── keys, types and defaults from the schema ─────────────────────────────────────────────────

const patterns = new Map(
  [
    [common.durationSchema, "duration (`30d`, `12w`, `3mo`, `1y`)"],
    [common.cronSchema, "cron expression"],
    [common.envVarSchema, "environment variable name"],
  ].map(([schema, label]) => [z.toJSONSchema(schema).pattern, label]),
);
const defaults = configSchema.parse({});

function typeOf(s) {
  if (s.anyOf) {
    const [a, b] = s.anyOf;
    if (s.anyOf.length === 2 && a.type === "string" && b.type === "array") return "glob or list of globs";
    return s.anyOf.map(typeOf).join(" or ");
  }
  if (s.enum) return s.enum.map((v) => `\`${v}\``).join(" \\| ");
  if (s.type === "string") {
    if (s.pattern && patterns.has(s.pattern)) return patterns.get(s.pattern);
    if (s.format === "uri") return "URL";
    if (s.pattern === "^\\d{1,2}:\\d{2}$") return "time `HH:MM`";
    return "string";
  }
  if (s.type === "integer" || s.type === "number") {
    const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? `> ${s.exclusiveMinimum}` : undefined);
    const max = s.maximum !== undefined && s.maximum < Number.MAX_SAFE_INTEGER ? s.maximum : undefined;
    const word = s.type === "integer" ? "integer" : "number";
    if (min !== undefined && max !== undefined && typeof min === "number") return `${word}, ${min}–${max}`;
    if (min !== undefined && max !== undefined) return `${word} ${min}, ≤ ${max}`;
    if (typeof min === "number") return `${word} ≥ ${min}`;
    if (min !== undefined) return `${word} ${min}`;
    return word;
  }
  if (s.type === "array") return s.items?.type === "object" ? "list" : `list of ${plural(typeOf(s.items ?? {}))}`;
  if (s.type === "object") return s.additionalProperties && !s.properties ? "map" : "object";
  return s.type ?? "any";
}

function plural(type) {
  if (type.includes("`")) return type; // an enum
  return type.replace(/^(string|integer|number|cron expression|duration|glob)\b/, "$1s");
}

function show(value) {
  if (value === undefined) return "—";
  if (typeof value === "number" && value >= 1024 * 1024 && value % (1024 * 1024) === 0)
    return `${value / (1024 * 1024)} MiB (${value})`;
  return `\`${JSON.stringify(value)}\``.replace(/\|/g, "\\|");
}

function at(object, path) {
  let value = object;
  for (const part of path) value = value?.[part];
  return value;
}

/** Rows for every key: objects are flattened, lists and maps get a row and their items' keys. */
function rows(schema, path, out) {
  for (const [key, s] of Object.entries(schema.properties ?? {})) {
    const here = [...path, key];
    const name = here.join(".");
    const parsedDefault = here.some((p) => p.endsWith("[]") || p === "<name>") ? undefined : at(defaults, here);
    const value = parsedDefault ?? s.default;
    const required = schema.required?.includes(key) && !here.slice(0, -1).every((p) => !p.endsWith("[]") && p !== "<name>");
    const objectRow = s.type === "object" && s.properties && !s.additionalProperties?.properties;
    if (!objectRow) {
      out.push({
        name,
        type: typeOf(s),
        default: DEFAULTS[name] ?? (required ? "required" : typeof value === "object" && value !== null && Object.keys(value).length > 0 && !Array.isArray(value) ? "—" : show(value)),
        description: descriptions.get(name) ?? NOTES[name],
      });
    } else if (descriptions.get(name) ?? NOTES[name]) {
      out.push({ name, type: "object", default: "—", description: descriptions.get(name) ?? NOTES[name] });
    }
    if (s.type === "object" && s.properties) rows(s, here, out);
    if (s.type === "array" && s.items?.properties) rows(s.items, [...path, `${key}[]`], out);
    if (s.type === "object" && s.additionalProperties?.properties) rows(s.additionalProperties, [...here, "<name>"], out);
  }
  return out;
}

export function referenceRows() {
  return rows(configJsonSchema(), [], []);
}

/** NOTES and DEFAULTS entries that describe no key, or a key whose source comment now says it. */
export function staleNotes() {
  const names = new Set(referenceRows().map((r) => r.name));
  return [
    ...Object.keys(NOTES).filter((name) => !names.has(name) || descriptions.has(name)),
    ...Object.keys(DEFAULTS).filter((name) => !names.has(name)),
  ];
}

export function reference() {
  const all = referenceRows();
  const sections = new Map([["", []]]);
  for (const row of all) {
    const top = row.name.includes(".") ? row.name.split(/[.[]/)[0] : "";
    if (!sections.has(top)) sections.set(top, []);
    sections.get(top).push(row);
  }
  // a section's own row (e.g. `agents`, `recall`) opens its table instead of the top-level one
  const out = [];
  for (const [section, list] of sections) {
    const own = all.find((r) => r.name === section);
    const body = section === "" ? list.filter((r) => !sections.has(r.name)) : own ? [own, ...list] : list;
    out.push(section === "" ? "### Top level" : `### \`${section}\``, "");
    out.push("| key | type | default | what it does |", "|---|---|---|---|");
    for (const r of body) {
      const text = (r.description ?? "").replace(/\|/g, "\\|");
      out.push(`| \`${r.name}\` | ${r.type} | ${r.default} | ${text} |`);
    }
    out.push("");
  }
  return out.join("\n").trimEnd();
}

const isMain = process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename);
if (isMain) {
  const text = reference();
  if (process.argv.includes("--write")) {
    const doc = readFileSync(DOC, "utf8");
    const from = doc.indexOf(START);
    const to = doc.indexOf(END);
    if (from === -1 || to === -1) throw new Error(`${DOC} has no ${START} … ${END} markers`);
    writeFileSync(DOC, `${doc.slice(0, from + START.length)}\n${text}\n${doc.slice(to)}`);
    process.stderr.write(`wrote ${DOC}\n`);
  } else {
    process.stdout.write(`${text}\n`);
  }
}
