import * as app from '../../src/api/registration/keys';

/**
 * The waitlist-per-date migration repairs stale seat keys with its own copy of the key functions (a migration is
 * plain JavaScript, run before the app is built): it must make exactly the keys the app makes, or the repaired rows
 * would be counted in no slot and refuse nobody.
 */
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { keys: migration } = require('../../database/migrations/2026.12.01T00.00.00.waitlist-per-date.js');

const samples = [
  { eventDocumentId: 'k3l9x0q2m8z7c1v5b4n6h2j0', occurrence: '2027-01-07T19:00:00.000Z', userDocumentId: 'u1a2b3c4d5e6f7g8h9i0j1k2', location: 'a' },
  // another way of writing the same instant, and a Date, and epoch milliseconds (SQLite's datetime columns)
  { eventDocumentId: 'ev', occurrence: '2027-03-14T13:00:00-05:00', userDocumentId: 'u', location: 'springfield-branch' },
  { eventDocumentId: 'ev', occurrence: new Date('2027-11-07T07:30:00Z'), userDocumentId: 'u', location: null },
  { eventDocumentId: 'ev', occurrence: Date.UTC(2027, 5, 1, 18), userDocumentId: 'u' },
  { eventDocumentId: 'ev|with|bars', occurrence: '2027-06-01T18:00:00.000Z', userDocumentId: 'person', location: '' },
];

it.each(samples.map((s) => [JSON.stringify(s), s] as const))('makes the app’s slot, active and date keys: %s', (_, parts) => {
  const p = parts as unknown as app.KeyParts;
  expect(migration.occurrenceKey(p.occurrence)).toBe(app.occurrenceKey(p.occurrence));
  expect(migration.eventOccurrenceKey(p.eventDocumentId, p.occurrence)).toBe(app.eventOccurrenceKey(p.eventDocumentId, p.occurrence));
  expect(migration.slotKey(p)).toBe(app.slotKey(p));
  expect(migration.activeKey(p)).toBe(app.activeKey(p));
});
