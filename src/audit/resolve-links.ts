import { posix } from "node:path";
import type { LinkRef } from "./links.js";

/**
 * Resolve links against the brain's files, offline. Markdown links resolve relative to the
 * linking file (a leading `/` means the brain root); wikilinks resolve the way Obsidian does:
 * by file name anywhere in the vault (case-insensitive, `.md` optional), a path narrows it, and
 * among several candidates the one nearest the linking file wins. Anchors match a heading by its
 * GitHub-style slug or by its text; `^block` references are accepted unchecked.
 */
export interface LinkTargets {
  /** Brain-relative paths of markdown files, with their headings. */
  docs: Map<string, string[]>;
  /** Brain-relative paths of attachments. */
  assets: Set<string>;
  /** Folders that exist (brain-relative, "" for the root). */
  folders: Set<string>;
  /** Lower-cased file name (no `.md` for notes) → paths. */
  byName: Map<string, string[]>;
}

export function buildLinkTargets(
  docs: { path: string; headings: string[] }[],
  assets: string[],
): LinkTargets {
  const targets: LinkTargets = {
    docs: new Map(),
    assets: new Set(assets),
    folders: new Set([""]),
    byName: new Map(),
  };
  const addName = (name: string, path: string) => {
    const list = targets.byName.get(name) ?? [];
    list.push(path);
    targets.byName.set(name, list);
  };
  for (const doc of docs) {
    targets.docs.set(doc.path, doc.headings);
    addName(posix.basename(doc.path).replace(/\.md$/i, "").toLowerCase(), doc.path);
  }
  for (const asset of assets) addName(posix.basename(asset).toLowerCase(), asset);
  for (const path of [...targets.docs.keys(), ...assets]) {
    for (let dir = posix.dirname(path); dir !== "." && !targets.folders.has(dir); dir = posix.dirname(dir)) {
      targets.folders.add(dir);
    }
  }
  return targets;
}

/** The brain-relative path a link points at (anchor ignored), or null when there is none. */
export function resolveLink(from: string, link: LinkRef, targets: LinkTargets): string | null {
  if (link.target === "") return from;
  return link.kind === "wiki"
    ? resolveWiki(from, link.target, targets)
    : resolveRelative(from, link.target, targets);
}

/** Null when the link resolves; otherwise why it does not. */
export function checkLink(from: string, link: LinkRef, targets: LinkTargets): string | null {
  const dest = resolveLink(from, link, targets);
  if (dest === null)
    return `no file ${link.kind === "wiki" ? `named "${link.target}"` : `at ${link.target}`}`;
  if (!link.anchor) return null;
  const headings = targets.docs.get(dest);
  if (!headings) return null;
  return hasAnchor(headings, link.anchor) ? null : `no heading "#${link.anchor}" in ${dest}`;
}

function resolveRelative(from: string, target: string, targets: LinkTargets): string | null {
  const joined = target.startsWith("/") ? target.slice(1) : posix.join(posix.dirname(from), target);
  const path = posix.normalize(joined).replace(/\/$/, "");
  if (path.startsWith("..")) return null;
  if (targets.docs.has(path) || targets.assets.has(path)) return path;
  if (path === "." || targets.folders.has(path)) return path === "." ? "" : path;
  if (targets.docs.has(`${path}.md`)) return `${path}.md`;
  return null;
}

function resolveWiki(from: string, target: string, targets: LinkTargets): string | null {
  const clean = target.replace(/\\/g, "/").replace(/^\/+/, "");
  const isNote = !/\.[a-z0-9]{1,5}$/i.test(clean) || /\.md$/i.test(clean);
  const name = posix.basename(clean).toLowerCase();
  const key = isNote ? name.replace(/\.md$/i, "") : name;
  const candidates = (targets.byName.get(key) ?? []).filter((p) => {
    const isDoc = targets.docs.has(p);
    if (isNote !== isDoc) return false;
    if (!clean.includes("/")) return true;
    const want = (isNote ? clean.replace(/\.md$/i, "") : clean).toLowerCase();
    const have = (isNote ? p.replace(/\.md$/i, "") : p).toLowerCase();
    const relative = posix.normalize(posix.join(posix.dirname(from), want));
    return have === want || have.endsWith(`/${want}`) || have === relative;
  });
  if (candidates.length === 0) return null;
  return candidates.sort(
    (a, b) => distance(from, a) - distance(from, b) || a.length - b.length || a.localeCompare(b),
  )[0]!;
}

/** Folder hops between two files: 0 for siblings. */
function distance(from: string, to: string): number {
  const a = posix.dirname(from).split("/");
  const b = posix.dirname(to).split("/");
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  return a.length - common + (b.length - common);
}

function hasAnchor(headings: string[], anchor: string): boolean {
  if (anchor.startsWith("^")) return true;
  const last = anchor.split("#").at(-1)!;
  const wanted = last.trim().toLowerCase();
  const slugs = new Map<string, number>();
  for (const heading of headings) {
    if (heading.trim().toLowerCase() === wanted) return true;
    const base = slug(heading);
    const n = slugs.get(base) ?? 0;
    slugs.set(base, n + 1);
    if ((n === 0 ? base : `${base}-${n}`) === wanted || base === slug(last)) return true;
  }
  return false;
}

/** GitHub's heading slug: lower case, punctuation dropped, spaces to dashes. */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}
