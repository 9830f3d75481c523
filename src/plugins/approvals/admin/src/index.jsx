import { CheckCircle, Calendar, Bell } from '@strapi/icons';

/**
 * Staff's daily work in the admin panel: the confirmation queue, member-submitted
 * events awaiting review, and a home-page widget with the size of every queue.
 */
export default {
  register(app) {
    app.addMenuLink({
      to: 'plugins/approvals',
      icon: CheckCircle,
      intlLabel: { id: 'approvals.menu', defaultMessage: 'Confirmation queue' },
      permissions: [{ action: 'plugin::approvals.decide', subject: null }],
      Component: () => import('./pages/QueuePage'),
    });
    app.addMenuLink({
      to: 'plugins/approvals-submissions',
      icon: Calendar,
      intlLabel: { id: 'approvals.submissions.menu', defaultMessage: 'Event submissions' },
      permissions: [{ action: 'plugin::approvals.review-submissions', subject: null }],
      Component: () => import('./pages/SubmissionsPage'),
    });
    app.widgets.register({
      id: 'queues',
      pluginId: 'approvals',
      icon: Bell,
      title: { id: 'approvals.widget.title', defaultMessage: 'Work queues' },
      component: async () => (await import('./components/QueuesWidget')).default,
    });
    app.registerPlugin({ id: 'approvals', name: 'Approvals' });
  },
  bootstrap() {},
};
