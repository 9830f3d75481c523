import * as React from 'react';
import { useFetchClient } from '@strapi/strapi/admin';
import { Typography } from '@strapi/design-system';

/**
 * Columns the content manager cannot show from a document's own fields, added to
 * its list views through the `Admin/CM/pages/ListView/inject-column-in-table` hook:
 *  - events: "Seats", seats held over seats offered (from GET /rosters/seats);
 *  - buildings: "System", the library system of the building's library (a
 *    relation two steps away, read through the content manager's own API).
 * Each cell asks for its row, but the asks of one page are collected for a few
 * milliseconds and answered by ONE request, not one per row.
 */

const EVENT = 'api::event.event';
const BUILDING = 'api::building.building';

/** Collects keys asked for within `delay` ms and fetches them together; each caller gets its own entry. */
function batcher(fetchMany, delay = 10) {
  let batch = null;
  return (get, key) =>
    new Promise((resolve, reject) => {
      if (!batch) {
        const current = { keys: new Set(), waiters: [] };
        batch = current;
        setTimeout(() => {
          batch = null;
          fetchMany(get, [...current.keys]).then(
            (found) => current.waiters.forEach((w) => w.resolve(found[w.key] ?? null)),
            (error) => current.waiters.forEach((w) => w.reject(error)),
          );
        }, delay);
      }
      batch.keys.add(key);
      batch.waiters.push({ key, resolve, reject });
    });
}

const seatsOf = batcher(async (get, ids) => (await get(`/rosters/seats?events=${ids.map(encodeURIComponent).join(',')}`)).data.data ?? {});

const systemsOfLibraries = batcher(async (get, ids) => {
  const filters = ids.map((id, i) => `filters[documentId][$in][${i}]=${encodeURIComponent(id)}`).join('&');
  const { data } = await get(`/content-manager/collection-types/api::library.library?page=1&pageSize=${ids.length}&${filters}`);
  return Object.fromEntries((data.results ?? []).map((l) => [l.documentId, l.system ?? null]));
});

/** The answer of a batched lookup for one key: undefined while loading, null when there is none. */
function useBatched(lookup, key) {
  const { get } = useFetchClient();
  const [value, setValue] = React.useState(key ? undefined : null);
  React.useEffect(() => {
    if (!key) return undefined;
    let live = true;
    lookup(get, key).then((v) => live && setValue(v), () => live && setValue(null));
    return () => {
      live = false;
    };
    // `get` is stable for the page; the key alone decides what to fetch
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [lookup, key]);
  return value;
}

const dateOf = (iso) => new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });

const SeatsCell = ({ documentId }) => {
  const seats = useBatched(seatsOf, documentId);
  if (seats === undefined) return <Typography textColor="neutral500">…</Typography>;
  // no figure: not readable by this user, or registration is not on this platform and nobody holds a seat
  if (!seats || (seats.registrationMode !== 'platform' && seats.used === 0)) return <Typography textColor="neutral600">-</Typography>;
  if (seats.recurring && !seats.occurrence) return <Typography textColor="neutral600" title="No date ahead">-</Typography>;
  const figure = `${seats.used} / ${seats.total ?? '∞'}`;
  const full = seats.total != null && seats.used >= seats.total;
  const title = seats.recurring ? `Next date, ${dateOf(seats.occurrence)}` : undefined;
  return (
    <Typography textColor={full ? 'danger600' : 'neutral800'} fontWeight={full ? 'bold' : undefined} title={title}>
      {figure}
      {seats.recurring ? ' (next)' : ''}
    </Typography>
  );
};

const SystemCell = ({ library }) => {
  const system = useBatched(systemsOfLibraries, library?.documentId);
  if (system === undefined) return <Typography textColor="neutral500">…</Typography>;
  return <Typography textColor="neutral800" title={system?.name}>{system?.code ?? '-'}</Typography>;
};

/** The list view being shown: the hook is given its layout but not its model, so read it from the address. */
const modelOnScreen = () => {
  const match = window.location.pathname.match(/\/content-manager\/collection-types\/([^/]+)/);
  return match ? decodeURIComponent(match[1]) : null;
};

/** Puts `header` right after the first column of `after` (in that order of preference) that is displayed, else at the end. */
const insertAfter = (headers, after, header) => {
  const name = after.find((n) => headers.some((h) => h.name === n));
  const at = headers.findIndex((h) => h.name === name);
  return at < 0 ? [...headers, header] : [...headers.slice(0, at + 1), header, ...headers.slice(at + 1)];
};

/** The computed column of each list view: after which displayed column it goes, and what its cells show. */
const COLUMNS = {
  [EVENT]: { name: 'seats', label: { id: 'rosters.list.seats', defaultMessage: 'Seats' }, after: ['audience', 'start'], cell: (row) => <SeatsCell documentId={row.documentId} /> },
  [BUILDING]: { name: 'librarySystem', label: { id: 'rosters.list.system', defaultMessage: 'System' }, after: ['city', 'library'], cell: (row) => <SystemCell library={row.library} /> },
};

export const addListColumns = ({ displayedHeaders, layout }) => {
  const column = COLUMNS[modelOnScreen()];
  if (!column) return { displayedHeaders, layout };
  const header = { attribute: { type: 'string' }, label: column.label, name: column.name, searchable: false, sortable: false, cellFormatter: column.cell };
  return { displayedHeaders: insertAfter(displayedHeaders, column.after, header), layout };
};
