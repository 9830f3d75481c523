import * as React from 'react';
import { Page, Layouts, useFetchClient, useNotification } from '@strapi/strapi/admin';
import { Badge, Box, Button, Checkbox, Flex, Table, Tbody, Td, TextInput, Th, Thead, Tr, Typography } from '@strapi/design-system';

const Signal = ({ on, children }) => (
  <Badge active={on} backgroundColor={on ? 'success100' : 'neutral150'} textColor={on ? 'success700' : 'neutral600'}>
    {children}
  </Badge>
);

/**
 * System staff's daily queue: pending affiliations, oldest first, with the
 * signals that speed up a decision; approve (optionally granting director
 * rights) or reject with a reason that is sent to the person.
 */
const QueuePage = () => {
  const { get, post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const [entries, setEntries] = React.useState(null);
  const [director, setDirector] = React.useState({});
  const [reasons, setReasons] = React.useState({});

  const load = React.useCallback(async () => {
    const { data } = await get('/approvals/queue');
    setEntries(data.data);
  }, [get]);

  React.useEffect(() => {
    load().catch(() => toggleNotification({ type: 'danger', message: 'Could not load the confirmation queue' }));
  }, [load, toggleNotification]);

  const decide = async (entry, decision) => {
    try {
      if (decision === 'approve') {
        await post(`/approvals/${entry.documentId}/approve`, { grantDirector: Boolean(director[entry.documentId]) });
      } else {
        await post(`/approvals/${entry.documentId}/reject`, { reason: reasons[entry.documentId] || '' });
      }
      toggleNotification({ type: 'success', message: `${entry.person.firstName} ${entry.person.lastName}: ${decision === 'approve' ? 'approved' : 'rejected'}` });
      await load();
    } catch (err) {
      toggleNotification({ type: 'danger', message: err?.response?.data?.error?.message || 'The decision was not saved' });
    }
  };

  return (
    <Page.Main>
      <Page.Title>Confirmation queue</Page.Title>
      <Layouts.Header title="Confirmation queue" subtitle="Pending library affiliations, oldest first" />
      <Layouts.Content>
        {entries === null ? (
          <Page.Loading />
        ) : entries.length === 0 ? (
          <Box padding={8} background="neutral0" hasRadius shadow="tableShadow">
            <Typography>No affiliation is waiting for confirmation.</Typography>
          </Box>
        ) : (
          <Table colCount={6} rowCount={entries.length + 1}>
            <Thead>
              <Tr>
                <Th><Typography variant="sigma">Person</Typography></Th>
                <Th><Typography variant="sigma">Building</Typography></Th>
                <Th><Typography variant="sigma">Job title</Typography></Th>
                <Th><Typography variant="sigma">Signals</Typography></Th>
                <Th><Typography variant="sigma">Asked</Typography></Th>
                <Th><Typography variant="sigma">Decision</Typography></Th>
              </Tr>
            </Thead>
            <Tbody>
              {entries.map((entry) => (
                <Tr key={entry.documentId} aria-label={`${entry.person.firstName} ${entry.person.lastName}`}>
                  <Td>
                    <Flex direction="column" alignItems="flex-start">
                      <Typography fontWeight="bold">{entry.person.firstName} {entry.person.lastName}</Typography>
                      <Typography textColor="neutral600">{entry.person.email}</Typography>
                    </Flex>
                  </Td>
                  <Td><Typography>{entry.building.name}{entry.building.city ? `, ${entry.building.city}` : ''}</Typography></Td>
                  <Td>
                    <Flex direction="column" alignItems="flex-start">
                      <Typography>{entry.jobTitle}</Typography>
                      {entry.requestedRoles?.length ? <Typography textColor="neutral600">asks: {entry.requestedRoles.join(', ')}</Typography> : null}
                    </Flex>
                  </Td>
                  <Td>
                    <Flex gap={1} wrap="wrap">
                      <Signal on={entry.signals.emailDomainMatchesWebsite}>email at library domain</Signal>
                      <Signal on={entry.signals.onStaffList}>on staff list</Signal>
                    </Flex>
                  </Td>
                  <Td><Typography>{new Date(entry.createdAt).toLocaleDateString()}</Typography></Td>
                  <Td>
                    <Flex direction="column" alignItems="stretch" gap={2}>
                      <Checkbox
                        checked={Boolean(director[entry.documentId])}
                        onCheckedChange={(value) => setDirector({ ...director, [entry.documentId]: value === true })}
                      >
                        Grant director role
                      </Checkbox>
                      <Button onClick={() => decide(entry, 'approve')}>Approve</Button>
                      <TextInput
                        aria-label="Reason for rejecting"
                        placeholder="Reason (sent to the person)"
                        value={reasons[entry.documentId] || ''}
                        onChange={(e) => setReasons({ ...reasons, [entry.documentId]: e.target.value })}
                      />
                      <Button variant="danger-light" onClick={() => decide(entry, 'reject')}>Reject</Button>
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

export default QueuePage;
