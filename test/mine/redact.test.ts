import { describe, expect, it } from "vitest";
import { preprocess } from "../../src/mine/preprocess.js";
import { redact } from "../../src/mine/redact.js";

describe("redact", () => {
  it.each([
    [
      "anthropic oauth",
      "token sk-ant-oat01-abcdefghijklmnopqrstuvwxyz0123456789 here",
      "sk-ant-oat01-abcdefghij",
    ],
    ["openai", "OPENAI_API_KEY=sk-proj-abcdefghijklmnopqrstuvwxyz012345", "sk-proj-abcdefghij"],
    ["bearer", "curl -H 'Authorization: Bearer abcdef0123456789abcdef'", "abcdef0123456789abcdef"],
    ["token header", "authorization: token ghp_abcdefghijklmnopqrstuvwxyz0123456789", "ghp_abcdefghij"],
    ["url password", "postgres://user:s3cr3t-pass@db:5432/x", "s3cr3t-pass"],
    ["password pair", 'login with password="hunter2-long" now', "hunter2-long"],
    ["aws secret", "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "wJalrXUtnFEMI"],
    ["google", "key AIzaSyA1234567890abcdefghijklmnopqrstuv", "AIzaSyA123"],
    ["slack", "xoxb-123456789012-abcdefghijkl", "xoxb-1234"],
    [
      "private key",
      "-----BEGIN RSA PRIVATE KEY-----\nMIIEabc\nxyz\n-----END RSA PRIVATE KEY-----",
      "MIIEabc",
    ],
  ])("removes %s", (_kind, text, secret) => {
    const out = redact(text);
    expect(out.text).not.toContain(secret);
    expect(Object.keys(out.counts).length).toBeGreaterThan(0);
  });

  it("keeps ordinary text and env var references", () => {
    const text = 'Free EU shipping above €60. Use $RICHPANEL_TOKEN in curl; "max_tokens": 4000.';
    expect(redact(text)).toEqual({ text, counts: {} });
  });

  it("shows what was replaced", () => {
    expect(
      redact("DATABASE_URL=postgres://ledger_ro:Kr0na-ledger-FAKE-7731@db:5432/ledger").text,
    ).toMatchInlineSnapshot(`"DATABASE_URL=postgres://ledger_ro:[REDACTED:url-password]@db:5432/ledger"`);
  });
});

describe("redaction before cutting", () => {
  it("redacts a key that straddles the tool-output cut instead of leaving half of it", () => {
    const key = "sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH";
    const text = `${"x".repeat(390)} ${key} ${"y".repeat(200)}`;
    const out = preprocess([{ key: "k", at: "", role: "tool", text, tool: true, end: 1 }]);
    expect(out.kept[0]!.text).not.toContain("sk-ant-api03-abcd");
    expect(out.redactions).toEqual({ "anthropic-key": 1 });
  });
});
