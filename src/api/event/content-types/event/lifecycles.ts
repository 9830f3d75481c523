import { normaliseRecurrenceFields } from '../../recurrence/validate';

/** Every write of an event (REST, admin panel, import) goes through these checks. */
export default {
  beforeCreate(event: { params: { data?: Record<string, unknown> } }) {
    normaliseRecurrenceFields(event.params.data);
  },
  beforeUpdate(event: { params: { data?: Record<string, unknown> } }) {
    normaliseRecurrenceFields(event.params.data);
  },
};
