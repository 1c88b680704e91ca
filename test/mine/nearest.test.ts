import { describe, expect, it } from "vitest";
import { parseBrainText, sectionOf } from "../../src/brain/parse.js";
import { indexFacts, nearestFacts, updateIndex } from "../../src/mine/nearest.js";

/** A brain of one file per list, each fact a bullet under "## Facts". */
function index(files: Record<string, string[]>) {
  const docs = Object.entries(files).map(([path, facts]) => {
    const parsed = parseBrainText(
      path,
      `# ${path}\n\n## Facts\n\n${facts.map((f) => `- ${f}`).join("\n")}\n`,
      {
        size: 0,
        mtimeMs: 0,
        hash: "",
      },
    );
    if (!parsed.ok) throw new Error(parsed.error.message);
    return parsed.doc;
  });
  return indexFacts(docs, sectionOf);
}

const songs = Array.from({ length: 60 }, (_, i) => `Song Number ${i + 1} was performed by Artist ${i + 1}.`);
const ceos = Array.from(
  { length: 40 },
  (_, i) => `The chief executive officer of Company ${i + 1} is Person ${i + 1}.`,
);

describe("the facts kb mine shows the model", () => {
  it("finds a fact whose subject is made of common words, among many facts of the same template", () => {
    const facts = index({
      "media/performers.md": [
        ...songs,
        "All of Me was performed by John Legend.",
        "From Me to You was performed by The Beatles.",
      ],
      "companies/developers.md": [
        "Windows Me was developed by Microsoft.",
        "Windows 7 was developed by Microsoft.",
      ],
    });
    const texts = (log: string) => nearestFacts(facts, log).map((f) => f.text);
    expect(texts("[2026-11-20 08:00 user] All of Me was performed by Bobby Brown.")[0]).toBe(
      "All of Me was performed by John Legend.",
    );
    expect(texts("From Me to You was performed by Madonna.")[0]).toBe(
      "From Me to You was performed by The Beatles.",
    );
    expect(texts("Windows Me was developed by Sony.")[0]).toBe("Windows Me was developed by Microsoft.");
  });

  it("gives every statement of a chunk its own subject's facts, however many facts share another statement's words", () => {
    const facts = index({
      "companies/chief-executives.md": [
        ...ceos,
        "The chief executive officer of BlackBerry is John S. Chen.",
      ],
      "companies/developers.md": [
        "ActiveX was developed by Microsoft.",
        "iPhone was developed by Apple Inc..",
      ],
      "media/performers.md": songs,
    });
    const near = nearestFacts(
      facts,
      [
        "[2026-11-20 08:00 user] ActiveX was developed by BlackBerry.",
        "[2026-11-20 08:00 assistant] Noted, I will use that from now on.",
        "[2026-11-20 08:01 user] The chief executive officer of BlackBerry is Carlos Slim.",
        "[2026-11-20 08:02 user] iPhone was developed by Sony. Song Number 7 was performed by Madonna.",
      ].join("\n"),
    );
    expect(near.slice(0, 4).map((f) => f.text)).toEqual([
      "ActiveX was developed by Microsoft.",
      "The chief executive officer of BlackBerry is John S. Chen.",
      "iPhone was developed by Apple Inc..",
      "Song Number 7 was performed by Artist 7.",
    ]);
    expect(near.map((f) => f.id)).toEqual(near.map((_, i) => i + 1));
    expect(near[0]).toMatchObject({
      path: "companies/developers.md",
      section: "companies/developers.md > Facts",
    });
  });

  it("finds the subject's fact when many facts share the statement's new value", () => {
    const facts = index({
      "companies/directors.md": [
        ...Array.from(
          { length: 30 },
          (_, i) => `The director of Label ${i + 1} is Narendra Damodardas Modi.`,
        ),
        "The director of Ledaze is Guy Oseary.",
      ],
      "people/citizenship.md": ["Ledaze is a citizen of Norway.", "Ledaze is married to Bob Berg."],
      "media/performers.md": [
        ...songs,
        ...Array.from({ length: 8 }, (_, i) => `Song Ledaze ${i + 1} was performed by Artist ${i + 1}.`),
      ],
      "companies/chief-executives.md": ceos,
      "places/capitals.md": Array.from(
        { length: 250 },
        (_, i) => `The capital of Region ${i + 1} is Town ${i + 1}.`,
      ),
    });
    const near = nearestFacts(
      facts,
      ["The director of Ledaze is Narendra Damodardas Modi.", "Noted, thanks."].join("\n"),
    );
    expect(near.slice(0, 8).map((f) => f.text)).toContain("The director of Ledaze is Guy Oseary.");
  });

  it("finds the fact that opens with the statement's subject, beside one that names it as the value", () => {
    // MQuAKE-hard at 10×: ten renamed spouses of the new value, ten songs by the subject, and the
    // subject's partner's own fact sharing every word of the subject's.
    const facts = index({
      "people/spouses.md": [
        ...Array.from({ length: 10 }, (_, i) => `Person ${i + 1} is married to Charles the Bold.`),
        "Priscilla Presley is married to Elvis Presley.",
        "Elvis Presley is married to Priscilla Presley.",
      ],
      "media/performers.md": [
        ...songs,
        ...Array.from({ length: 10 }, (_, i) => `Record ${i + 1} was performed by Elvis Presley.`),
      ],
      "people/citizenship.md": ["Charles the Bold is a citizen of France."],
    });
    const near = nearestFacts(
      facts,
      [
        "[2026-11-20T11:04:04Z user] Update for the knowledge base: Elvis Presley is married to Charles the Bold.",
        "[2026-11-20T11:04:06Z assistant] Noted, I will use that from now on.",
      ].join("\n"),
    );
    expect(near.slice(0, 8).map((f) => f.text)).toContain("Elvis Presley is married to Priscilla Presley.");
  });

  it("shows at most twice the limit, and only facts that share something rare", () => {
    const facts = index({ "media/performers.md": songs, "companies/chief-executives.md": ceos });
    const many = songs.map((s) => s.replace(/Artist \d+/, "Madonna")).join("\n");
    expect(nearestFacts(facts, many, 10)).toHaveLength(20);
    // "3" is the one word of the statement that tells facts apart: the song and the company numbered 3.
    expect(nearestFacts(facts, "Song Number 3 was performed by Madonna.", 10).map((f) => f.text)).toEqual([
      "Song Number 3 was performed by Artist 3.",
      "The chief executive officer of Company 3 is Person 3.",
    ]);
    expect(nearestFacts(facts, "Nothing here matches.", 10)).toHaveLength(0);
  });
});

describe("the index during a run", () => {
  it("no longer shows a fact the run superseded, and shows the fact that replaced it or was added", () => {
    const facts = index({ "media/performers.md": [...songs, "All of Me was performed by John Legend."] });
    updateIndex(facts, [
      {
        op: "supersede",
        path: "media/performers.md",
        text: "All of Me was performed by Bobby Brown.",
        supersedes: "All of Me was performed by John Legend.",
      },
      { op: "add", path: "media/performers.md", text: "Love Me Do was performed by The Beatles." },
      { op: "duplicate", path: "media/performers.md", text: "Song Number 1 was performed by Artist 1." },
    ]);
    const texts = (log: string) => nearestFacts(facts, log).map((f) => `${f.section} | ${f.text}`);
    expect(texts("All of Me was performed by Bobby Brown.")).toEqual([
      "media/performers.md > Facts | All of Me was performed by Bobby Brown.",
    ]);
    expect(texts("Love Me Do was performed by Madonna.")[0]).toBe(
      " | Love Me Do was performed by The Beatles.",
    );
    expect(nearestFacts(facts, "Song Number 1 was performed by Madonna.").map((f) => f.text)).toEqual([
      "Song Number 1 was performed by Artist 1.",
    ]);
  });
});
