import type { Core } from '@strapi/strapi';
import { contentTypes as ctUtils } from '@strapi/utils';

/**
 * The content manager's list views, as staff need them: the columns they scan,
 * the sort they expect (the confirmation queue oldest first), sensible page sizes.
 * Applied on every start over Strapi's generated defaults.
 */
interface ListView {
  columns: string[];
  sortBy: string;
  order: 'ASC' | 'DESC';
  mainField?: string;
  relations?: Record<string, string>; // relation field → field of the target shown in the column
  pageSize?: number;
}

// Events: the "Seats" column (used / offered, added by the rosters plugin's admin code) stands in for capacity.
export const LIST_VIEWS: Record<string, ListView> = {
  'api::event.event': { columns: ['title', 'start', 'audience', 'registrationMode', 'provider'], sortBy: 'start', order: 'DESC', mainField: 'title', relations: { provider: 'name' } },
  'api::building.building': { columns: ['name', 'library', 'city', 'county', 'outletType', 'needsReview'], sortBy: 'name', order: 'ASC', mainField: 'name', relations: { library: 'name' }, pageSize: 50 },
  'api::library.library': { columns: ['name', 'type', 'fscsId', 'system'], sortBy: 'name', order: 'ASC', mainField: 'name', relations: { system: 'code' }, pageSize: 50 },
  'api::affiliation.affiliation': { columns: ['user', 'building', 'jobTitle', 'status', 'createdAt'], sortBy: 'createdAt', order: 'ASC', mainField: 'jobTitle', relations: { user: 'email', building: 'name' } },
  'api::registration.registration': { columns: ['event', 'user', 'occurrence', 'status', 'waitlistPosition', 'attended'], sortBy: 'createdAt', order: 'DESC', relations: { event: 'title', user: 'email' } },
  'api::networking-group.networking-group': { columns: ['name', 'scope', 'system', 'meetingPattern'], sortBy: 'name', order: 'ASC', mainField: 'name', relations: { system: 'code' } },
  'api::mentorship-pairing.mentorship-pairing': { columns: ['mentor', 'mentee', 'status', 'startDate', 'endDate'], sortBy: 'startDate', order: 'DESC', relations: { mentor: 'email', mentee: 'email' } },
  'api::site-visit.site-visit': { columns: ['building', 'kind', 'status', 'scheduledAt', 'createdAt'], sortBy: 'createdAt', order: 'ASC', relations: { building: 'name' } },
  'api::building-change.building-change': { columns: ['building', 'changedByName', 'source', 'createdAt'], sortBy: 'createdAt', order: 'DESC', relations: { building: 'name' } },
};

/**
 * The content manager's edit views, grouped the way staff read a record: rows of
 * fields on its 12-column grid. A row names fields, optionally with a width
 * ([name, size]); without one a field takes Strapi's default for its type, and
 * types Strapi keeps full width (json, richtext, components) always get 12.
 * Editable fields a view does not name follow at the end in Strapi's order, so a
 * new attribute is never left out of the form. `hints` are the help texts under
 * fields; `readOnly` fields are kept by code (shown, not editable).
 */
type EditRow = (string | [string, number])[];
interface EditView {
  rows: EditRow[];
  hints?: Record<string, string>;
  readOnly?: string[];
}

const LOCKED = 'Locked for directors: they see it on their Update form but only system staff change it, here.';
const DIRECTOR_EDITS = 'Directors and directory editors of this building also edit this on their Update form.';

