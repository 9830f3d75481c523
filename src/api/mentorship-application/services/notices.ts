import type { Core } from '@strapi/strapi';
import type { Membership, MentorshipRole } from './eligibility';

const APPLICATION = 'api::mentorship-application.mentorship-application';

/** A staff decision on an application, as its applicant is told of it. */
export type Decision = 'accepted' | 'declined';

interface Applicant { email?: string | null; firstName?: string | null; lastName?: string | null; username?: string | null }
interface Submitted {
  role: MentorshipRole;
  membership: Membership;
  yearsExperience: number;
  employedInLibrary: boolean;
  goals?: string | null;
  interests?: unknown;
  region?: string | null;
  libraryType?: string | null;
  maxMentees?: number | null;
}

const MEMBERSHIPS: Record<Membership, string> = {
  'ala-student': 'ALA student member',
  'ila-student': 'ILA student member',
  'ila-personal': 'ILA personal member',
  'ila-institutional': 'ILA institutional member',
  none: 'not an ALA or ILA member',
};

const greeting = (u: Applicant) => `Hello ${[u.firstName, u.lastName].filter(Boolean).join(' ') || u.username || 'there'},`;
const article = (role: MentorshipRole) => (role === 'mentor' ? 'a mentor' : 'a mentee');

/**
 * Which status change is a staff decision the applicant hears of: accepted or declined, from another status. An
 * application put back to `accepted` from `paired` is the pairings' doing (a pairing ended early), whose own email
 * already told both people.
 */
export function decisionOf(before: string | null | undefined, after: string | null | undefined): Decision | null {
  if (!before || !after || before === after) return null;
  if (after === 'declined') return 'declined';
  if (after === 'accepted' && before !== 'paired') return 'accepted';
  return null;
}

/** What the applicant filed, one line each: their own answers only. */
function summary(a: Submitted): string {
  const interests = Array.isArray(a.interests) ? a.interests.filter((i) => typeof i === 'string' && i) : [];
  return [
    `Role: ${a.role}`,
    `Membership: ${MEMBERSHIPS[a.membership] ?? a.membership}`,
    `Years of experience: ${a.yearsExperience}`,
    `Working in a library now: ${a.employedInLibrary ? 'yes' : 'no'}`,
    ...(a.libraryType ? [`Library type: ${a.libraryType}`] : []),
    ...(a.region ? [`Region: ${a.region}`] : []),
    `Interests: ${interests.length ? interests.join(', ') : '(none given)'}`,
    ...(a.role === 'mentor' ? [`Mentees at a time: up to ${a.maxMentees ?? 1}`] : []),
    ...(a.goals ? [`Goals: ${a.goals}`] : []),
  ].join('\n');
}

/**
 * What happens next, as the ILA program runs it here: staff review applications and pair people in the admin
 * panel; a pairing is proposed, then runs six months with a check-in halfway; both people are emailed at each step.
 */
function nextSteps(a: Submitted): string {
  const partner = a.role === 'mentor'
    ? `they propose a pairing with a mentee (up to ${a.maxMentees ?? 1} at a time, as you asked)`
    : 'they propose a pairing with an experienced professional in the field of librarianship as your mentor';
  const commitment = a.role === 'mentor'
    ? 'The program asks mentors for the time and energy to build a strong relationship with their mentee: guidance, support and help reaching their goals.'
    : 'The program asks mentees to be dedicated: setting and working toward goals, engaging in meaningful conversations and taking the initiative to ask questions.';
  return [
    `What happens next: program staff review your application. When they find a match, ${partner}; you are emailed when it is proposed, and again when it starts, with your partner's name and contact.`,
    'A pairing runs six months from its start. Halfway through, both of you get a check-in email.',
    commitment,
  ].join('\n\n');
}

/**
 * The applicant's own emails about their mentorship application, queued through the outbox in the transaction of
 * the change they announce. Only the applicant is written to, about their own application.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** Acknowledges an application filed through the API (`applications.apply`), in its transaction. */
  async acknowledge(applicant: Applicant, application: Submitted) {
    if (!applicant.email) return;
    const text = [
      greeting(applicant),
      `Thank you for applying to the Illinois Library Association Mentorship Program as ${article(application.role)}. We received your application. This is what you submitted:`,
      summary(application),
      nextSteps(application),
    ].join('\n\n');
    await strapi.service('api::outbox-message.outbox').send([
      { to: applicant.email, subject: `Your ILA mentorship application as ${article(application.role)} was received`, text },
    ]);
  },

  /** Tells the applicant staff's decision on their application (decisionOf), whoever recorded it. */
  async sendDecision(applicationId: number, decision: Decision) {
    const a = await strapi.db.query(APPLICATION).findOne({
      where: { id: applicationId },
      select: ['role'],
      populate: { user: { select: ['email', 'firstName', 'lastName', 'username'] } },
    });
    const user = a?.user as Applicant | undefined;
    if (!user?.email) return;
    const role = a.role as MentorshipRole;
    const [subject, body] = decision === 'accepted'
      ? [
        `Your ILA mentorship application as ${article(role)} was accepted`,
        [
          `Program staff accepted your application to the Illinois Library Association Mentorship Program as ${article(role)}.`,
          `Next, when they find a match, they propose a pairing with ${role === 'mentor' ? 'a mentee' : 'a mentor'}: you are emailed when it is proposed, and again when it starts. A pairing runs six months from its start.`,
        ],
      ]
      : [
        `Your ILA mentorship application as ${article(role)} was not accepted`,
        [
          `Thank you for applying to the Illinois Library Association Mentorship Program as ${article(role)}, and for the time you gave it.`,
          'After review, program staff were not able to accept your application this time.',
          'You are welcome to apply again later. If you have questions, please contact program staff.',
        ],
      ];
    await strapi.service('api::outbox-message.outbox').send([{ to: user.email, subject, text: [greeting(user), ...body].join('\n\n') }]);
  },
});
