import * as React from 'react';
import { Page, Layouts, useFetchClient, useNotification } from '@strapi/strapi/admin';
import { Box, Button, Flex, Table, Tbody, Td, TextInput, Th, Thead, Tr, Typography } from '@strapi/design-system';

/**
 * Member-submitted events, oldest first: publish to put one on the calendar, or
 * reject with a note; either way the submitter is emailed the decision.
 */
const SubmissionsPage = () => {
  const { get, post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const [rows, setRows] = React.useState(null);
  const [notes, setNotes] = React.useState({});

  const load = React.useCallback(async () => {
    const { data } = await get('/approvals/submissions');
    setRows(data.data);
  }, [get]);

  React.useEffect(() => {
    load().catch(() => toggleNotification({ type: 'danger', message: 'Could not load the submissions' }));
  }, [load, toggleNotification]);

  const decide = async (row, action) => {
    try {
      await post(`/approvals/submissions/${row.documentId}/${action}`, action === 'reject' ? { reason: notes[row.documentId] || '' } : {});
      toggleNotification({ type: 'success', message: `${row.title}: ${action === 'publish' ? 'published' : 'rejected'}` });
      await load();
    } catch (err) {
      toggleNotification({ type: 'danger', message: err?.response?.data?.error?.message || 'The decision was not saved' });
    }
  };

  return (
    <Page.Main>
      <Page.Title>Event submissions</Page.Title>
      <Layouts.Header title="Event submissions" subtitle="Events members submitted for networking groups, oldest first" />
      <Layouts.Content>
        {rows === null ? (
          <Page.Loading />
        ) : rows.length === 0 ? (
          <Box padding={8} background="neutral0" hasRadius shadow="tableShadow">
            <Typography>No submitted event is waiting for review.</Typography>
          </Box>
        ) : (
          <Table colCount={5} rowCount={rows.length + 1}>
            <Thead>
              <Tr>
                <Th><Typography variant="sigma">Event</Typography></Th>
                <Th><Typography variant="sigma">Group</Typography></Th>
                <Th><Typography variant="sigma">Submitted by</Typography></Th>
                <Th><Typography variant="sigma">Starts</Typography></Th>
                <Th><Typography variant="sigma">Decision</Typography></Th>
              </Tr>
            </Thead>
            <Tbody>
              {rows.map((row) => (
                <Tr key={row.documentId} aria-label={row.title}>
                  <Td><Typography fontWeight="bold">{row.title}</Typography></Td>
                  <Td><Typography>{row.networkingGroup ? row.networkingGroup.name : ''}</Typography></Td>
                  <Td><Typography>{row.submittedBy ? `${row.submittedBy.firstName || ''} ${row.submittedBy.lastName || ''} (${row.submittedBy.email})` : ''}</Typography></Td>
                  <Td><Typography>{new Date(row.start).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' })}</Typography></Td>
                  <Td>
                    <Flex direction="column" alignItems="stretch" gap={2}>
                      <Button onClick={() => decide(row, 'publish')}>Publish</Button>
                      <TextInput
                        aria-label="Review note"
                        placeholder="Note (sent to the submitter)"
                        value={notes[row.documentId] || ''}
                        onChange={(e) => setNotes({ ...notes, [row.documentId]: e.target.value })}
                      />
                      <Button variant="danger-light" onClick={() => decide(row, 'reject')}>Reject</Button>
                    </Flex>
                  </Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
        )}
      </Layouts.Content>
    </Page.Main>
  );
};

export default SubmissionsPage;