export const EDIT_VIEWS: Record<string, EditView> = {
  'api::event.event': {
    rows: [
      ['title', 'slug'],
      [['kind', 6], ['audience', 6]],
      [['summary', 12]],
      ['description'],
      ['start', 'end'],
      ['allDay', 'cancelled'],
      [['rrule', 12]],
      ['exdates'],
      ['rdates'],
      ['occurrenceChanges'],
      ['provider', 'networkingGroup'],
      [['tags', 12]],
      ['parent', 'sessions'],
      ['registrationMode', 'registrationAudience'],
      ['capacity', 'fee', 'cancellationHours'],
      ['registrationOpens', 'registrationCloses'],
      ['signupInstructions', 'paymentInstructions'],
      ['locations'],
      ['pdhHours'],
      ['contactName', 'contactEmail'],
      ['submissionState', 'submittedBy'],
      [['reviewNote', 12]],
      ['externalUid', 'importSource'],
    ],
    hints: {
      slug: 'Part of the public address; made from the title.',
      summary: 'One or two sentences for lists and the RSS feed (500 characters).',
      audience: 'Members: only signed-in members with an approved affiliation see the event (lists, feeds, GraphQL); everyone else gets a 404.',
      start: 'Entered in your browser\'s time zone, stored in UTC. For a recurring event: the first date.',
      end: 'For a recurring event: the end of the first date (every date lasts as long).',
      allDay: 'Shown without a time; feeds send it as an all-day date.',
      cancelled: 'Cancels the whole event (every date): it stays listed as cancelled and takes no registrations. To cancel one date of a series use "Occurrence changes".',
      rrule: 'Repeats the event: an RFC 5545 RRULE such as FREQ=MONTHLY;BYDAY=3WE (third Wednesday) or FREQ=MONTHLY;BYDAY=1TH;BYMONTH=1,2,3. Expanded in the calendar time zone (TZ_CALENDAR, America/Chicago), so 1 p.m. stays 1 p.m. across DST; an UNTIL without Z is a time (or, a date: the whole day) in that zone, saved in UTC. Empty: a one-off event.',
      exdates: 'Dates the rule skips: a JSON list of ISO date-times, each the exact start the rule gives, e.g. ["2026-07-15T18:00:00.000Z"]; without an offset, a time in the calendar time zone (["2026-07-15T13:00:00"]), saved in UTC.',
      rdates: 'Extra dates outside the rule: a JSON list of ISO date-times (without an offset: calendar time zone).',
      occurrenceChanges: 'Moves or cancels one date of a recurring event: "Occurrence" is the start the rule gives; registrations of that date follow it.',
      provider: 'The organisation running the event; its admin users (Event Provider role) manage it and read its registrations.',
      networkingGroup: 'The networking group that meets at this event; it then shows in the group\'s calendar feed.',
      parent: 'For a session: the conference or series it belongs to.',
      sessions: 'For a conference: its sessions (each an event of its own).',
      registrationMode: 'Platform: people register here (seats, waitlist, emails). External: the sign-up instructions are shown instead. None: no registration here; people just come, or follow the sign-up instructions (e.g. contact the group).',
      registrationAudience: 'Who may register: everyone with an account, or members only.',
      capacity: 'Seats per date. Empty: no limit. Raising it gives the new seats to the waitlist in order.',
      fee: 'Above zero: a registration holds its seat as "pending payment" for REGISTRATION_HOLD_MINUTES (60) until payment is verified; a seat given from the waitlist for REGISTRATION_PROMOTION_HOLD_HOURS (24), ending at the start at the latest.',
      cancellationHours: 'People may give back a seat until this many hours before the start (48 by default); leaving a waitlist is always allowed.',
      registrationOpens: 'Empty: open now.',
      registrationCloses: 'Empty: until the start.',
      signupInstructions: 'For external registration: where and how to sign up.',
      locations: 'Places (or video links) where the event happens, each with its own seats. The key (lower-case letters, digits, hyphens) is what registrations store: do not change it once people registered.',
      pdhHours: 'Professional development hours credited to each attendee whose attendance is ticked.',
      submissionState: 'Member-submitted events: submitted ones wait in "Event submissions" for review.',
      submittedBy: 'The member who submitted the event (private).',
      reviewNote: 'Why a submission was rejected; sent to the submitter (private).',
      externalUid: 'Set by the calendar import (UID in the source feed); the import updates the event by it. Private.',
      importSource: 'The calendar feed this event was imported from (private).',
    },
  },
  'api::building.building': {
    rows: [
      ['name', 'library'],
      [['outletType', 4], ['fscsId', 4], ['fscsSeq', 4]],
      ['street', 'street2'],
      [['city', 4], ['state', 4], ['zip', 4]],
      [['county', 4], ['latitude', 4], ['longitude', 4]],
      ['phone', 'fax'],
      ['email', 'website'],
      [['deliveryHub', 4], ['deliveryRoute', 4], ['deliveryFrequency', 4]],
      [['oclcSymbol', 4], ['catalogAutomation', 4], ['llsapMember', 4]],
      ['squareFeet', 'hoursPerYear'],
      ['resourceSharing'],
      ['nonresidentCards'],
      [['needsReview', 4], ['reviewNote', 8]],
      [['affiliations', 12]],
      [['searchText', 12]],
    ],
    hints: {
      name: DIRECTOR_EDITS,
      library: `${LOCKED} The library (and through it the library system) this building belongs to.`,
      outletType: `${LOCKED} Main library, branch or bookmobile (IMLS outlet type).`,
      fscsId: `${LOCKED} IMLS FSCS id of the library (e.g. IL0364); the IMLS import matches buildings by it and the sequence.`,
      fscsSeq: `${LOCKED} IMLS outlet sequence number within the FSCS id.`,
      state: LOCKED,
      latitude: 'Decimal degrees (WGS 84).',
      longitude: 'Decimal degrees (WGS 84); negative in Illinois.',
      deliveryHub: LOCKED,
      deliveryRoute: LOCKED,
      deliveryFrequency: LOCKED,
      oclcSymbol: `${LOCKED} OCLC symbol (up to 8 characters).`,
      catalogAutomation: 'The catalog / ILS consortium, e.g. SHARE or RSA.',
      llsapMember: `${LOCKED} Member of an LLSAP (a Local Library System Automation Program: a shared catalog such as SHARE or PrairieCat).`,
      squareFeet: 'From the IMLS survey.',
      hoursPerYear: 'Public service hours per year, from the IMLS survey.',
      resourceSharing: `${DIRECTOR_EDITS} Interlibrary-loan contacts, lending terms and the written policy; "last reviewed" drives the yearly reminder.`,
      nonresidentCards: `${LOCKED} One entry per fiscal year (public libraries); earlier years are kept.`,
      needsReview: `${LOCKED} Set by the IMLS import when a row needs a person to check it (e.g. its city could not be resolved); the review note says what. Clear it once checked.`,
      reviewNote: 'What to check (private: staff only).',
      affiliations: 'People affiliated with this building; decide pending ones in the Confirmation queue.',
      searchText: 'Kept by the directory search on every save (private); not edited by hand.',
    },
    readOnly: ['searchText'],
  },
  'api::library.library': {
    rows: [['name', 'type'], ['system', 'fscsId'], [['website', 12]], [['buildings', 12]]],
    hints: {
      type: LOCKED,
      system: `${LOCKED} The library system the library is a member of (IHLS, RAILS, CPLS or ISL).`,
      fscsId: `${LOCKED} IMLS FSCS id, unique (e.g. IL0364).`,
      buildings: 'Its outlets: the main library, branches, bookmobiles.',
    },
  },
  'api::library-system.library-system': {
    rows: [['name', 'code'], ['kind', 'website'], [['acceptsEventSubmissions', 4], ['eventSubmissionContact', 8]], ['libraries', 'networkingGroups']],
    hints: {
      code: 'Short code used in filters and the directory search (?system=IHLS); unique.',
      kind: 'A library system, or the state agency (Illinois State Library).',
      acceptsEventSubmissions: 'On: members of this system may submit events for its networking groups (they arrive in "Event submissions" for review). Off: nobody can.',
      eventSubmissionContact: 'Public. When submissions are off, whom to contact instead, e.g. "Groups within IHLS should contact IHLS about submitting an event." Shown to members who try.',
    },
  },
  'api::affiliation.affiliation': {
    rows: [['user', 'building'], ['jobTitle', 'status'], ['roles'], ['requestedRoles'], ['decidedBy', 'decidedAt'], [['decisionReason', 12]], ['addedBy', 'endedAt']],
    hints: {
      status: 'Decide pending affiliations in the Confirmation queue (the person is emailed). The person\'s member/director role follows approved affiliations automatically.',
      roles: 'Granted roles: a JSON list of director, directory-editor, staff, trustee, certification-contact. director / directory-editor let the person edit the building and its staff list.',
      requestedRoles: 'What the person asked for (JSON list); granting director rights is staff\'s decision.',
      decidedBy: 'The admin who approved or rejected (private).',
      decisionReason: 'Why it was rejected; sent to the person (private).',
      addedBy: 'The director who added this person to the staff list, if any (private).',
      endedAt: 'Set when the person leaves the library.',
    },
  },
  'api::registration.registration': {
    rows: [
      ['event', 'occurrence'],
      ['user', 'registeredBy'],
      [['status', 4], ['waitlistPosition', 4], ['location', 4]],
      ['confirmedAt', 'holdExpiresAt'],
      [['feeCharged', 4], ['paymentVerified', 4]],
      ['emergencyPhone', 'specialNeeds'],
      [['attended', 4], ['pdhEarned', 4], ['reminderSentAt', 4]],
      ['cancelledAt', 'cancellationReason'],
      ['eventDocumentId', 'userDocumentId'],
      ['slotKey', 'activeKey'],
    ],
    hints: {
      occurrence: 'The start of the date registered for (for a recurring event: the start the rule gives, even if that date was moved). Changing it moves the registration to that date, by the same rules as the location.',
      registeredBy: 'Who made the registration: the person, or a director registering a colleague.',
      status: 'Seats follow the rules: cancelling frees the seat for the first waitlisted person; a seat is never handed out by editing this (raise the event capacity instead); a cancelled registration stays cancelled.',
      waitlistPosition: 'Kept 1..n per date, in order of arrival, by the seat rules: one line for all the event\'s locations. Never taken from a save (set the status to waitlisted to put someone at the end of the line).',
      location: 'The key of one of the event\'s locations. Changing it moves the registration: a seat is kept only if the new place has one free (else the save is refused: raise the capacity, or set the status to waitlisted); the seat given up goes to the first in line.',
      holdExpiresAt: 'Pending payment: the seat is released at this time unless payment is verified.',
      emergencyPhone: 'Private: staff and the event\'s provider only.',
      specialNeeds: 'Private: staff and the event\'s provider only.',
      attended: 'Ticking it credits the event\'s PD hours; unticking clears them. Only confirmed seats of dates that have started.',
      pdhEarned: 'Follows the event\'s PD hours when attendance is ticked; enter partial hours by hand if needed.',
      reminderSentAt: 'The day-before reminder went out at this time (sent once).',
      eventDocumentId: 'Kept by the seat rules (private).',
      userDocumentId: 'Kept by the seat rules (private).',
      slotKey: 'event | date | location: what seats are counted by. Kept by the seat rules (private).',
      activeKey: 'event | date | person: refuses a second registration; empty once cancelled. Kept by the seat rules (private).',
    },
    readOnly: ['waitlistPosition', 'eventDocumentId', 'userDocumentId', 'slotKey', 'activeKey'],
  },
  'api::networking-group.networking-group': {
    rows: [['name', 'slug'], ['scope', 'system'], [['about', 12]], [['meetingPattern', 12]], ['contacts'], ['website', 'primaryAdmin'], ['icsFeedUrl', 'lastImportedAt'], [['events', 12]]],
    hints: {
      slug: 'Part of the group\'s addresses, e.g. /api/networking-groups/<slug>/ics.',
      meetingPattern: 'In words, as members read it (e.g. "Third Wednesday, 10 a.m., not in summer"); the dates themselves are the events\' recurrence rules.',
      contacts: 'A platform user, or free text such as "Unknown" or "Varies by host library".',
      primaryAdmin: 'The member who looks after the group (private).',
      icsFeedUrl: 'The group\'s external calendar; the import (node scripts/run-script.js import-ics <slug>) reads it (private).',
      lastImportedAt: 'Set by the calendar import (private).',
    },
  },
  'api::mentorship-application.mentorship-application': {
    rows: [['user', 'role'], ['status', 'membership'], [['yearsExperience', 4], ['employedInLibrary', 4], ['maxMentees', 4]], ['libraryType', 'region'], [['goals', 12]], ['interests']],
    hints: {
      membership: 'ILA rules: mentees are ALA/ILA student members, or ILA personal members with under 5 years of experience working in a library now; mentors need 6+ years in the field or a library job now.',
      yearsExperience: 'Years working in libraries.',
      maxMentees: 'Mentors: how many mentees at once (1-5).',
      status: 'Submitted, accepted, paired: open (may be paired). Pairings set paired while one is active, completed (a mentee\'s, when the six-month term is over: they may apply again), or accepted again when it ends early: paired and completed are never set by hand. While a pairing of it is active, end the pairing first to change this; while one is proposed, to decline or withdraw it. Withdrawn, declined: closed. Setting accepted or declined emails the applicant.',
      interests: 'A JSON list of topics, e.g. ["youth services", "grant writing"]; shared interests rank mentor suggestions first.',
      region: 'Same-region mentors rank higher in suggestions.',
    },
  },
  'api::mentorship-pairing.mentorship-pairing': {
    rows: [['mentor', 'mentee'], ['mentorApplication', 'menteeApplication'], [['status', 4], ['startDate', 4], ['endDate', 4]], ['checkInSentAt', 'endedReason']],
    hints: {
      status: 'proposed → active → completed (by a daily job on the end date), or ended early from either; both people are emailed on every change. Mentor and mentee need open applications of their roles; a mentee has one proposed or active pairing at a time, a mentor at most their maxMentees.',
      startDate: 'Set to today when the pairing starts, unless you give one; changing it moves the end date.',
      endDate: 'Six months after the start date, always (the ILA term): follows the start date.',
      checkInSentAt: 'The last check-in email (private).',
      endedReason: 'Why the pairing ended early: sent to both mentor and mentee in the email that tells them (private otherwise).',
    },
  },
  'api::site-visit.site-visit': {
    rows: [['building', 'requestedBy'], ['kind', 'status'], [['topic', 12]], ['preferredDates'], ['scheduledAt', 'staffContact'], [['staffNotes', 12]]],
    hints: {
      preferredDates: 'Dates the library proposed: a JSON list of YYYY-MM-DD.',
      scheduledAt: 'Set it with status "scheduled": the requester (and the staff contact) are emailed the date.',
      staffContact: 'The system staff member who visits or calls (private).',
      staffNotes: 'Staff only (private).',
    },
  },
  'api::provider.provider': {
    rows: [['name', 'slug'], ['kind', 'system'], ['website', 'contactEmail'], [['adminUsers', 12]], [['events', 12]]],
    hints: {
      slug: 'Used in feed filters, e.g. /api/calendar.ics?provider=<slug>.',
      contactEmail: 'Private.',
      adminUsers: 'Admin-panel users (Event Provider role) who manage this organisation\'s events and read their registrations (private).',
    },
  },
};

