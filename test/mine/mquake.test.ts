import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { runMquake } from "../../bench/mquake.js";
import { loadMquake, mquakePath } from "../../bench/mquake-data.js";
import { inOtherPass, skipping, tempDir } from "../helpers/index.js";

/**
 * Cases whose old facts kb did not show the model: subjects made of common words ("From Me to
 * You", "All of Me", "Windows Me") and subjects crowded out by another edit's template words
 * (ActiveX, iPhone, PowerShell, QBasic). The brain holds every case's facts, so the untouched ones
 * include the titles dedup once took for one another ("Love Me Do" / "Love You To").
 */
const HARD_CASES = [7472, 7755, 8007, 7926, 9030, 9068, 8443];

describe.skipIf(skipping("MQuAKE-hard through kb run nightly", inOtherPass("long")))(
  "MQuAKE-hard through kb run nightly (built binary, scripted model on loopback)",
  () => {
    test("the whole brain, 20 cases' edits: every old fact archived, every new fact live, nothing else touched, no old fact in kb search's top 6", async () => {
      expect(
        existsSync(mquakePath()),
        `${mquakePath()} is missing (the shared data folder beside the clone)`,
      ).toBe(true);
      const world = loadMquake({ include: HARD_CASES, deliver: 20 });
      expect(world.dropped).toEqual([7699, 8236, 8563, 8695]);
      const dir = tempDir("kb-mquake-");
      const r = await runMquake(world, dir);
      expect(r.chunks).toBe(20);
      expect(r.edits).toBe(80);
      expect(r.facts).toBe(950);
      expect(r.rejected).toBe(0);
      expect({
        notShown: r.notShown,
        oldLive: r.oldLive,
        newMissing: r.newMissing,
        untouchedChanged: r.untouchedChanged,
        staleInTop6: r.staleInTop6,
      }).toEqual({ notShown: [], oldLive: [], newMissing: [], untouchedChanged: [], staleInTop6: [] });
      // The old facts were superseded, not lost: each is in the archive.
      const archive = readFileSync(join(dir, "brain/_archive/media/performers.md"), "utf8");
      expect(archive).toContain("- All of Me was performed by John Legend.");
      expect(archive).toContain("- From Me to You was performed by The Beatles.");
      const live = readFileSync(join(dir, "brain/media/performers.md"), "utf8");
      expect(live).toContain("- Love Me Do was performed by The Beatles.\n");
      expect(live).toContain("- Love You To was performed by The Beatles.\n");
    }, 60_000);
  },
);
