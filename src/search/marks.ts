import { openContested, replacedByDate } from "../consolidate/records.js";
import type { Db } from "../state/db.js";

/**
 * What consolidation tells the read path, keyed by "path\ntext": facts a passed effective date
 * has replaced (never returned as current, even before the nightly run archives them), and facts
 * in a contradiction a person has not settled yet (returned, marked contested).
 */
export function readPathMarks(db: Db, brain: string, today: string) {
  const contested = new Map<string, string>();
  for (const c of openContested(db, brain)) {
    const note = (other: typeof c.a) =>
      `CONTESTED (#${c.id}): “${other.text}” (${other.path}) says otherwise; kb settle ${c.id} --keep FILE:LINE decides`;
    contested.set(`${c.a.path}\n${c.a.text}`, note(c.b));
    contested.set(`${c.b.path}\n${c.b.text}`, note(c.a));
  }
  return { contested, replaced: replacedByDate(db, brain, today) };
}