interface LayoutField {
  name: string;
  size: number;
}
const GRID = 12;

/** The fields the content manager shows in a form, by its own rule (visible, not timestamps/creator fields/morph relations). */
function editableFields(contentType: any): string[] {
  const creators = new Set(ctUtils.getCreatorFields(contentType));
  const hidden = (name: string) => contentType.config?.attributes?.[name]?.hidden === true;
  return ctUtils
    .getVisibleAttributes(contentType)
    .filter((name) => !creators.has(name) && !hidden(name))
    .filter((name) => {
      const a = contentType.attributes[name];
      return !(a.type === 'relation' && String(a.relation).toLowerCase().includes('morph'));
    });
}

/** The declared rows (widths checked against Strapi's field sizes), then every other editable field. */
export function buildEditLayout(strapi: Core.Strapi, contentType: any, view: EditView, current: LayoutField[][] = []): LayoutField[][] {
  const fieldSizes = strapi.plugin('content-manager').service('field-sizes');
  const editable = new Set(editableFields(contentType));
  const sizeOf = (name: string, wanted?: number) => {
    const attribute = contentType.attributes[name];
    const type = attribute.customField && fieldSizes.hasFieldSize(attribute.customField) ? attribute.customField : attribute.type;
    const rule = fieldSizes.getFieldSize(type);
    // a fixed-size type gets its size (Strapi resets layouts that differ); others the width asked for, at most a row
    return rule.isResizable ? Math.min(Math.max(wanted ?? rule.default, 1), GRID) : rule.default;
  };
  const placed = new Set<string>();
  const rows: LayoutField[][] = [];
  const place = (fields: LayoutField[]) => {
    let row: LayoutField[] = [];
    for (const field of fields) {
      // a row that would overflow the grid continues on the next one
      if (row.reduce((sum, f) => sum + f.size, 0) + field.size > GRID) {
        rows.push(row);
        row = [];
      }
      row.push(field);
    }
    if (row.length) rows.push(row);
  };
  for (const declared of view.rows) {
    const fields = declared
      .map((entry) => (typeof entry === 'string' ? { name: entry, size: undefined } : { name: entry[0], size: entry[1] }))
      .filter(({ name }) => editable.has(name) && !placed.has(name))
      .map(({ name, size }) => {
        placed.add(name);
        return { name, size: sizeOf(name, size) };
      });
    place(fields);
  }
  // Strapi's order for the rest: its current layout first, then attributes it has not placed yet
  const rest = [...current.flat().map((f) => f.name), ...editable].filter((name) => editable.has(name) && !placed.has(name));
  place([...new Set(rest)].map((name) => ({ name, size: sizeOf(name) })));
  return rows;
}

