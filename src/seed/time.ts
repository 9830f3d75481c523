import { DateTime } from 'luxon';

import { calendarZone } from '../api/event/recurrence/rule';

/** 'YYYY-MM-DDTHH:mm' wall time in the calendar zone → UTC ISO string. */
export function localToUtcIso(local: string, zone = calendarZone()): string {
  const dt = DateTime.fromISO(local, { zone });
  if (!dt.isValid) throw new Error(`Invalid local time "${local}": ${dt.invalidExplanation}`);
  return dt.toUTC().toISO({ suppressMilliseconds: false })!;
}
