/**
 * The denormalised keys a registration row carries so the database itself can
 * count seats and refuse duplicates (Strapi keeps relations in link tables,
 * where no unique constraint can span event, occurrence and person).
 *  - slotKey:   event | occurrence | location  (seats are counted per slot)
 *  - activeKey: event | occurrence | person    (unique; NULL once cancelled)
 */
export interface KeyParts {
  eventDocumentId: string;
  occurrence: string | Date;
  userDocumentId: string;
  location?: string | null;
}

export const occurrenceKey = (occurrence: string | Date) => new Date(occurrence).toISOString();

/** event | occurrence: the occurrence's lock key, and the prefix of every slot and active key of it. */
export const eventOccurrenceKey = (eventDocumentId: string, occurrence: string | Date) => `${eventDocumentId}|${occurrenceKey(occurrence)}`;

/**
 * The event's own lock: shared by everything that changes seats of one of its dates (taken before the date's
 * lock), alone by staff edits of the event (capacity.scheduleEdit), which may move or cancel any of its dates.
 */
export const eventLockKey = (eventDocumentId: string) => `event:${eventDocumentId}`;

export const slotKey = (p: Omit<KeyParts, 'userDocumentId'>) => `${eventOccurrenceKey(p.eventDocumentId, p.occurrence)}|${p.location ?? ''}`;

export const activeKey = (p: KeyParts) => `${eventOccurrenceKey(p.eventDocumentId, p.occurrence)}|${p.userDocumentId}`;
