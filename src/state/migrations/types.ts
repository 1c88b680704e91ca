export interface Migration {
  /** Strictly increasing; recorded in `PRAGMA user_version`. */
  version: number;
  name: string;
  sql: string;
}
