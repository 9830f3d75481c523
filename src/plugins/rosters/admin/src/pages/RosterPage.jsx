import * as React from 'react';
import { Page, Layouts, useFetchClient, useNotification } from '@strapi/strapi/admin';
import { Box, Button, Checkbox, Flex, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';

const when = (iso) => (iso ? new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' }) : '');

/** One section of a roster: confirmed, pending payment, waitlist (in order) or cancelled. */
const Section = ({ title, rows, showPosition, showDate, onAttendance }) => (
  <Box paddingBottom={6}>
    <Box paddingBottom={2}>
      <Typography variant="delta" tag="h2">{title} ({rows.length})</Typography>
    </Box>
    {rows.length === 0 ? (
      <Typography textColor="neutral600">Nobody.</Typography>
    ) : (
      <Table colCount={6} rowCount={rows.length + 1} aria-label={title}>
        <Thead>
          <Tr>
            {showDate ? <Th><Typography variant="sigma">Date</Typography></Th> : null}
            {showPosition ? <Th><Typography variant="sigma">#</Typography></Th> : null}
            <Th><Typography variant="sigma">Name</Typography></Th>
            <Th><Typography variant="sigma">Email</Typography></Th>
            <Th><Typography variant="sigma">Location</Typography></Th>
            <Th><Typography variant="sigma">Emergency phone / needs</Typography></Th>
            {onAttendance ? <Th><Typography variant="sigma">Attended</Typography></Th> : null}
          </Tr>
        </Thead>
        <Tbody>
          {rows.map((r) => (
            <Tr key={r.documentId}>
              {showDate ? <Td><Typography>{when(r.occurrence)}</Typography></Td> : null}
              {showPosition ? <Td><Typography>{r.waitlistPosition}</Typography></Td> : null}
              <Td><Typography fontWeight="bold">{r.name}</Typography></Td>
              <Td><Typography>{r.email}</Typography></Td>
              <Td><Typography>{r.location ? r.location.name : ''}</Typography></Td>
              <Td><Typography>{[r.emergencyPhone, r.specialNeeds].filter(Boolean).join(' · ')}</Typography></Td>
              {onAttendance ? (
                <Td>
                  <Checkbox checked={r.attended} onCheckedChange={(v) => onAttendance(r, v === true)} aria-label={`${r.name} attended`} />
                </Td>
              ) : null}
            </Tr>
          ))}
        </Tbody>
      </Table>
    )}
  </Box>
);

/**
 * Event rosters for staff: pick an event, see who is confirmed, holding a seat
 * until payment, waiting (in order) or cancelled; mark attendance; download CSV.
 */
const RosterPage = () => {
  const { get, post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const [events, setEvents] = React.useState(null);
  const [search, setSearch] = React.useState('');
  const [roster, setRoster] = React.useState(null);
  // the dates a series' roster covers (from its all-dates answer), to narrow it to one meeting
  const [dates, setDates] = React.useState([]);

  // the events list is one page of 100: a search (the content manager's own, by title and other text) reaches the rest
  React.useEffect(() => {
    const q = search.trim() ? `&_q=${encodeURIComponent(search.trim())}` : '';
    const timer = setTimeout(() => {
      get(`/content-manager/collection-types/api::event.event?page=1&pageSize=100&sort=start:DESC${q}`)
        .then(({ data }) => setEvents(data.results))
        .catch(() => toggleNotification({ type: 'danger', message: 'Could not load events' }));
    }, q ? 300 : 0);
    return () => clearTimeout(timer);
  }, [get, toggleNotification, search]);

  const open = async (documentId, occurrence) => {
    try {
      const { data } = await get(`/rosters/events/${documentId}${occurrence ? `?occurrence=${encodeURIComponent(occurrence)}` : ''}`);
      const result = data.data;
      if (!occurrence) {
        const all = [...result.confirmed, ...result.pendingPayment, ...result.waitlist, ...result.cancelled].map((r) => r.occurrence);
        setDates([...new Set(all)].sort());
      }
      setRoster(result);
    } catch (err) {
      toggleNotification({ type: 'danger', message: err?.response?.data?.error?.message || 'Could not load the roster' });
    }
  };

  // a series' meetings each have their own seats and waitlist: with several dates, each row says its date
  const manyDates = roster && !roster.occurrence && dates.length > 1;
  // the date(s) the roster shows: the one chosen, or the span of those with registrations (not the series' first)
  const shown = !roster
    ? ''
    : roster.occurrence
      ? when(roster.occurrence)
      : manyDates
        ? `${dates.length} dates with registrations, ${when(dates[0])} to ${when(dates[dates.length - 1])}`
        : when(dates[0] || roster.event.start);

  const download = async () => {
    const only = roster.occurrence ? `&occurrence=${encodeURIComponent(roster.occurrence)}` : '';
    const { data } = await get(`/rosters/events/${roster.event.documentId}?format=csv${only}`, { responseType: 'blob' });
    const url = URL.createObjectURL(data);
    const a = document.createElement('a');
    a.href = url;
    a.download = `roster-${roster.event.documentId}.csv`;
    a.click();
    URL.revokeObjectURL(url);
  };

  const markAttendance = async (row, attended) => {
    try {
      await post(`/rosters/registrations/${row.documentId}/attendance`, { attended });
      await open(roster.event.documentId, roster.occurrence);
    } catch (err) {
      toggleNotification({ type: 'warning', message: err?.response?.data?.error?.message || 'Attendance was not saved' });
    }
  };

  return (
    <Page.Main>
      <Page.Title>Event rosters</Page.Title>
      <Layouts.Header
        title={roster ? roster.event.title : 'Event rosters'}
        subtitle={roster ? `${shown} · capacity ${roster.event.capacity ?? 'unlimited'}${manyDates ? ' each' : ''}` : 'Choose an event to see its registrations'}
        primaryAction={roster ? <Button onClick={download}>Download CSV</Button> : null}
        secondaryAction={roster ? <Button variant="tertiary" onClick={() => { setRoster(null); setDates([]); }}>All events</Button> : null}
      />
      <Layouts.Content>
        {roster ? (
          <>
            {dates.length > 1 ? (
              <Box paddingBottom={4}>
                <label>
                  <Typography variant="pi" fontWeight="bold">Date </Typography>
                  <select aria-label="Date" value={roster.occurrence || ''} onChange={(e) => open(roster.event.documentId, e.target.value || undefined)}>
                    <option value="">All dates ({dates.length})</option>
                    {dates.map((d) => <option key={d} value={d}>{when(d)}</option>)}
                  </select>
                </label>
              </Box>
            ) : null}
            <Section title="Confirmed" rows={roster.confirmed} showDate={manyDates} onAttendance={markAttendance} />
            <Section title="Pending payment" rows={roster.pendingPayment} showDate={manyDates} />
            <Section title="Waitlist" rows={roster.waitlist} showDate={manyDates} showPosition />
            <Section title="Cancelled" rows={roster.cancelled} showDate={manyDates} />
          </>
        ) : events === null ? (
          <Page.Loading />
        ) : (
          <>
          <Box paddingBottom={4}>
            <input type="search" aria-label="Search events" placeholder="Search events" value={search} onChange={(e) => setSearch(e.target.value)} />
          </Box>
          <Table colCount={3} rowCount={events.length + 1} aria-label="Events">
            <Thead>
              <Tr>
                <Th><Typography variant="sigma">Event</Typography></Th>
                <Th><Typography variant="sigma">Starts</Typography></Th>
                <Th><Typography variant="sigma">Roster</Typography></Th>
              </Tr>
            </Thead>
            <Tbody>
              {events.map((e) => (
                <Tr key={e.documentId} aria-label={e.title}>
                  <Td><Typography>{e.title}</Typography></Td>
                  <Td><Typography>{when(e.start)}</Typography></Td>
                  <Td><Button variant="secondary" onClick={() => open(e.documentId)}>Open roster</Button></Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
          </>
        )}
      </Layouts.Content>
    </Page.Main>
  );
};

export default RosterPage;
