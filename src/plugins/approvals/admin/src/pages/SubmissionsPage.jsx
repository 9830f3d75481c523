import * as React from 'react';
import { Page, Layouts } from '@strapi/strapi/admin';
import { Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { DecisionCell, EmptyQueue, useReviewQueue } from '../components/ReviewQueue';

/**
 * Member-submitted events, oldest first: publish to put one on the calendar, or
 * reject with a note; either way the submitter is emailed the decision.
 */
const SubmissionsPage = () => {
  const { rows, decide, noteOf, setNote } = useReviewQueue('/approvals/submissions', 'Could not load the submissions');
  const url = (row, action) => `/approvals/submissions/${row.documentId}/${action}`;

  return (
    <Page.Main>
      <Page.Title>Event submissions</Page.Title>
      <Layouts.Header title="Event submissions" subtitle="Events members submitted for networking groups, oldest first" />
      <Layouts.Content>
        {rows === null ? (
          <Page.Loading />
        ) : rows.length === 0 ? (
          <EmptyQueue>No submitted event is waiting for review.</EmptyQueue>
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
                    <DecisionCell
                      approveLabel="Publish"
                      onApprove={() => decide(url(row, 'publish'), {}, `${row.title}: published`)}
                      noteLabel="Review note"
                      notePlaceholder="Note (sent to the submitter)"
                      note={noteOf(row.documentId)}
                      onNoteChange={(value) => setNote(row.documentId, value)}
                      onReject={() => decide(url(row, 'reject'), { reason: noteOf(row.documentId) }, `${row.title}: rejected`)}
                    />
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
