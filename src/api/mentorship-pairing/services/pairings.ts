import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { DateTime } from 'luxon';
import { calendarZone } from '../../event/recurrence/rule';
import { OPEN } from '../../mentorship-application/services/applications';
import { unmetRule, type EligibilityInput, type MentorshipRole } from '../../mentorship-application/services/eligibility';
import { relationTarget } from '../../registration/services/registration';
import { ConflictError, UnprocessableError, inputError } from '../../../utils/errors';
import { lockNames } from '../../../utils/advisory-lock';

const APPLICATION = 'api::mentorship-application.mentorship-application';
const PAIRING = 'api::mentorship-pairing.mentorship-pairing';
const USER = 'plugin::users-permissions.user';
const PERSON_FIELDS = ['id', 'documentId', 'firstName', 'lastName', 'username'];

export type PairingStatus = 'proposed' | 'active' | 'completed' | 'ended-early';

/** A pairing in these statuses holds a place: one of the mentor's `maxMentees`, the mentee's only one. */
export const HOLDING: PairingStatus[] = ['proposed', 'active'];

/** The pairing lifecycle: proposed → active → completed, or ended early from either. */
export const TRANSITIONS: Record<PairingStatus, PairingStatus[]> = {
  proposed: ['active', 'ended-early'],
  active: ['completed', 'ended-early'],
  completed: [],
  'ended-early': [],
};

export const TERM_MONTHS = 6;
export const CHECK_IN_AFTER_MONTHS = 3;

/** A date some months on; a month end stays in its month (Aug 31 + 6 months = Feb 28). Null for a non-date. */
const addMonths = (isoDate: string, months: number) => DateTime.fromISO(isoDate).plus({ months }).toISODate();

/** Today in the calendar zone: a pairing's dates are Illinois calendar days, not UTC ones. */
const calendarToday = () => DateTime.now().setZone(calendarZone()).toISODate()!;

/** A to-one relation in a write: undefined when the write leaves it as it is, null when it clears it, else its target. */
export function relationIn(value: unknown): { id?: number; documentId?: string } | null | undefined {
  if (value === undefined) return undefined;
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const v = value as { connect?: unknown[]; set?: unknown[]; disconnect?: unknown[] };
    if (Array.isArray(v.set)) return relationTarget(v.set);
    if (Array.isArray(v.connect) && v.connect.length) return relationTarget(v.connect);
    if (Array.isArray(v.disconnect) && v.disconnect.length) return null;
    if ('connect' in v || 'disconnect' in v) return undefined; // the admin panel's form, relation untouched
  }
  return relationTarget(value);
}

interface Person { id: number; documentId: string; firstName?: string | null; lastName?: string | null; username?: string }
interface ApplicationRow extends EligibilityInput { id: number; documentId: string; status: string; maxMentees?: number | null; user?: Person | null }
interface CurrentPairing {
  id: number;
  status: PairingStatus;
  startDate?: string | null;
  endDate?: string | null;
  mentor?: Person | null;
  mentee?: Person | null;
  mentorApplication?: ApplicationRow | null;
  menteeApplication?: ApplicationRow | null;
}

interface Suggestion {
  applicationDocumentId: string;
  userDocumentId: string;
  name: string;
  score: number;
  sharedInterests: string[];
  sameRegion: boolean;
  sameLibraryType: boolean;
  activeMentees: number;
}

/** A pairing's date (YYYY-MM-DD) as a mail reads it: "January 4, 2027". */
const dayText = (iso: string | null | undefined) => (iso ? DateTime.fromISO(iso).toFormat('MMMM d, yyyy') : '');

const MESSAGES: Record<PairingStatus, { subject: string; body: (p: Names) => string }> = {
  proposed: {
    subject: 'You have been proposed for an ILA mentorship pairing',
    body: (p) => `Library staff have proposed a six-month mentorship pairing: ${p.mentor} (mentor) and ${p.mentee} (mentee).\nThey will confirm the pairing with you before it starts.`,
  },
  active: {
    subject: 'Your mentorship pairing has started',
    body: (p) => `Your six-month mentorship pairing has started: ${p.mentor} (mentor, ${p.mentorEmail}) and ${p.mentee} (mentee, ${p.menteeEmail}), ${p.start} to ${p.end}.\nSet your goals together in your first conversation.`,
  },
  completed: {
    subject: 'Your mentorship pairing is complete',
    body: (p) => `The mentorship pairing of ${p.mentor} and ${p.mentee} is complete. Thank you for taking part in the program.`,
  },
  'ended-early': {
    subject: 'Your mentorship pairing has ended',
    body: (p) => `The mentorship pairing of ${p.mentor} and ${p.mentee} has ended early.${p.reason ? `\nReason: ${p.reason}` : ''}`,
  },
};

