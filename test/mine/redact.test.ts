import { describe, expect, it } from "vitest";
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
