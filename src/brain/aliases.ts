/**
 * `aliases:` in a file's frontmatter: words or phrases people use for the file's subject
 * ("gift voucher" for a file titled "Gift cards"). kb search also looks for the title when a query
 * names an alias, and for the aliases when it names the title. This reads the key, or says what is
 * wrong with it ("aliases: "voucher" is not a list; …"). Pure.
 */
export function readAliases(data: Record<string, unknown>): { aliases: string[]; problem: string | null } {
  const value = data.aliases;
  if (value === undefined || value === null) return { aliases: [], problem: null };
  const bad = (what: string) => ({
    aliases: [],
    problem: `aliases: ${what}; expected a list of words or phrases that name the file's subject, e.g. aliases: [gift voucher, voucher]`,
  });
  if (!Array.isArray(value)) return bad(`${JSON.stringify(value)} is not a list`);
  const notText = value.find((v) => typeof v !== "string" || !v.trim());
  if (notText !== undefined) return bad(`item ${JSON.stringify(notText)} is not a word or phrase`);
  return { aliases: value.map((v: string) => v.trim()), problem: null };
}
