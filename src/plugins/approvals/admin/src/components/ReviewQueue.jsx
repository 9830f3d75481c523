import * as React from 'react';
import { Page, Layouts, useFetchClient, useNotification } from '@strapi/strapi/admin';
import { Box, Button, Flex, Table, Tbody, TextInput, Th, Thead, Tr, Typography } from '@strapi/design-system';

/**
 * What the review pages (confirmation queue, event submissions) share: loading
 * their queue from the admin API, posting a decision then reloading, the
 * decision column, and the page around the table.
 */
export function useReviewQueue(path, loadError) {
  const { get, post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const [rows, setRows] = React.useState(null);
  const [notes, setNotes] = React.useState({});

  const load = React.useCallback(async () => {
    const { data } = await get(path);
    setRows(data.data);
  }, [get, path]);

  React.useEffect(() => {
    load().catch(() => toggleNotification({ type: 'danger', message: loadError }));
  }, [load, toggleNotification, loadError]);

  /** Posts one decision; the server's message (which rule refused) is shown when it fails. */
  const decide = async (url, body, doneMessage) => {
    try {
      await post(url, body);
      toggleNotification({ type: 'success', message: doneMessage });
      await load();
    } catch (err) {
      toggleNotification({ type: 'danger', message: err?.response?.data?.error?.message || 'The decision was not saved' });
    }
  };

  return {
    rows,
    decide,
    noteOf: (documentId) => notes[documentId] || '',
    setNote: (documentId, value) => setNotes((current) => ({ ...current, [documentId]: value })),
  };
}

/** Approve (with any extra controls above it), or reject with a note that is sent to the person. */
export const DecisionCell = ({ approveLabel, onApprove, noteLabel, notePlaceholder, note, onNoteChange, onReject, children }) => (
  <Flex direction="column" alignItems="stretch" gap={2}>
    {children}
    <Button onClick={onApprove}>{approveLabel}</Button>
    <TextInput aria-label={noteLabel} placeholder={notePlaceholder} value={note} onChange={(e) => onNoteChange(e.target.value)} />
    <Button variant="danger-light" onClick={onReject}>Reject</Button>
  </Flex>
);

/** A review page: its header, then the loading state, the empty state or one table row per entry (`children(row)`). */
export const ReviewPage = ({ title, subtitle, columns, rows, emptyText, children }) => (
  <Page.Main>
    <Page.Title>{title}</Page.Title>
    <Layouts.Header title={title} subtitle={subtitle} />
    <Layouts.Content>
      {rows === null ? (
        <Page.Loading />
      ) : rows.length === 0 ? (
        <Box padding={8} background="neutral0" hasRadius shadow="tableShadow">
          <Typography>{emptyText}</Typography>
        </Box>
      ) : (
        <Table colCount={columns.length} rowCount={rows.length + 1}>
          <Thead>
            <Tr>
              {columns.map((column) => (
                <Th key={column}><Typography variant="sigma">{column}</Typography></Th>
              ))}
            </Tr>
          </Thead>
          <Tbody>{rows.map(children)}</Tbody>
        </Table>
      )}
    </Layouts.Content>
  </Page.Main>
);
