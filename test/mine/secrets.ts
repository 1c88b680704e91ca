/** The fake credentials planted in examples/ (see examples/sessions/README.md) plus common shapes. */
export const SECRETS = [
  "sk-ant-api03-FAKEfjordFinchLoomj3bPmZB2wwamvaz5a1flVvMlRQTmZ5f1LVTcGjwNWv20oakVU8MQuZW6bPGfbYcIYhuPTr0lfKbAA",
  "sk-proj-FAKEkronaUSCIvRt87ij1dVuoSbbJ65dYOYILbv4q8lAJC0N3BBH1ndUkBTlHbMB7fHW2aHJG7cT3BlbkFJl1qhrkrDlfUhxtm1IknOGmEYjUjRfmda5rL5s5s1FCf9uwBDpTBHi5FYDbDMs4e6D8fAlhvgjW",
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhZ2VudDpjdXN0b21lci1zZXJ2aWNlIiwiaXNzIjoiYXBpLnJpY2hwYW5lbC5leGFtcGxlIiwiYXVkIjoiZmpvcmRmaW5jaCIsInNjb3BlIjoidGlja2V0czpyZWFkIHRpY2tldHM6d3JpdGUiLCJpYXQiOjE3NjgxNzYwMDAsImV4cCI6MTc5OTcxMjAwMCwibm90ZSI6IkZBS0UgdG9rZW4gZm9yIGtiIHJlZGFjdGlvbiB0ZXN0cyJ9.0jLa87l3473FdL1T3_DVNiWc3YSbsxvqaN_UwbMt2bZ",
  "AKIAQFJFEXAMPLE7KBZ4",
  "fjF1nch/FAKE+k7Mq2Lr9XvT0pZs4YbN8cWeRuHa",
  "Kr0na-ledger-FAKE-7731",
  "Fjord-Posten-2026!fake",
  "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZUZBS0UtZWQyNTUxOS1rZXktZm9yLW",
];
