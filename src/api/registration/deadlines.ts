import { startOf, type RecurringEvent } from '../event/recurrence/rule';

/**
 * When giving back a confirmed seat online closes: the event's `cancellationHours` (48 by default) before the date's
 * start (a moved date by its new start). One rule for the cancel route and for the emails that warn of it.
 */
export function cancellationDeadline(event: RecurringEvent & { cancellationHours?: number | null }, occurrence: string | Date): { hours: number; at: Date } {
  const hours = event.cancellationHours ?? 48;
  return { hours, at: new Date(new Date(startOf(event, occurrence)).getTime() - hours * 3_600_000) };
}
