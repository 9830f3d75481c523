import * as rule from '../recurrence/rule';

/**
 * Service `api::event.recurrence`: expands events into occurrences in the calendar
 * zone (TZ_CALENDAR). The logic lives in ../recurrence/rule.ts (pure, unit-tested).
 */
export default () => ({
  zone: rule.calendarZone,
  expand: (event: rule.RecurringEvent, from: string | Date, to: string | Date) => rule.expand(event, from, to),
  findOccurrence: (event: rule.RecurringEvent, when: string | Date) => rule.findOccurrence(event, when),
  isOccurrence: (event: rule.RecurringEvent, when: string | Date) => rule.isOccurrence(event, when),
  currentTimes: (event: rule.RecurringEvent, occurrence: string | Date) => rule.currentTimes(event, occurrence),
  startOf: (event: rule.RecurringEvent, occurrence: string | Date) => rule.startOf(event, occurrence),
  rruleProblem: rule.rruleProblem,
  isRecurring: rule.isRecurring,
});
