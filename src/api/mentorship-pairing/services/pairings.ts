import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';

const APPLICATION = 'api::mentorship-application.mentorship-application';
const PAIRING = 'api::mentorship-pairing.mentorship-pairing';

export type PairingStatus = 'proposed' | 'active' | 'completed' | 'ended-early';

/** The pairing lifecycle: proposed → active → completed, or ended early from either. */
export const TRANSITIONS: Record<PairingStatus, PairingStatus[]> = {
  proposed: ['active', 'ended-early'],
  active: ['completed', 'ended-early'],
  completed: [],
  'ended-early': [],
};

export const TERM_MONTHS = 6;
export const CHECK_IN_AFTER_MONTHS = 3;

const addMonths = (isoDate: string, months: number) => {
  const d = new Date(`${isoDate}T12:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
};

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

const fullName = (u: Record<string, unknown>) => `${u.firstName ?? ''} ${u.lastName ?? ''}`.trim() || String(u.username);

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** Refuses a status change the lifecycle does not allow. */
  assertTransition(from: PairingStatus, to: PairingStatus) {
    if (from !== to && !TRANSITIONS[from].includes(to)) {
      throw new errors.ValidationError(`A ${from} pairing cannot become ${to}`, { field: 'status', allowed: TRANSITIONS[from] });
    }
  },

  /** Start and end dates of the six-month term, when a pairing becomes active. */
  termDates(startDate?: string | null) {
    const start = startDate ?? new Date().toISOString().slice(0, 10);
    return { startDate: start, endDate: addMonths(start, TERM_MONTHS) };
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
      start: p.startDate ?? '', end: p.endDate ?? '', reason: p.endedReason ?? undefined,
    };
    const message = MESSAGES[p.status as PairingStatus];
    await strapi.service('api::outbox-message.outbox').send(
      [p.mentor.email, p.mentee.email].map((to) => ({ to, subject: message.subject, text: message.body(names) }))
    );
  },

  /** Mid-term check-in: active pairings three months in, reminded once. */
  async sendCheckIns(today = new Date().toISOString().slice(0, 10)): Promise<number> {
    const active = await strapi.db.query(PAIRING).findMany({
      where: { status: 'active', checkInSentAt: { $null: true } },
      populate: { mentor: true, mentee: true },
    });
    let sent = 0;
    for (const p of active) {
      if (!p.startDate || addMonths(p.startDate, CHECK_IN_AFTER_MONTHS) > today) continue;
      await strapi.service('api::outbox-message.outbox').send(
        [p.mentor?.email, p.mentee?.email].filter(Boolean).map((to: string) => ({
          to,
          subject: 'Mentorship check-in: halfway through your term',
          text: `You are halfway through the six-month pairing of ${fullName(p.mentor)} and ${fullName(p.mentee)} (ends ${p.endDate}).\nHow is it going? Review your goals together, and tell program staff if you need help.`,
        }))
      );
      await strapi.db.query(PAIRING).update({ where: { id: p.id }, data: { checkInSentAt: new Date() } });
      sent += 1;
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
      where: { role: 'mentor', status: { $in: ['submitted', 'accepted', 'paired'] } },
      populate: { user: true },
    });
    const wanted = new Set<string>((mentee.interests ?? []).map((i: string) => i.toLowerCase()));
    const suggestions: Suggestion[] = [];
    for (const m of mentors) {
      if (!m.user || m.user.id === mentee.user?.id) continue;
      const load = await strapi.db.query(PAIRING).count({ where: { mentor: { id: m.user.id }, status: { $in: ['proposed', 'active'] } } });
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