export async function configureContentManager(strapi: Core.Strapi) {
  const service = strapi.plugin('content-manager').service('content-types');
  for (const uid of new Set([...Object.keys(LIST_VIEWS), ...Object.keys(EDIT_VIEWS)])) {
    const contentType = strapi.contentType(uid as never) as any;
    if (!contentType) continue;
    const view = LIST_VIEWS[uid];
    const form = EDIT_VIEWS[uid];
    const current = await service.findConfiguration(contentType);
    const metadatas = { ...(current.metadatas ?? {}) };
    for (const [field, shown] of Object.entries(view?.relations ?? {})) {
      metadatas[field] = { ...metadatas[field], list: { ...(metadatas[field]?.list ?? {}), mainField: shown, sortable: false } };
      metadatas[field].edit = { ...(metadatas[field]?.edit ?? {}), mainField: shown };
    }
    for (const [field, hint] of Object.entries(form?.hints ?? {})) {
      if (!contentType.attributes[field]) continue;
      metadatas[field] = { ...metadatas[field], edit: { ...(metadatas[field]?.edit ?? {}), description: hint } };
    }
    for (const field of form?.readOnly ?? []) {
      if (!contentType.attributes[field]) continue;
      metadatas[field] = { ...metadatas[field], edit: { ...(metadatas[field]?.edit ?? {}), editable: false } };
    }
    await service.updateConfiguration(contentType, {
      settings: view
        ? {
            ...current.settings,
            defaultSortBy: view.sortBy,
            defaultSortOrder: view.order,
            ...(view.mainField ? { mainField: view.mainField } : {}),
            pageSize: view.pageSize ?? current.settings?.pageSize ?? 20,
          }
        : current.settings,
      metadatas,
      layouts: {
        ...current.layouts,
        ...(view ? { list: view.columns.filter((c) => c === 'createdAt' || contentType.attributes[c]) } : {}),
        ...(form ? { edit: buildEditLayout(strapi, contentType, form, current.layouts?.edit) } : {}),
      },
    });
  }
}
