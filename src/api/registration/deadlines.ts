import { startOf, type RecurringEvent } from '../event/recurrence/rule';

/**
 * When giving back a confirmed seat online closes: the event's `cancellationHours` (48 by default) before the date's
 * start (a moved date by its new start). One rule for the cancel route and for the emails that warn of it.
 */
export function cancellationDeadline(event: RecurringEvent & { cancellationHours?: number | null }, occurrence: string | Date): { hours: number; at: Date } {
  const hours = event.cancellationHours ?? 48;
  return { hours, at: new Date(new Date(startOf(event, occurrence)).getTime() - hours * 3_600_000) };
}

/**
 * Whether a registration may be given back online now, and until when: the cancel route's rule, which My Events shows
 * beside each registration (L2: "For the registration you want to cancel, click the event's Cancel link";
 * "Cancellations need to be made no less than 48 hours before an event begins"). A confirmed seat until
 * `cancellationDeadline`; a waitlist place or a seat held for a fee not yet paid at any time (nobody is registered
 * before paying; the waitlist gets the seat sooner); a cancelled registration never.
 */
export function cancellationWindow(
  status: string | null | undefined,
  event: RecurringEvent & { cancellationHours?: number | null },
  occurrence: string | Date,
  now: Date = new Date(),
): { open: boolean; until: Date | null; hours: number } {
  const { hours, at } = cancellationDeadline(event, occurrence);
  if (status === 'cancelled') return { open: false, until: null, hours };
  if (status !== 'confirmed') return { open: true, until: null, hours };
  return { open: now.getTime() <= at.getTime(), until: at, hours };
}
