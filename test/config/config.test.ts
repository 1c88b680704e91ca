import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { configJsonSchema } from "../../src/config/json-schema.js";
import { loadConfig, parseConfigText } from "../../src/config/load.js";
import { locateConfig } from "../../src/config/locate.js";
import { makeTree, repoRoot, runKb } from "../helpers/index.js";

describe("validation names the file, line, key and what would be valid", () => {
  it("an unknown key, with the nearest valid one", () => {
    expect(() =>
      parseConfigText("brain: ./brain\ndedup:\n  scops: []\n", "kb.config.yaml"),
    ).toThrowErrorMatchingInlineSnapshot(`
      [ConfigInvalidError: invalid configuration:
        kb.config.yaml:3: "dedup.scops" is not a known key; did you mean "scopes"? Accepted keys: scopes, staggerStart, staggerMinutes, maxRemoveShare, thresholds, judge.]
    `);
  });

  it("a wrong type and a bad value, each on its line", () => {
    expect(() =>
      parseConfigText("sync:\n  pushAttempts: lots\naudit:\n  reviewEvery: fortnightly\n", "/etc/kb.yaml"),
    ).toThrowErrorMatchingInlineSnapshot(`
      [ConfigInvalidError: 2 problems in the configuration:
        /etc/kb.yaml:2: "sync.pushAttempts" is "lots"; expected a number
        /etc/kb.yaml:4: "audit.reviewEvery" expected a duration such as 30d, 12w, 3mo, 1y]
    `);
  });

  it("a value of the wrong kind says what it is and what would be valid, never zod's words", () => {
    const problems = (text: string) => {
      try {
        parseConfigText(text, "kb.config.yaml");
        return "accepted";
      } catch (error) {
        return (error as Error).message.split("\n").slice(1).join("\n");
      }
    };
    expect(
      [
        "dedup:\n  scopes: finance\n",
        "mine:\n  mode: auto\n",
        "mine:\n  chunkTokens: 10\n",
        "llm:\n  baseUrl: localhost\n",
        "dedup:\n  scopes:\n    - { name: a }\n",
        "audit: 3\n",
      ].map(problems),
    ).toMatchInlineSnapshot(`
      [
        "  kb.config.yaml:2: "dedup.scopes" is "finance"; expected a list (one "- item" per line, or [a, b])",
        "  kb.config.yaml:2: "mine.mode" is "auto"; expected one of: review, apply",
        "  kb.config.yaml:2: "mine.chunkTokens" is 10; expected a number at least 500",
        "  kb.config.yaml:2: "llm.baseUrl" is "localhost"; expected a URL such as http://127.0.0.1:11434/v1",
        "  kb.config.yaml:3: "dedup.scopes.0.paths" is missing; expected text or a list (one "- item" per line, or [a, b])",
        "  kb.config.yaml:1: "audit" is 3; expected a mapping of keys to values (key: value lines)",
      ]
    `);
  });

  it("invalid YAML", () => {
    expect(() => parseConfigText("host: a\n  brain: [\n", "k.yaml")).toThrow(
      /k.yaml:1: is not valid YAML: Nested mappings are not allowed/,
    );
  });

  it("unknown top-level key lists the accepted ones", () => {
    expect(() => parseConfigText("brian: ./brain\n", "k.yaml")).toThrow(
      /k.yaml:1: "brian" is not a known key; did you mean "brain"\? Accepted keys: host, sample, brain, state, reports, ignore, envFile/,
    );
  });
});

describe("discovery: --config, then KB_CONFIG, then ./kb.config.yaml — never HOME", () => {
  it("follows the documented order", () => {
    const dir = makeTree({ "kb.config.yaml": "host: cwd\n", "other.yaml": "host: env\n" });
    expect(locateConfig("x.yaml", { KB_CONFIG: "other.yaml" }, dir)).toMatchObject({
      source: "flag",
      path: join(dir, "x.yaml"),
    });
    expect(locateConfig(undefined, { KB_CONFIG: "other.yaml" }, dir)).toMatchObject({
      source: "env",
      path: join(dir, "other.yaml"),
    });
    expect(locateConfig(undefined, {}, dir)).toMatchObject({
      source: "cwd",
      path: join(dir, "kb.config.yaml"),
    });
    const home = makeTree({ "kb.config.yaml": "host: home\n" });
    expect(locateConfig(undefined, { HOME: home }, makeTree({}))).toMatchObject({
      source: "none",
      path: null,
    });
  });

  it("resolves relative paths against the config file's folder and loads the env file without overriding", () => {
    const dir = makeTree({
      "conf/kb.config.yaml": "host: vps\nbrain: ../brain\nenvFile: kb.env\nllm:\n  apiKeyFile: key.txt\n",
      "conf/kb.env": "KB_TEST_A=from-file\nKB_TEST_B=from-file\n",
    });
    const env: NodeJS.ProcessEnv = { KB_TEST_B: "from-env" };
    const config = loadConfig({ configPath: "conf/kb.config.yaml", cwd: dir, env });
    expect(config.brain).toBe(join(dir, "brain"));
    expect(config.state).toBe(join(dir, "conf/.kb"));
    expect(config.llm.apiKeyFile).toBe(join(dir, "conf/key.txt"));
    expect(env).toEqual({ KB_TEST_A: "from-file", KB_TEST_B: "from-env" });
    expect(config.envFileLoaded).toEqual({ path: join(dir, "conf/kb.env"), set: 1 });
  });
});

describe("the JSON Schema for editors", () => {
  it("is generated from the same schema and committed up to date (npm run schema)", () => {
    const committed = JSON.parse(readFileSync(join(repoRoot, "kb.config.schema.json"), "utf8"));
    expect(committed).toEqual(configJsonSchema());
  });

  it("the shipped kb.config.yaml is valid", () => {
    expect(() => loadConfig({ configPath: join(repoRoot, "kb.config.yaml") })).not.toThrow();
  });
});

describe("kb doctor --fix repairs a misspelt key by editing only that line", () => {
  it("renames the key and keeps comments and formatting", async () => {
    const text = "# my config\nhost: vps   # the VPS\nbrain: ./brain\ndedup:\n  scops: []   # agents\n";
    const dir = makeTree({ "kb.config.yaml": text, "brain/a.md": "# A\n" });
    const before = await runKb(["doctor", "--json"], { cwd: dir });
    expect(before.code).toBe(1);
    expect(JSON.parse(before.stdout).checks[0]).toMatchObject({ id: "config", status: "error" });
    const told = await runKb(["doctor"], { cwd: dir });
    expect(told.stdout.split("\n").find((l) => l.includes("→"))).toMatchInlineSnapshot(
      `"      → kb doctor --fix renames "scops" → "scopes" (line 5), touching only that line"`,
    );
    const fixed = await runKb(["doctor", "--fix", "--json"], { cwd: dir });
    expect(JSON.parse(fixed.stdout).checks[0]).toMatchObject({ id: "config", status: "ok", fixed: true });
    expect(readFileSync(join(dir, "kb.config.yaml"), "utf8")).toBe(text.replace("scops:", "scopes:"));
    writeFileSync(join(dir, "kb.config.yaml"), "host: [\n");
    const broken = await runKb(["doctor", "--fix", "--json"], { cwd: dir });
    expect(readFileSync(join(dir, "kb.config.yaml"), "utf8")).toBe("host: [\n");
    expect(JSON.parse(broken.stdout).ok).toBe(false);
  });
});