interface Names {
  mentor: string;
  mentee: string;
  mentorEmail: string;
  menteeEmail: string;
  start: string;
  end: string;
  reason?: string;
}

const fullName = (u: { firstName?: unknown; lastName?: unknown; username?: unknown }) => `${u.firstName ?? ''} ${u.lastName ?? ''}`.trim() || String(u.username);

/**
 * The status an application's pairings give it, from the statuses of the pairings that hold it: `paired` while one is
 * active, a mentee's `completed` once one has run its term; null when they give none (staff's to decide).
 */
function statusGivenBy(role: string, held: PairingStatus[]): 'paired' | 'completed' | null {
  if (held.includes('active')) return 'paired';
  if (role === 'mentee' && held.includes('completed')) return 'completed';
  return null;
}

/** The statuses an application held by these pairings may be given by hand (assertApplicationStatus), for a refusal's details. */
function allowedBy(role: string, held: PairingStatus[], current?: string): string[] {
  const given = statusGivenBy(role, held);
  if (given === 'paired') return ['paired'];
  if (given === 'completed' && current === 'completed') return ['completed'];
  const open = ['submitted', 'accepted'];
  return [...(held.includes('proposed') ? open : [...open, 'withdrawn', 'declined']), ...(given ? [given] : [])];
}

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** Refuses a status change the lifecycle does not allow. */
  assertTransition(from: PairingStatus, to: PairingStatus) {
    if (from !== to && !TRANSITIONS[from].includes(to)) {
      const message = `A ${from} pairing cannot become ${to}`;
      throw new errors.ValidationError(message, { errors: [{ path: ['status'], message, name: 'ValidationError' }], allowed: TRANSITIONS[from] });
    }
  },

  /** Start and end dates of the six-month term, when a pairing becomes active (from today in the calendar zone unless given). */
  termDates(startDate?: string | null) {
    const start = startDate ?? calendarToday();
    const endDate = addMonths(start, TERM_MONTHS);
    if (!endDate) throw inputError('startDate', `"${start}" is not a date (YYYY-MM-DD)`);
    return { startDate: start, endDate };
  },

  /**
   * A pairing runs six months (ILA): its end date follows its start date, whoever writes either. The admin
   * panel's form sends every field back, so a moved start comes with the old end date: that one is replaced;
   * any other end date is refused (400 naming endDate). A pairing without a start date keeps no end date either, and
   * one that has started keeps its start: cleared, the daily jobs would complete it on an end date nobody sees the
   * start of, and never send the mid-term check-in (400 naming startDate).
   */
  keepSixMonthTerm(data: Record<string, unknown>, current: { status?: string | null; startDate?: string | null; endDate?: string | null } | null) {
    if (data.startDate === undefined && data.endDate === undefined) return;
    const start = data.startDate === undefined ? current?.startDate : (data.startDate as string | null);
    if (!start) {
      if (current?.startDate && current.status && current.status !== 'proposed') {
        throw inputError('startDate', `a pairing that has started keeps its start date (${current.startDate}): move it to another date instead`);
      }
      data.endDate = null;
      return;
    }
    const { endDate } = this.termDates(start);
    const day = (v: unknown) => (typeof v === 'string' && v ? DateTime.fromISO(v).toISODate() ?? v : null);
    const sent = day(data.endDate);
    if (sent && sent !== endDate && sent !== day(current?.endDate)) {
      throw inputError('endDate', `a pairing runs six months: starting ${start}, it ends ${endDate} (move startDate to move it)`);
    }
    data.endDate = endDate;
  },

  /**
   * Runs fn in a transaction holding the pairing lock, so pairing writes take turns: two staff
   * members (or staff and the term job) can never both give a mentee a pairing or a mentor one
   * mentee too many. PostgreSQL: an advisory lock, across processes; SQLite has one writer.
   * Pairings are made by hand, a few a day, so one lock for all of them costs nothing.
   */
  async withPairingLock<T>(fn: () => Promise<T>): Promise<T> {
    return strapi.db.transaction(async ({ trx }) => {
      await lockNames(strapi, trx, ['mentorship:pairings']);
      return fn();
    });
  },

  /**
   * Every pairing write (admin panel, scripts, the term job) passes here, inside withPairingLock:
   * the lifecycle, the six-month term, and the rules on who may be paired. Completes `data`
   * (status, dates, both people and their applications) and says which status change it makes, with the
   * applications and people the pairing had before (for settleApplications and notifyChange after the write).
   */
  async prepareWrite(
    action: 'create' | 'update',
    documentId: string | null,
    data: Record<string, unknown>,
  ): Promise<{ from: PairingStatus | null; to: PairingStatus | null; applications: number[]; people: number[] }> {
    const current: CurrentPairing | null = action === 'update' && documentId
      ? await strapi.db.query(PAIRING).findOne({
        where: { documentId },
        select: ['id', 'status', 'startDate', 'endDate'],
        populate: {
          mentor: { select: PERSON_FIELDS }, mentee: { select: PERSON_FIELDS },
          mentorApplication: { populate: { user: { select: PERSON_FIELDS } } }, menteeApplication: { populate: { user: { select: PERSON_FIELDS } } },
        },
      })
      : null;
    if (action === 'update' && !current) return { from: null, to: null, applications: [], people: [] }; // nothing to update
    // the applications the pairing holds before this write: settleApplications looks at them again after it
    const applications = [current?.mentorApplication?.id, current?.menteeApplication?.id].filter((id): id is number => Boolean(id));
    const from = current?.status ?? null;
    if (!current) {
      data.status = data.status ?? 'proposed';
      // a new pairing (a create, or a Duplicate with its form's status) starts proposed or active: a completed or
      // ended-early one would close the applications it takes without a term served
      if (!HOLDING.includes(data.status as PairingStatus)) {
        const message = `A new pairing starts proposed or active, not ${String(data.status)}`;
        throw new errors.ValidationError(message, { errors: [{ path: ['status'], message, name: 'ValidationError' }], allowed: HOLDING });
      }
    }
    const to = (data.status as PairingStatus | undefined) ?? from!;
    if (from && data.status) this.assertTransition(from, to);

    // a pairing that starts gets its start date (today unless given), and with it its end date
    if (to === 'active' && from !== 'active') data.startDate = this.termDates((data.startDate as string) ?? current?.startDate).startDate;
    this.keepSixMonthTerm(data, current);

    // who is paired is checked when a pairing starts holding places, or its people change while it does
    const peopleChange = ['mentor', 'mentee', 'mentorApplication', 'menteeApplication'].some((f) => relationIn(data[f]) !== undefined);
    if (HOLDING.includes(to) && (!current || !HOLDING.includes(from!) || peopleChange)) await this.assertPairable(data, current);
    const people = [current?.mentor?.id, current?.mentee?.id].filter((id): id is number => typeof id === 'number');
    return { from, to, applications, people };
  },

  /**
   * Applications follow their pairings (after every pairing write, under the pairing lock): `paired` while in an
   * active pairing; a mentee's `completed` once a pairing of it has run its six-month term (no longer open: the
   * mentee may apply again, and pairing them again takes that new application); one that was paired and is no
   * longer (ended early, or the pairing's people changed) `accepted` again, ready for another pairing.
   * Withdrawn, declined and completed applications are left as they are.
   */
  async settleApplications(pairingId: number, previous: number[] = []) {
    const p = await strapi.db.query(PAIRING).findOne({ where: { id: pairingId }, populate: { mentorApplication: { select: ['id'] }, menteeApplication: { select: ['id'] } } });
    const ids = new Set([...previous, p?.mentorApplication?.id, p?.menteeApplication?.id].filter((id): id is number => Boolean(id)));
    for (const id of ids) await this.settleApplication(id);
  },

  /** One application's status by the rule above, from every pairing that holds it. Call inside withPairingLock. */
  async settleApplication(id: number) {
    const application = await strapi.db.query(APPLICATION).findOne({ where: { id }, select: ['id', 'documentId', 'role', 'status'] });
    if (!application || !OPEN.includes(application.status)) return;
    const held = (await this.pairingsHolding(application)).map((p) => p.status);
    const status = statusGivenBy(application.role, held) ?? (application.status === 'paired' ? 'accepted' : application.status);
    if (status !== application.status) await strapi.documents(APPLICATION).update({ documentId: application.documentId, data: { status } as never });
  },

  /** The pairings an application serves in (as its role's application), with the other person in each. */
  async pairingsHolding(application: { id: number; role: string }): Promise<{ status: PairingStatus; partner: Person | null }[]> {
    const [field, other] = application.role === 'mentor' ? ['mentorApplication', 'mentee'] : ['menteeApplication', 'mentor'];
    const rows = await strapi.db.query(PAIRING).findMany({ where: { [field]: { id: application.id } }, select: ['status'], populate: { [other]: { select: PERSON_FIELDS } } });
    return rows.map((r: Record<string, any>) => ({ status: r.status, partner: r[other] ?? null }));
  },

  /**
   * A status written to an application by anyone but its pairings (staff in the admin panel, a script) agrees with
   * them, the rule settleApplication keeps: while a pairing of it is active it stays `paired`, and while one is
   * proposed it is not declined or withdrawn; staff end the pairing first (ended early: both people are emailed, and
   * the application is `accepted` again). `paired` and `completed` are its pairings' to give (started; a mentee's
   * term served), never set by hand, on a new application either (`application` null). A mentee's `completed` one is
   * closed for good while its completed pairing holds it: set back to accepted (or anything else), the next pairing
   * write or the daily term job completed it again, after the applicant was emailed "accepted"; the mentee applies
   * again instead. 409 naming `status`, before anything is stored or anyone emailed; settleApplication's own writes
   * pass the same rule (it leaves completed applications alone). Call inside withPairingLock.
   */
  async assertApplicationStatus(application: { id: number; role: string; status: string } | null, role: string, to: string) {
    if (application && to === application.status) return;
    const held = application ? await this.pairingsHolding(application) : [];
    const refuse = (message: string) => {
      throw new ConflictError(message, { field: 'status', allowed: allowedBy(role, held.map((p) => p.status), application?.status) });
    };
    const holding = (status: PairingStatus) => held.find((p) => p.status === status);
    const withWhom = (p: { partner: Person | null }) => (p.partner ? ` with ${fullName(p.partner)}` : '');
    const active = holding('active');
    if (active && to !== 'paired') {
      refuse(`This application is in an active pairing${withWhom(active)}: its status stays paired while the pairing runs. To change it, end the pairing first (Mentorship pairing, status ended-early): both people are emailed and the application is accepted again`);
    }
    const proposed = holding('proposed');
    if (proposed && (to === 'declined' || to === 'withdrawn')) {
      refuse(`This application is in a proposed pairing${withWhom(proposed)}: end the pairing first (Mentorship pairing, status ended-early), then set it ${to}`);
    }
    const given = statusGivenBy(role, held.map((p) => p.status));
    if (given === 'completed' && application?.status === 'completed') {
      const completed = holding('completed')!;
      refuse(`This application is completed: its pairing${withWhom(completed)} has run its six-month term, and it stays completed. For another pairing the mentee applies again (or staff create a new mentee application for them)`);
    }
    if (to === 'paired' && given !== 'paired') {
      refuse('An application is paired when a pairing of it starts (Mentorship pairing, status active), not by hand');
    }
    if (to === 'completed' && given !== 'completed') {
      refuse("A mentee's application is completed when a pairing of it has run its six-month term (the daily term job, or the pairing set completed), not by hand");
    }
  },

  /**
   * An application a proposed or active pairing holds is not deleted (admin panel, its bulk delete, a script): the
   * pairing would run on without it, and the places it holds would be counted against nobody's application. 409
   * naming the application, saying to end the pairing first; nothing deleted. One only ended pairings hold (ended
   * early, completed) may be deleted: those pairings keep their people and dates and read without it. Call inside
   * withPairingLock, so a pairing made at the same moment is seen.
   */
  async assertApplicationDeletable(application: { id: number; documentId: string; role: string; user?: Person | null }) {
    const holding = (await this.pairingsHolding(application)).find((p) => HOLDING.includes(p.status));
    if (!holding) return;
    const whose = application.user ? `${fullName(application.user)}'s ` : '';
    const withWhom = holding.partner ? ` with ${fullName(holding.partner)}` : '';
    throw new ConflictError(
      `${whose}${application.role} application (${application.documentId}) is in a ${holding.status} pairing${withWhom}: end the pairing first (Mentorship pairing, status ended-early), then delete the application`,
      { application: application.documentId, pairingStatus: holding.status },
    );
  },

  /**
   * Every open application settled by the rule: those written before applications followed their pairings (a mentee
   * whose term had ended kept an open application, refused "You already have an open mentee application" for good),
   * or marked `paired` by hand (before assertApplicationStatus refused it). Run by the daily term job, after it completes the terms that ended.
   */
  async settleOpenApplications() {
    const open = await strapi.db.query(APPLICATION).findMany({ where: { status: { $in: OPEN } }, select: ['id'], orderBy: { id: 'asc' } });
    for (const { id } of open) await this.withPairingLock(() => this.settleApplication(id));
  },

  /**
   * The program's pairing rules, in one place: a mentor and a mentee, two different people, each
   * with an open application of that role that still meets the ILA rules; a mentee in one proposed
   * or active pairing at a time; a mentor in no more than their application's `maxMentees`. Fills
   * in the side a write leaves out (a person's open application, an application's person).
   * Call inside withPairingLock. 400 for a malformed choice, 422 for an unmet rule, 409 for a limit.
   */
  async assertPairable(data: Record<string, unknown>, current: CurrentPairing | null) {
    const mentor = await this.partyOf('mentor', data, current);
    const mentee = await this.partyOf('mentee', data, current);
    if (mentor.person.id === mentee.person.id) {
      throw new UnprocessableError(`${fullName(mentor.person)} cannot mentor themselves: a mentor and mentee must be two different people`, { field: 'mentee' });
    }
    const others = current ? { id: { $ne: current.id } } : {};
    const held = await strapi.db.query(PAIRING).findOne({
      where: { mentee: { id: mentee.person.id }, status: { $in: HOLDING }, ...others },
      select: ['status'],
      populate: { mentor: { select: PERSON_FIELDS } },
    });
    if (held) {
      throw new ConflictError(`${fullName(mentee.person)} already has a ${held.status} pairing${held.mentor ? ` with ${fullName(held.mentor)}` : ''}: a mentee has one pairing at a time`, { field: 'mentee' });
    }
    const max = mentor.application.maxMentees ?? 1;
    const load = await strapi.db.query(PAIRING).count({ where: { mentor: { id: mentor.person.id }, status: { $in: HOLDING }, ...others } });
    if (load >= max) {
      throw new ConflictError(`${fullName(mentor.person)} already mentors ${load} ${load === 1 ? 'person' : 'people'} in proposed or active pairings, as many as their application allows (maxMentees ${max})`, { field: 'mentor' });
    }
    Object.assign(data, {
      mentor: mentor.person.documentId, mentorApplication: mentor.application.documentId,
      mentee: mentee.person.documentId, menteeApplication: mentee.application.documentId,
    });
  },

  /** One side of a pairing: the person and the open application of that role the write names, or the pairing already has. */
  async partyOf(role: MentorshipRole, data: Record<string, unknown>, current: CurrentPairing | null): Promise<{ person: Person; application: ApplicationRow }> {
    const field = `${role}Application` as const;
    const personRef = relationIn(data[role]);
    const applicationRef = relationIn(data[field]);
    const person: Person | null = personRef
      ? await strapi.db.query(USER).findOne({ where: personRef, select: PERSON_FIELDS })
      : personRef === undefined ? current?.[role] ?? null : null;
    if (personRef && !person) throw inputError(role, `no such person (${JSON.stringify(personRef)})`);
    let application: ApplicationRow | null = applicationRef
      ? await strapi.db.query(APPLICATION).findOne({ where: applicationRef, populate: { user: { select: PERSON_FIELDS } } })
      : applicationRef === undefined && personRef === undefined ? current?.[field] ?? null : null;
    if (applicationRef && !application) throw inputError(field, `no such application (${JSON.stringify(applicationRef)})`);

    const who = person ?? application?.user ?? null;
    if (!who) throw inputError(role, `a pairing needs a ${role}: a person, or their ${role} application`);
    if (application && application.role !== role) throw inputError(field, `the application chosen is a ${application.role} application, not a ${role} application`);
    if (application && application.user?.id !== who.id) {
      if (applicationRef) throw inputError(field, `the ${role} application chosen is not ${fullName(who)}'s application`);
      application = null; // the pairing's person changed: theirs is looked up below
    }
    application ??= await strapi.db.query(APPLICATION).findOne({
      where: { user: { id: who.id }, role, status: { $in: OPEN } },
      orderBy: { createdAt: 'desc' },
    });
    if (!application) {
      throw new UnprocessableError(`${fullName(who)} has no open ${role} application: people join the program by applying as a ${role}`, { field: role });
    }
    if (!OPEN.includes(application.status)) {
      throw new UnprocessableError(`${fullName(who)}'s ${role} application is ${application.status}: only ${OPEN.join(', ')} applications can be paired`, { field });
    }
    const unmet = unmetRule(application);
    if (unmet) throw new UnprocessableError(`${fullName(who)}'s ${role} application no longer meets the program's rules: ${unmet}`, { field, rule: unmet });
    return { person: who, application };
  },

  /**
   * After a write: emails both people the pairing's status when it changed, or when staff changed who is in a
   * pairing that holds places (the newcomer learns of it, the partner who their new mentor or mentee is, with
   * the contact an active pairing gives); anyone taken out of it is told they no longer are. `before`: the
   * status and the ids of the people before the write.
   */
  async notifyChange(pairingId: number, before: { from: PairingStatus | null; people: number[] }) {
    const p = await strapi.db.query(PAIRING).findOne({ where: { id: pairingId }, select: ['status'], populate: { mentor: { select: ['id'] }, mentee: { select: ['id'] } } });
    if (!p) return;
    const now = [p.mentor?.id, p.mentee?.id].filter((id): id is number => typeof id === 'number');
    const removed = before.people.filter((id) => !now.includes(id));
    const joined = now.some((id) => !before.people.includes(id));
    if (p.status !== before.from || (HOLDING.includes(p.status) && joined)) await this.notify(pairingId);
    if (!removed.length || !before.from || !HOLDING.includes(before.from)) return;
    const was = await strapi.db.query(USER).findMany({ where: { id: { $in: before.people } }, select: ['id', 'email', 'firstName', 'lastName', 'username'] });
    const mails = was
      .filter((u: { id: number; email?: string }) => removed.includes(u.id) && u.email)
      .map((u: { id: number; email: string }) => {
        const partner = was.find((o: { id: number }) => o.id !== u.id);
        return {
          to: u.email,
          subject: 'You are no longer in a mentorship pairing',
          text: `Program staff have changed the ${before.from} mentorship pairing${partner ? ` with ${fullName(partner)}` : ''}: you are no longer part of it. If you did not expect this, please contact program staff.`,
        };
      });
    if (mails.length) await strapi.service('api::outbox-message.outbox').send(mails);
  },

  /** Emails both people about the pairing's current status. */
  async notify(pairingId: number) {
    const p = await strapi.db.query(PAIRING).findOne({
      where: { id: pairingId },
      populate: { mentor: true, mentee: true },
    });
    if (!p?.mentor || !p?.mentee) return;
    const names: Names = {
      mentor: fullName(p.mentor), mentee: fullName(p.mentee), mentorEmail: p.mentor.email, menteeEmail: p.mentee.email,
      start: dayText(p.startDate), end: dayText(p.endDate), reason: p.endedReason ?? undefined,
    };
    const message = MESSAGES[p.status as PairingStatus];
    await strapi.service('api::outbox-message.outbox').send(
      [p.mentor.email, p.mentee.email].map((to) => ({ to, subject: message.subject, text: message.body(names) }))
    );
  },

  /**
   * Completes active pairings whose six-month term has ended (on their end date, in the calendar
   * zone), so the mentor's place comes free. Each goes through the document service: the lifecycle
   * and its email to both people apply as to a change made by staff; then every open application is settled
   * (settleOpenApplications). Returns how many pairings it completed.
   */
  async completeEndedTerms(on = calendarToday()): Promise<number> {
    const due = await strapi.db.query(PAIRING).findMany({ where: { status: 'active', endDate: { $lte: on } }, select: ['documentId'], orderBy: { id: 'asc' } });
    let completed = 0;
    for (const p of due) {
      try {
        await strapi.documents(PAIRING).update({ documentId: p.documentId, data: { status: 'completed' } as never });
        completed += 1;
      } catch (err) {
        // e.g. staff ended it early a moment ago: the lifecycle refuses that one, the others still complete
        strapi.log.warn(`mentorship term end, pairing ${p.documentId}: ${(err as Error).message}`);
      }
    }
    await this.settleOpenApplications();
    return completed;
  },

  /** Mid-term check-in: active pairings three months in, reminded once. */
  async sendCheckIns(today = calendarToday()): Promise<number> {
    const active = await strapi.db.query(PAIRING).findMany({
      where: { status: 'active', checkInSentAt: { $null: true } },
      populate: { mentor: true, mentee: true },
    });
    let sent = 0;
    for (const p of active) {
      const due = p.startDate ? addMonths(p.startDate, CHECK_IN_AFTER_MONTHS) : null;
      if (!due || due > today) continue;
      // claimed by a conditional update in the transaction that queues the emails: of two runs at once (or a run
      // that stopped between the two writes) one sends them, once
      await strapi.db.transaction(async () => {
        const claim = await strapi.db.query(PAIRING).updateMany({ where: { id: p.id, status: 'active', checkInSentAt: { $null: true } }, data: { checkInSentAt: new Date() } });
        if (!claim?.count) return;
        await strapi.service('api::outbox-message.outbox').send(
          [p.mentor?.email, p.mentee?.email].filter(Boolean).map((to: string) => ({
            to,
            subject: 'Mentorship check-in: halfway through your term',
            text: `You are halfway through the six-month pairing of ${fullName(p.mentor)} and ${fullName(p.mentee)} (ends ${dayText(p.endDate)}).\nHow is it going? Review your goals together, and tell program staff if you need help.`,
          }))
        );
        sent += 1;
      });
    }
    return sent;
  },

  /**
   * Mentors ranked for a mentee: shared interests count most, then the same
   * region and library type; mentors at their limit are left out and each
   * current mentee lowers the score, so the load spreads.
   */
  async suggestMentors(menteeApplicationDocumentId: string, limit = 10): Promise<Suggestion[]> {
    const mentee = await strapi.db.query(APPLICATION).findOne({ where: { documentId: menteeApplicationDocumentId }, populate: { user: true } });
    if (!mentee || mentee.role !== 'mentee') throw new errors.NotFoundError('Mentee application not found');
    const mentors = await strapi.db.query(APPLICATION).findMany({
      where: { role: 'mentor', status: { $in: OPEN } },
      populate: { user: true },
    });
    const wanted = new Set<string>((mentee.interests ?? []).map((i: string) => i.toLowerCase()));
    const suggestions: Suggestion[] = [];
    for (const m of mentors) {
      if (!m.user || m.user.id === mentee.user?.id) continue;
      const load = await strapi.db.query(PAIRING).count({ where: { mentor: { id: m.user.id }, status: { $in: HOLDING } } });
      if (load >= (m.maxMentees ?? 1)) continue;
      const interests: string[] = (m.interests ?? []).map((i: string) => i.toLowerCase());
      const shared = interests.filter((i) => wanted.has(i));
      const union = new Set([...wanted, ...interests]).size || 1;
      const sameRegion = Boolean(m.region && mentee.region && m.region.toLowerCase() === mentee.region.toLowerCase());
      const sameLibraryType = Boolean(m.libraryType && m.libraryType === mentee.libraryType);
      const score = 10 * (shared.length / union) + (sameRegion ? 3 : 0) + (sameLibraryType ? 2 : 0) - 1.5 * load;
      suggestions.push({
        applicationDocumentId: m.documentId, userDocumentId: m.user.documentId, name: fullName(m.user),
        score: Math.round(score * 100) / 100, sharedInterests: shared, sameRegion, sameLibraryType, activeMentees: load,
      });
    }
    return suggestions.sort((a, b) => b.score - a.score || a.name.localeCompare(b.name)).slice(0, limit);
  },
});
