/** The one clock. Tests and `--as-of` pin it; everything else asks it for "now". */
export interface Clock {
  now(): Date;
  /** The calendar date of `now()` as YYYY-MM-DD (UTC). */
  today(): string;
}

export function systemClock(): Clock {
  return { now: () => new Date(), today: () => isoDate(new Date()) };
}

export function fixedClock(at: Date): Clock {
  return { now: () => new Date(at.getTime()), today: () => isoDate(at) };
}

export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}
