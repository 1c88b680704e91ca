/** A varied markdown corpus: every style of file kb must read and edit without disturbing a byte. */
export const corpus: Record<string, string> = {
  "plain.md": "# Plain\n\n- First fact.\n- Second fact.\n",
  "frontmatter-styles.md": [
    "---",
    "title: 'Quoted title'   # a comment",
    'owner: "@ingrid.cs"',
    "tags: [returns, policy]",
    "verifiers:",
    '  - "@lars"',
    "  - '@mia'",
    "review_every: 3mo",
    "last_reviewed: 2026-09-01",
    "---",
    "",
    "# Returns",
    "",
    "## Window",
    "",
    "- Returns are accepted within 30 days of delivery.",
    "- Gift cards are not refundable. <!-- kb: finance 2026-11-20 -->",
    "",
  ].join("\n"),
  "crlf.md":
    "---\r\ntitle: Payroll\r\n---\r\n\r\n# Payroll\r\n\r\n- Salaries are paid on the 25th.\r\n- December salaries are paid on 2026-12-18.\r\n",
  "bom.md": "\uFEFF---\ntitle: Leave\n---\n\n# Leave\n\n- Staff get 25 days of holiday.\n",
  "bom-no-frontmatter.md": "\uFEFF# Heading on line one\n\n- A fact after a BOM.\n",
  "nested.md":
    "# Nested\n\n- Parent fact\n  - Child fact one\n  - Child fact two\n    - Grandchild fact\n- Sibling fact\n",
  "ordered-and-tasks.md":
    "# Steps\n\n1. Open the till.\n2. Count the float.\n10) Tens use a paren.\n\n- [ ] Unchecked task.\n- [x] Checked task.\n",
  "code-blocks.md":
    "# Macros\n\n```text\n- not a fact inside a fence\n* neither is this\n```\n\n    - indented code is not a fact\n\n- A real fact.\n",
  "tables.md":
    "# Rates\n\n| zone | price |\n|---|---|\n| - EU | €5 |\n| - NO | €9 |\n\n- Rates are in euros.\n",
  "html-comments.md":
    "# Notes\n\n<!-- kb-ignore temporal -->\n- Currently featuring FW26. <!-- kb:pin -->\n\n<!--\n- a list inside an HTML comment block\n-->\n",
  "unicode.md":
    "# 東京店\n\n- 東京店は午前11時に開店します。\n- Ørsted Plads store: åbent 10–18 (søndag lukket) 🧥\n- Ελληνικά: δωρεάν αποστολή.\n",
  "multiline.md": "# Multi\n\n- A fact that wraps\n  onto a second line.\n- Next fact.   \n",
  "loose-list.md": "# Loose\n\n- Loose one.\n\n- Loose two.\n\n- Loose three.\n",
  "blockquote.md": "# Quote\n\n> - Quoted fact.\n> - Another quoted fact.\n\nAfter.\n",
  "no-final-newline.md": "# Tail\n\n- Last fact without newline",
  "empty.md": "",
  "frontmatter-only.md": "---\ntitle: Only\n---\n",
  "setext.md":
    "Setext heading\n==============\n\n- Under setext.\n\nSecond\n------\n\n* Star bullet.\n+ Plus bullet.\n",
  "lone-cr.md": "# Old Mac\r\r- Fact one.\r- Fact two.\r",
};

/** Expected fact texts per corpus file (what agents and dedup read). */
export const expectedFacts: Record<string, string[]> = {
  "plain.md": ["First fact.", "Second fact."],
  "frontmatter-styles.md": [
    "Returns are accepted within 30 days of delivery.",
    "Gift cards are not refundable. <!-- kb: finance 2026-11-20 -->",
  ],
  "crlf.md": ["Salaries are paid on the 25th.", "December salaries are paid on 2026-12-18."],
  "bom.md": ["Staff get 25 days of holiday."],
  "bom-no-frontmatter.md": ["A fact after a BOM."],
  "nested.md": ["Parent fact", "Child fact one", "Child fact two", "Grandchild fact", "Sibling fact"],
  "ordered-and-tasks.md": [
    "Open the till.",
    "Count the float.",
    "Tens use a paren.",
    "[ ] Unchecked task.",
    "[x] Checked task.",
  ],
  "code-blocks.md": ["A real fact."],
  "tables.md": ["Rates are in euros."],
  "html-comments.md": ["Currently featuring FW26. <!-- kb:pin -->"],
  "unicode.md": [
    "東京店は午前11時に開店します。",
    "Ørsted Plads store: åbent 10–18 (søndag lukket) 🧥",
    "Ελληνικά: δωρεάν αποστολή.",
  ],
  "multiline.md": ["A fact that wraps onto a second line.", "Next fact."],
  "loose-list.md": ["Loose one.", "Loose two.", "Loose three."],
  "blockquote.md": ["Quoted fact.", "Another quoted fact."],
  "no-final-newline.md": ["Last fact without newline"],
  "empty.md": [],
  "frontmatter-only.md": [],
  "setext.md": ["Under setext.", "Star bullet.", "Plus bullet."],
  "lone-cr.md": ["Fact one.", "Fact two."],
};
