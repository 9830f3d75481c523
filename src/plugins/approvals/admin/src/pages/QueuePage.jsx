import * as React from 'react';
import { Badge, Checkbox, Flex, Td, Tr, Typography } from '@strapi/design-system';
import { DecisionCell, ReviewPage, useReviewQueue } from '../components/ReviewQueue';

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
  const { rows: entries, decide, noteOf, setNote } = useReviewQueue('/approvals/queue', 'Could not load the confirmation queue');
  const [director, setDirector] = React.useState({});
  const nameOf = (entry) => `${entry.person.firstName} ${entry.person.lastName}`;

  return (
    <ReviewPage title="Confirmation queue" subtitle="Pending library affiliations, oldest first" columns={['Person', 'Building', 'Job title', 'Signals', 'Asked', 'Decision']} rows={entries} emptyText="No affiliation is waiting for confirmation.">
      {(entry) => (
        <Tr key={entry.documentId} aria-label={nameOf(entry)}>
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
            <DecisionCell
              approveLabel="Approve"
              onApprove={() => decide(`/approvals/${entry.documentId}/approve`, { grantDirector: Boolean(director[entry.documentId]) }, `${nameOf(entry)}: approved`)}
              noteLabel="Reason for rejecting"
              notePlaceholder="Reason (sent to the person)"
              note={noteOf(entry.documentId)}
              onNoteChange={(value) => setNote(entry.documentId, value)}
              onReject={() => decide(`/approvals/${entry.documentId}/reject`, { reason: noteOf(entry.documentId) }, `${nameOf(entry)}: rejected`)}
            >
              <Checkbox
                checked={Boolean(director[entry.documentId])}
                onCheckedChange={(value) => setDirector({ ...director, [entry.documentId]: value === true })}
              >
                Grant director role
              </Checkbox>
            </DecisionCell>
          </Td>
        </Tr>
      )}
    </ReviewPage>
  );
};

export default QueuePage;
