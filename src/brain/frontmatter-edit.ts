import { isMap, isScalar, isSeq, type Pair, Scalar, stringify, type Node as YamlNode } from "yaml";
import type { Splice } from "./edit.js";
import { findFrontmatter, parseFrontmatterYaml } from "./frontmatter.js";
import { detectEol } from "./text.js";

export type FieldValue = string | number | boolean | string[];

/**
 * Set one frontmatter field with a minimal diff: an existing value is replaced in place (its
 * quoting style and trailing comment kept; a block list stays a block list), a new key is added
 * as the block's last line, and a file without frontmatter gets a new block.
 */
export function setField(text: string, key: string, value: FieldValue): Splice {
  const eol = detectEol(text);
  const found = findFrontmatter(text);
  if (found === "unclosed") throw new Error("frontmatter is not closed");
  if (found === null) {
    const at = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    return { start: at, end: at, text: `---${eol}${key}: ${render(value)}${eol}---${eol}` };
  }
  const base = found.yamlStart;
  const yamlText = text.slice(found.yamlStart, found.yamlEnd);
  const pair = findPair(yamlText, key);
  if (!pair) {
    const lead = yamlText.length > 0 && !/\n$/.test(yamlText) ? eol : "";
    return { start: found.yamlEnd, end: found.yamlEnd, text: `${lead}${key}: ${render(value)}${eol}` };
  }
  const keyNode = pair.key as YamlNode;
  const valueNode = pair.value as YamlNode | null;
  const colon = yamlText.indexOf(":", keyNode.range![1]);
  if (isSeq(valueNode) && !valueNode.flow && Array.isArray(value)) {
    const first = valueNode.range![0];
    const lineStart = yamlText.lastIndexOf("\n", first - 1) + 1;
    const indent = yamlText.slice(lineStart, first);
    const lines = value.map((v) => `${indent}- ${render(v)}${eol}`).join("");
    return { start: base + lineStart, end: base + valueNode.range![1], text: lines };
  }
  if (valueNode && (isMap(valueNode) || (isSeq(valueNode) && !valueNode.flow))) {
    const end = valueNode.range![1];
    return { start: base + colon + 1, end: base + end, text: ` ${render(value)}${eol}` };
  }
  if (
    !valueNode ||
    (isScalar(valueNode) && valueNode.value === null && valueNode.range![0] === valueNode.range![1])
  ) {
    const end = valueNode?.range?.[1] ?? colon + 1;
    return { start: base + colon + 1, end: base + end, text: ` ${render(value)}` };
  }
  const style = isScalar(valueNode) ? valueNode.type : undefined;
  return { start: base + valueNode.range![0], end: base + valueNode.range![1], text: render(value, style) };
}

/** Remove a frontmatter field: its key line(s) and value, nothing else. No-op when absent. */
export function unsetField(text: string, key: string): Splice | null {
  const found = findFrontmatter(text);
  if (found === null || found === "unclosed") return null;
  const yamlText = text.slice(found.yamlStart, found.yamlEnd);
  const pair = findPair(yamlText, key);
  if (!pair) return null;
  const keyNode = pair.key as YamlNode;
  const valueNode = pair.value as YamlNode | null;
  const start = yamlText.lastIndexOf("\n", keyNode.range![0] - 1) + 1;
  const last = Math.max(keyNode.range![1], (valueNode?.range?.[2] ?? 0) - 1);
  const nl = yamlText.indexOf("\n", last);
  const end = nl === -1 ? yamlText.length : nl + 1;
  if ((yamlText.slice(0, start) + yamlText.slice(end)).trim() === "") {
    // The block would be empty: remove it whole, the inverse of adding one to a file without frontmatter.
    return { start: found.start, end: found.end, text: "" };
  }
  return { start: found.yamlStart + start, end: found.yamlStart + end, text: "" };
}

function findPair(yamlText: string, key: string): Pair | undefined {
  const { doc } = parseFrontmatterYaml(yamlText);
  if (doc.errors.length > 0) throw new Error(`frontmatter is not valid YAML: ${doc.errors[0]!.message}`);
  if (!isMap(doc.contents)) return undefined;
  return doc.contents.items.find((p) => String((p.key as Scalar | null)?.value) === key) as Pair | undefined;
}

/** YAML text for a value: plain when safe, quoted when needed, lists in flow style. */
export function render(value: FieldValue, style?: Scalar.Type): string {
  if (typeof value === "string" && style === Scalar.QUOTE_DOUBLE) return JSON.stringify(value);
  if (typeof value === "string" && style === Scalar.QUOTE_SINGLE) return `'${value.replace(/'/g, "''")}'`;
  if (typeof value === "string" && /^(y|yes|n|no|on|off|true|false|null|~)$/i.test(value))
    return JSON.stringify(value);
  return stringify(value, { collectionStyle: "flow", flowCollectionPadding: false, lineWidth: 0 }).trimEnd();
}
