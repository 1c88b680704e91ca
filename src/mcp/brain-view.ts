import { stripKbComments } from "../brain/provenance.js";
import type { ScanResult } from "../brain/scan.js";
import type { BrainDoc } from "../brain/types.js";
import { KbError } from "../errors.js";
import { isSearchable } from "../search/index-store.js";
import { freshness } from "../search/render.js";
import type { Review } from "../search/review.js";

/** A file's current facts, grouped by section, with the file's freshness: what `read_file` answers. */
export interface FileView {
  file: string;
  title: string | null;
  owner: string | null;
  state: Review["state"];
  due: string | null;
  reason: string;
  sections: { section: string; facts: { line: number; text: string; contested?: string }[] }[];
}

/** What consolidation marks on the read path (see search/marks.ts). */
export interface FactMarks {
  contested: Map<string, string>;
  replaced: Map<string, unknown>;
}

export interface OutlineEntry {
  file: string;
  title: string | null;
  owner: string | null;
  state: Review["state"];
  due: string | null;
  sections: { section: string; facts: number }[];
}

type Judge = (path: string, frontmatter: Record<string, unknown>) => Review;

/** The live document at `path`, or an error an agent can act on (archived, missing, unreadable). */
export function findDoc(scan: ScanResult, path: string): BrainDoc {
  const clean = path.trim().replace(/^\.?\/+/, "");
  if (!isSearchable(clean) || clean.split("/").includes(".."))
    throw new KbError(
      "MCP_PATH_REFUSED",
      `${path}: not readable through kb; _archive/, dot-folders and paths leaving the brain are never served`,
    );
  const doc = scan.docs.find((d) => d.path === clean);
  if (doc) return doc;
  const error = scan.errors.find((e) => e.path === clean);
  if (error)
    throw new KbError(
      "MCP_FILE_UNREADABLE",
      `${clean}: kb cannot read this file (${error.code}: ${error.message})`,
    );
  throw new KbError(
    "MCP_NO_SUCH_FILE",
    `${path}: no such file in the brain; paths are relative to the brain, e.g. ${scan.docs[0]?.path ?? "company/people.md"} (the outline tool lists them all)`,
  );
}

export function fileView(doc: BrainDoc, judge: Judge, marks?: FactMarks): FileView {
  const data = doc.frontmatter?.data ?? {};
  const review = judge(doc.path, data);
  const sections: FileView["sections"] = [];
  for (const fact of doc.facts) {
    const text = stripKbComments(fact.text);
    if (!text || marks?.replaced.has(`${doc.path}\n${text}`)) continue;
    const section = fact.heading >= 0 ? (doc.headings[fact.heading]?.text ?? "") : "";
    let group = sections.at(-1);
    if (!group || group.section !== section) {
      group = { section, facts: [] };
      sections.push(group);
    }
    const contested = marks?.contested.get(`${doc.path}\n${text}`);
    group.facts.push(contested ? { line: fact.line, text, contested } : { line: fact.line, text });
  }
  return {
    file: doc.path,
    title: typeof data.title === "string" ? data.title : null,
    owner: review.owner,
    state: review.state,
    due: review.due,
    reason: review.reason,
    sections,
  };
}

export function renderFileView(view: FileView): string {
  const head = `${view.file}${view.title ? ` — ${view.title}` : ""} · ${view.owner ?? "no owner"} · ${freshness(view)}`;
  const lines = [head];
  if (view.reason) lines.push(view.reason);
  for (const s of view.sections) {
    lines.push("", `## ${s.section || "(no section)"}`);
    for (const f of s.facts)
      lines.push(`- ${f.text}  (line ${f.line})${f.contested ? `  ${f.contested}` : ""}`);
  }
  if (view.sections.length === 0) lines.push("", "(no facts)");
  return lines.join("\n");
}

/** Every live file with its sections and fact counts, optionally under one folder. */
export function outline(scan: ScanResult, judge: Judge, folder?: string): OutlineEntry[] {
  const prefix = folder ? `${folder.replace(/^\.?\/+|\/+$/g, "")}/` : "";
  return scan.docs
    .filter((d) => isSearchable(d.path) && d.path.startsWith(prefix))
    .map((doc) => {
      const view = fileView(doc, judge);
      return {
        file: view.file,
        title: view.title,
        owner: view.owner,
        state: view.state,
        due: view.due,
        sections: view.sections.map((s) => ({ section: s.section, facts: s.facts.length })),
      };
    });
}

export function renderOutline(entries: OutlineEntry[]): string {
  return entries
    .map((e) => {
      const sections = e.sections.map((s) => `${s.section || "(no section)"} (${s.facts})`).join("; ");
      return `${e.file}${e.title ? ` — ${e.title}` : ""} · ${e.owner ?? "no owner"} · ${freshness(e)}${sections ? `\n  ${sections}` : ""}`;
    })
    .join("\n");
}
