import { inputError } from '../../../utils/errors';
import { DateTime } from 'luxon';
import { rruleProblem, utcUntil, zonedInstant } from './rule';
import { YEAR_RULE, inDateWindow } from '../../../utils/input-limits';

/** Refuses an event write whose recurrence fields are malformed (400 naming the field). */
export function assertRecurrenceFields(data: Record<string, unknown> | undefined | null): void {
  if (!data) return;
  const fail = (path: string, message: string) => {
    throw inputError(path, message);
  };
  if (typeof data.rrule === 'string' && data.rrule.trim()) {
    const problem = rruleProblem(data.rrule);
    if (problem) fail('rrule', `invalid recurrence rule "${data.rrule}": ${problem}`);
  }
  for (const field of ['exdates', 'rdates']) {
    const v = data[field];
    if (v === undefined || v === null) continue;
    if (!Array.isArray(v)) fail(field, 'must be a list of ISO date-times');
    for (const x of v as unknown[]) {
      if (typeof x !== 'string' || !DateTime.fromISO(x).isValid) fail(field, `"${String(x)}" is not an ISO date-time`);
      if (!inDateWindow(DateTime.fromISO(x as string).toJSDate())) fail(field, `"${x}" ${YEAR_RULE}`);
    }
  }
}

/**
 * Checks an event write's recurrence fields (as above) and stores them as instants, whoever
 * writes: an offset-less exdate or rdate is calendar-zone wall time, as a start without an
 * offset is; a floating or date UNTIL becomes UTC. Feeds and expansion then read one meaning.
 */
export function normaliseRecurrenceFields(data: Record<string, unknown> | undefined | null): void {
  assertRecurrenceFields(data);
  if (!data) return;
  if (typeof data.rrule === 'string' && data.rrule.trim()) data.rrule = utcUntil(data.rrule);
  for (const field of ['exdates', 'rdates']) {
    if (Array.isArray(data[field])) data[field] = (data[field] as string[]).map((x) => zonedInstant(x).toUTC().toISO()!);
  }
}
