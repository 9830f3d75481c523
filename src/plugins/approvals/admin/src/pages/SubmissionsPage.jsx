import * as React from 'react';
import { Td, Tr, Typography } from '@strapi/design-system';
import { DecisionCell, ReviewPage, useReviewQueue } from '../components/ReviewQueue';

/**
 * Member-submitted events, oldest first: publish to put one on the calendar, or
 * reject with a note; either way the submitter is emailed the decision.
 */
const SubmissionsPage = () => {
  const { rows, decide, noteOf, setNote } = useReviewQueue('/approvals/submissions', 'Could not load the submissions');
  const url = (row, action) => `/approvals/submissions/${row.documentId}/${action}`;

  return (
    <ReviewPage title="Event submissions" subtitle="Events members submitted for networking groups, oldest first" columns={['Event', 'Group', 'Submitted by', 'Starts', 'Decision']} rows={rows} emptyText="No submitted event is waiting for review.">
      {(row) => (
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
      )}
    </ReviewPage>
  );
};

export default SubmissionsPage;
