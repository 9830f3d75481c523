import * as React from 'react';
import { useFetchClient } from '@strapi/strapi/admin';
import { Flex, Link, Typography } from '@strapi/design-system';

/** Home-page widget: how many affiliations, submissions and visit requests wait for staff (the queues the admin works on). */
const QueuesWidget = () => {
  const { get } = useFetchClient();
  const [counts, setCounts] = React.useState(null);
  React.useEffect(() => {
    get('/approvals/counts').then(({ data }) => setCounts(data.data)).catch(() => setCounts({}));
  }, [get]);
  if (!counts) return <Typography>Loading…</Typography>;
  const rows = [
    ['Affiliations waiting for confirmation', counts.affiliations, '/admin/plugins/approvals'],
    ['Event submissions awaiting review', counts.submissions, '/admin/plugins/approvals-submissions'],
    ['Site-visit requests to schedule', counts.siteVisits, '/admin/content-manager/collection-types/api::site-visit.site-visit'],
  // a queue the admin does not work on comes as null (an event provider sees none of staff's queues)
  ].filter(([, n]) => n !== null);
  if (!rows.length) return <Typography textColor="neutral600">No work queues for your role.</Typography>;
  return (
    <Flex direction="column" alignItems="stretch" gap={3}>
      {rows.map(([label, n, href]) => (
        <Flex key={label} justifyContent="space-between">
          <Link href={href}>{label}</Link>
          <Typography fontWeight="bold" aria-label={label}>{n ?? '–'}</Typography>
        </Flex>
      ))}
    </Flex>
  );
};

export default QueuesWidget;
