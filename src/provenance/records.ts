import { normaliseFact } from "../dedup/normalise.js";
import type { AppliedOp } from "../mine/apply.js";
import type { EvidenceEntry } from "../mine/grounding.js";
import { redact } from "../mine/redact.js";
import type { Db } from "../state/db.js";

/** The full record of one mined fact, as kept in the mining host's state database. */
export interface MinedFact {
  id: number;
  runId: number;
  op: "add" | "supersede" | "enrich";
  path: string;
  text: string;
  supersedes: string | null;
  archivedTo: string | null;
  agent: string;
  sourceFile: string;
  session: string | null;
  entries: EvidenceEntry[];
  entryAt: string | null;
  quote: string;
  model: string;
  mode: "review" | "apply";
  branch: string | null;
  commit: string | null;
  minedAt: string;
}

export interface RecordContext {
  runId: number;
  agent: string;
  sourceFile: string;
  model: string;
  mode: "review" | "apply";
  branch: string | null;
  commit: string | null;
  at: string;
}

/** Record the facts a chunk wrote (duplicates wrote nothing). Quotes are redacted once more on the way in. */
export function recordMinedFacts(db: Db, ops: AppliedOp[], ctx: RecordContext): void {
  const insert = db.prepare(
    `INSERT INTO mine_facts (run_id, op, path, text, norm, supersedes, archived_to, agent, source_file, session,
       entries, entry_at, quote, model, mode, branch, commit_sha, mined_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (const o of ops) {
      if (o.op === "duplicate" || !o.evidence) continue;
      const first = o.evidence.entries[0];
      insert.run(
        ctx.runId,
        o.op,
        o.path,
        o.text,
        normaliseFact(o.text),
        o.supersedes ?? null,
        o.archivedTo ?? null,
        ctx.agent,
        ctx.sourceFile,
        first?.session ?? null,
        JSON.stringify(o.evidence.entries),
        first?.at || null,
        redact(o.evidence.quote).text,
        ctx.model,
        ctx.mode,
        ctx.branch,
        ctx.commit,
        ctx.at,
      );
    }
  })();
}

interface Row {
  id: number;
  run_id: number;
  op: MinedFact["op"];
  path: string;
  text: string;
  supersedes: string | null;
  archived_to: string | null;
  agent: string;
  source_file: string;
  session: string | null;
  entries: string;
  entry_at: string | null;
  quote: string;
  model: string;
  mode: MinedFact["mode"];
  branch: string | null;
  commit_sha: string | null;
  mined_at: string;
}

function fromRow(r: Row): MinedFact {
  return {
    id: r.id,
    runId: r.run_id,
    op: r.op,
    path: r.path,
    text: r.text,
    supersedes: r.supersedes,
    archivedTo: r.archived_to,
    agent: r.agent,
    sourceFile: r.source_file,
    session: r.session,
    entries: JSON.parse(r.entries) as EvidenceEntry[],
    entryAt: r.entry_at,
    quote: r.quote,
    model: r.model,
    mode: r.mode,
    branch: r.branch,
    commit: r.commit_sha,
    minedAt: r.mined_at,
  };
}

/** Records of facts with this text (compared after dedup's normalisation), oldest first. */
export function minedRecordsFor(db: Db, text: string): MinedFact[] {
  const rows = db
    .prepare("SELECT * FROM mine_facts WHERE norm = ? ORDER BY id")
    .all(normaliseFact(text)) as Row[];
  return rows.map(fromRow);
}

/** Records of facts that replaced one with this text. */
export function supersededBy(db: Db, text: string): MinedFact[] {
  const norm = normaliseFact(text);
  const rows = db.prepare("SELECT * FROM mine_facts WHERE supersedes IS NOT NULL ORDER BY id").all() as Row[];
  return rows.filter((r) => normaliseFact(r.supersedes!) === norm).map(fromRow);
}
