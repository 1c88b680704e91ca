import { core } from "./001-core.js";
import { dedup } from "./002-dedup.js";
import { audit } from "./003-audit.js";
import { sync } from "./004-sync.js";
import { mine } from "./005-mine.js";
import { alerts } from "./006-alerts.js";
import { minePending } from "./007-mine-pending.js";
import { mineEvidence } from "./008-mine-evidence.js";
import { search } from "./009-search.js";
import { consolidate } from "./010-consolidate.js";
import { searches } from "./011-searches.js";
import { mcpTokens } from "./012-mcp-tokens.js";
import { autonomy } from "./013-autonomy.js";
import { reads } from "./014-reads.js";
import { embeddings } from "./015-embeddings.js";
import type { Migration } from "./types.js";

/** Every schema migration, in order. Add a file per change; never edit a released one. */
export const migrations: Migration[] = [
  core,
  dedup,
  audit,
  sync,
  mine,
  alerts,
  minePending,
  mineEvidence,
  search,
  consolidate,
  searches,
  mcpTokens,
  autonomy,
  reads,
  embeddings,
];
