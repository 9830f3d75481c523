/**
 * Demo data for Library Learning (L2): plain, typed data only, no Strapi calls.
 * A separate loader turns it into library systems, libraries, buildings, providers,
 * tags, networking groups, events, people, affiliations and mentorship records.
 *
 * Sources: /work/shared/seeds/*.txt (IHLS member-engagement page, L2 help pages,
 * ILA mentorship program, IHLS overview) and the IMLS PLS FY2015 Illinois outlet
 * file (database/data/imls-pls-fy2015-outlets-illinois.csv).
 *
 * Conventions
 * - Every date-time here is LOCAL wall time in the calendar zone (America/Chicago),
 *   written 'YYYY-MM-DDTHH:mm' with no offset. The loader attaches the zone.
 * - `rrule` is the RRULE value without the 'RRULE:' prefix. An `UNTIL` is always in
 *   UTC form (YYYYMMDDTHHMMSSZ), as RFC 5545 requires when DTSTART has a TZID.
 * - `start` of a recurring series is its first occurrence and always matches the rule.
 * - `exdates` are local occurrence starts (same format as `start`) to skip.
 * - FSCS ids/seqs are from the IMLS file; library names are the file's LIBRARY SYSTEM
 *   column (the administrative entity) in library case.
 * - People are fictional (names, emails under example.org or *.example, 555-01xx phones).
 *   Real people named on the IHLS page appear only as free-text group contacts.
 *
 * Verified by scripts/check-demo-rrules.py (every rule expanded through 2027 with
 * python-dateutil and the `rrule` npm package, compared with the rule in words) and
 * scripts/check-demo-fscs.py (FSCS ids, cross-references, seed texts, eligibility).
 */

export const DEMO_TIMEZONE = 'America/Chicago';

export type SystemCode = 'IHLS' | 'RAILS' | 'CPLS' | 'ISL';
export type AffiliationRole = 'director' | 'directory-editor' | 'staff' | 'trustee' | 'certification-contact';

export interface BuildingRef {
  fscsId: string;
  seq: number;
}

export interface LocationSpec {
  key: string;
  name: string;
  onlineUrl?: string;
  buildingFscs?: BuildingRef;
}

export interface EventLocationSpec extends LocationSpec {
  capacity?: number;
}

export interface SeriesSpec {
  key: string; // stable key, e.g. 'northern-directors-2026'
  title: string;
  start: string; // first occurrence, LOCAL wall time in America/Chicago, 'YYYY-MM-DDTHH:mm'
  end: string; // end of first occurrence, same format
  rrule: string; // RRULE value without 'RRULE:'
  exdates?: string[]; // local 'YYYY-MM-DDTHH:mm' occurrence starts to skip
  audience: 'public' | 'members';
  registrationMode: 'none' | 'platform' | 'external';
  signupInstructions?: string;
  location?: LocationSpec;
  pdhHours?: number;
  providerSlug?: string;
  tags?: string[];
  description: string;
}

export type EventSpec = SeriesSpec & {
  capacity?: number;
  fee?: number;
  paymentInstructions?: string;
  cancellationHours?: number;
  registrationAudience?: 'everyone' | 'members';
  locations?: EventLocationSpec[];
  parentKey?: string; // sessions of a conference (Member Day) point to it
  nearlyFullSeed?: number; // how many demo registrations to pre-fill
};

export interface LibrarySystemSpec {
  code: SystemCode;
  name: string;
  kind: 'system' | 'state-agency';
  website: string;
  /** whether members submit events for its networking groups here (staff's choice; the seed only sets it first) */
  acceptsEventSubmissions: boolean;
  /** whom to contact instead, when it does not */
  eventSubmissionContact?: string;
}

export interface MemberLibrarySpec {
  fscsId: string;
  name: string;
}

export interface ProviderSpec {
  slug: string;
  name: string;
  kind: 'system' | 'state-agency' | 'consortium' | 'networking-group' | 'association' | 'other';
  systemCode?: SystemCode;
  website?: string;
}

export interface TagSpec {
  slug: string;
  name: string;
}

export interface GroupContactSpec {
  name: string;
  library?: string;
  phone?: string;
  personKey?: string;
}

export interface NetworkingGroupSpec {
  slug: string;
  name: string;
  about: string;
  scope: 'regional' | 'statewide' | 'national';
  systemCode?: SystemCode;
  meetingPattern: string;
  contacts: GroupContactSpec[];
  meetings?: SeriesSpec[];
  /** demo person appointed primary admin (may create the group's events) */
  primaryAdminKey?: string;
}

/** A member's event submitted for a group, waiting in the admin panel for staff review. */
export interface EventSubmissionSpec {
  key: string; // slug of the draft event
  groupSlug: string;
  submitterKey: string;
  title: string;
  description: string;
  start: string; // local wall time, as in SeriesSpec
  end: string;
  location: LocationSpec;
}

export interface MentorshipSpec {
  role: 'mentor' | 'mentee';
  yearsExperience: number;
  membership: 'ala-student' | 'ila-student' | 'ila-personal' | 'none';
  employedInLibrary: boolean;
  goals: string;
  interests: string[];
}

export interface PersonSpec {
  key: string;
  firstName: string;
  lastName: string;
  email: string;
  username?: string;
  affiliation?: BuildingRef & {
    jobTitle: string;
    roles: AffiliationRole[];
    status: 'approved' | 'pending';
  };
  phone?: string;
  mentorship?: MentorshipSpec;
}

export interface MentorshipPairingSpec {
  mentorKey: string;
  menteeKey: string;
  status: 'proposed' | 'active' | 'completed';
  start: string; // 'YYYY-MM-DD'; a term is six months
}

// ---------------------------------------------------------------------------
// Library systems
// ---------------------------------------------------------------------------

// L2 help text: RAILS members submit events for RAILS-area networking groups on L2; "Groups within
// the Illinois Heartland Library System (IHLS) should contact IHLS about submitting an event."
export const librarySystems: LibrarySystemSpec[] = [
  {
    code: 'IHLS',
    name: 'Illinois Heartland Library System',
    kind: 'system',
    website: 'https://www.illinoisheartland.org',
    acceptsEventSubmissions: false,
    eventSubmissionContact: 'Groups within IHLS should contact IHLS about submitting an event.',
  },
  { code: 'RAILS', name: 'Reaching Across Illinois Library System', kind: 'system', website: 'https://www.railslibraries.org', acceptsEventSubmissions: true },
  { code: 'CPLS', name: 'Chicago Public Library System', kind: 'system', website: 'https://www.chipublib.org', acceptsEventSubmissions: false },
  {
    code: 'ISL',
    name: 'Illinois State Library',
    kind: 'state-agency',
    website: 'https://www.ilsos.gov/departments/library/home.html',
    acceptsEventSubmissions: false,
  },
];

// ---------------------------------------------------------------------------
// Member libraries (administrative entities; the IMLS file's LIBRARY SYSTEM column)
// ---------------------------------------------------------------------------

/** Libraries named on the IHLS networking-groups page (the group contacts' libraries). */
export const ihlsMemberLibraries: MemberLibrarySpec[] = [
  { fscsId: 'IL0041', name: 'Bement Public Library District' }, // Small Pubs (Donna Techau)
  { fscsId: 'IL0093', name: 'Chatham Area Public Library District' }, // printed "Chatham Area Public Library": Local History & Genealogy, Medium Pubs
  { fscsId: 'IL0252', name: 'Hoopeston Public Library District' }, // Northern Directors
  { fscsId: 'IL0327', name: 'Mascoutah Public Library' }, // MEPL
  { fscsId: 'IL0363', name: 'C.E. Brehm Memorial Public Library District' }, // South Central Directors
  { fscsId: 'IL0364', name: 'Mount Zion District Library' }, // Free Form Free For All (building name in the file: MOUNT ZION PUBLIC LIBRARY DISTRICT)
  { fscsId: 'IL0474', name: 'Bryan-Bennett Library' }, // South Central Directors
  { fscsId: 'IL0638', name: 'Glen Carbon Centennial Library District' }, // SWAYS
];

/** Well-known RAILS-area (Chicago suburbs) public libraries. */
export const railsMemberLibraries: MemberLibrarySpec[] = [
  { fscsId: 'IL0018', name: 'Arlington Heights Memorial Library' },
  { fscsId: 'IL0172', name: 'Evanston Public Library' },
  { fscsId: 'IL0495', name: 'Skokie Public Library' },
  { fscsId: 'IL0479', name: 'Schaumburg Township District Library' },
  { fscsId: 'IL0368', name: 'Naperville Public Library' },
];

/** Chicago Public Library is the Chicago Public Library System (CPLS). */
export const cplsLibraries: MemberLibrarySpec[] = [{ fscsId: 'IL0098', name: 'Chicago Public Library' }];

// ---------------------------------------------------------------------------
// Event providers and tags
// ---------------------------------------------------------------------------

export const providers: ProviderSpec[] = [
  { slug: 'ihls', name: 'Illinois Heartland Library System', kind: 'system', systemCode: 'IHLS', website: 'https://www.illinoisheartland.org' },
  { slug: 'rails', name: 'Reaching Across Illinois Library System', kind: 'system', systemCode: 'RAILS', website: 'https://www.railslibraries.org' },
  {
    slug: 'isl',
    name: 'Illinois State Library',
    kind: 'state-agency',
    systemCode: 'ISL',
    website: 'https://www.ilsos.gov/departments/library/home.html',
  },
  // SHARE: the Local Library System Automation Program (LLSAP) shared catalog that IHLS supports.
  { slug: 'share', name: 'SHARE (IHLS shared catalog, LLSAP)', kind: 'consortium', systemCode: 'IHLS' },
  { slug: 'ila', name: 'Illinois Library Association', kind: 'association', website: 'https://www.ila.org' },
];

export const tags: TagSpec[] = [
  { slug: 'continuing-education', name: 'Continuing Education' },
  { slug: 'networking', name: 'Networking' },
  { slug: 'directors', name: 'Directors' },
  { slug: 'trustees', name: 'Trustees' },
  { slug: 'youth-services', name: 'Youth Services' },
  { slug: 'adult-services', name: 'Adult Services' },
  { slug: 'school-libraries', name: 'School Libraries' },
  { slug: 'local-history', name: 'Local History & Genealogy' },
  { slug: 'share', name: 'SHARE' },
  { slug: 'cataloging', name: 'Cataloging' },
  { slug: 'technology', name: 'Technology' },
  { slug: 'marketing', name: 'Marketing' },
  { slug: 'conference', name: 'Conference' },
  { slug: 'members-matter', name: 'Members Matter' },
  { slug: 'grants', name: 'Grants' },
  { slug: 'small-libraries', name: 'Small Libraries' },
];

// ---------------------------------------------------------------------------
// Networking groups (IHLS "Regional Networking Groups", texts as printed)
// ---------------------------------------------------------------------------

const SEE_CONTACT = (who: string) =>
  `This meeting does not use Library Learning registration. To attend, or to learn this meeting's host library, contact ${who}.`;

export const networkingGroups: NetworkingGroupSpec[] = [
  {
    slug: 'adult-services-forum',
    name: 'Adult Services Forum',
    about:
      'Come share ideas for programs and services that appeal to adults. Open to anyone managing adult services at a public library.',
    scope: 'regional',
    systemCode: 'IHLS',
    meetingPattern: 'The Adult Services Forum meets quarterly. See the L2 calendar for dates.',
    contacts: [{ name: 'Unknown' }],
    meetings: [
      {
        key: 'adult-services-forum-2026',
        title: 'Adult Services Forum',
        start: '2026-01-07T10:00',
        end: '2026-01-07T11:30',
        // quarterly: first Wednesday of January, April, July and October
        rrule: 'FREQ=MONTHLY;BYMONTH=1,4,7,10;BYDAY=1WE',
        audience: 'public',
        registrationMode: 'none',
        signupInstructions:
          'This meeting does not use Library Learning registration. The group contact is unknown; ask the IHLS Continuing Education Coordinator for the meeting link.',
        location: { key: 'online', name: 'Online (Zoom)', onlineUrl: 'https://zoom.example.org/j/adult-services-forum' },
        tags: ['networking', 'adult-services'],
        description:
          'Quarterly networking meeting of the Adult Services Forum: share ideas for programs and services that appeal to adults. Open to anyone managing adult services at a public library. This is not an IHLS event.',
      },
    ],
  },
  {
    slug: 'free-form-free-for-all',
    name: 'Free Form Free For All',
    about:
      'Youth services librarians have the opportunity to share ideas, success stories, new books, old books, and questions as they meet to informally discuss what is going on in the children and young adult areas of public libraries. Everyone who works with children and teens is invited to attend.',
    scope: 'regional',
    systemCode: 'IHLS',
    meetingPattern: 'The Free Form Free For All group meets quarterly. See L2 calendar for dates.',
    contacts: [{ name: 'Stephanie Strick', library: 'Mount Zion District Library', phone: '217.864.3622' }],
    meetings: [
      {
        key: 'free-form-free-for-all-2026',
        title: 'Free Form Free For All (youth services)',
        start: '2026-02-13T10:00',
        end: '2026-02-13T11:30',
        // quarterly: second Friday of February, May, August and November
        rrule: 'FREQ=MONTHLY;BYMONTH=2,5,8,11;BYDAY=2FR',
        audience: 'public',
        registrationMode: 'none',
        signupInstructions: SEE_CONTACT('Stephanie Strick, Mount Zion District Library, 217.864.3622'),
        location: {
          key: 'mount-zion',
          name: 'Mount Zion District Library (host library may vary)',
          buildingFscs: { fscsId: 'IL0364', seq: 2 },
        },
        tags: ['networking', 'youth-services'],
        description:
          'Quarterly informal discussion for everyone who works with children and teens in public libraries: ideas, success stories, new books, old books and questions. This is not an IHLS event.',
      },
    ],
  },
  {
    slug: 'local-history-genealogy-forum',
    name: 'Local History and Genealogy Forum',
    about:
      'Come share ideas for programs and services focusing on local history and genealogy. Open to anyone who handles local history and genealogy services at a public library.',
    scope: 'regional',
    systemCode: 'IHLS',
    meetingPattern: 'The Local History and Genealogy Forum meets quarterly on Zoom. See L2 calendar for dates.',
    contacts: [{ name: 'Alanna Sablotny', library: 'Chatham Area Public Library', phone: '217.483.2713' }],
    meetings: [
      {
        key: 'local-history-genealogy-forum-2026',
        title: 'Local History and Genealogy Forum (Zoom)',
        start: '2026-03-10T14:00',
        end: '2026-03-10T15:00',
        // quarterly on Zoom: second Tuesday of March, June, September and December
        rrule: 'FREQ=MONTHLY;BYMONTH=3,6,9,12;BYDAY=2TU',
        audience: 'public',
        registrationMode: 'none',
        signupInstructions: SEE_CONTACT('Alanna Sablotny, Chatham Area Public Library, 217.483.2713, for the Zoom link'),
        location: { key: 'zoom', name: 'Zoom', onlineUrl: 'https://zoom.example.org/j/local-history-genealogy-forum' },
        tags: ['networking', 'local-history'],
        description:
          'Quarterly Zoom meeting to share ideas for programs and services focusing on local history and genealogy. Open to anyone who handles local history and genealogy services at a public library. This is not an IHLS event.',
      },
    ],
  },
  {
    slug: 'medium-pubs',
    name: 'Medium Pubs Meeting',
    about:
      'The medium public library size libraries gather together to network about what is going on in their size library. They share ideas, discuss situations, and share events at their libraries.',
    scope: 'regional',
    systemCode: 'IHLS',
    meetingPattern: 'The medium pubs group meets quarterly. See L2 calendar for dates.',
    contacts: [{ name: 'Amy Byers', library: 'Chatham Area Public Library', phone: '217.483.2713' }],
    meetings: [
      {
        key: 'medium-pubs-2026',
        title: 'Medium Pubs Meeting',
        start: '2026-01-14T10:00',
        end: '2026-01-14T12:00',
        // quarterly: second Wednesday of January, April, July and October
        rrule: 'FREQ=MONTHLY;BYMONTH=1,4,7,10;BYDAY=2WE',
        audience: 'public',
        registrationMode: 'none',
        signupInstructions: SEE_CONTACT('Amy Byers, Chatham Area Public Library, 217.483.2713'),
        location: {
          key: 'chatham',
          name: 'Chatham Area Public Library District (host library may vary)',
          buildingFscs: { fscsId: 'IL0093', seq: 2 },
        },
        tags: ['networking', 'directors'],
        description:
          'Quarterly get-together of medium-sized public libraries to network, share ideas, discuss situations and share events at their libraries. This is not an IHLS event.',
      },
    ],
  },
  {
    slug: 'mepl-metro-east-public-library-management',
    name: 'MEPL \u2013 Metro-East Public Library Management Meeting',
    about:
      'The purpose of the meetings is to share ideas, voice concerns, and essentially learn from one another. *Open to all public library managers.',
    scope: 'regional',
    systemCode: 'IHLS',
    meetingPattern:
      'The Metro-East Public Library Management group meets on the third Thursday of even numbered months. See L2 calendar for dates.',
    contacts: [{ name: 'Joel Pikora', library: 'Mascoutah Public Library', phone: '618.566.2562' }],
    meetings: [
      {
        key: 'mepl-2026',
        title: 'MEPL \u2013 Metro-East Public Library Management Meeting',
        start: '2026-02-19T14:00',
        end: '2026-02-19T15:30',
        // third Thursday of even-numbered months
        rrule: 'FREQ=MONTHLY;BYMONTH=2,4,6,8,10,12;BYDAY=3TH',
        audience: 'public',
        registrationMode: 'none',
        signupInstructions: SEE_CONTACT('Joel Pikora, Mascoutah Public Library, 618.566.2562'),
        location: {
          key: 'mascoutah',
          name: 'Mascoutah Public Library (host library may vary)',
          buildingFscs: { fscsId: 'IL0327', seq: 2 },
        },
        tags: ['networking', 'directors'],
        description:
          'Metro-East public library managers meet to share ideas, voice concerns and learn from one another. Open to all public library managers. This is not an IHLS event.',
      },
    ],
  },
  {
    slug: 'northern-directors',
    name: 'Northern Directors Meeting',
    about:
      'Join this free informal discussion group to ask questions and get suggestions on any library topic. Connect with colleagues and share ideas for programming and other activities taking place in our libraries.',
    scope: 'regional',
    systemCode: 'IHLS',
    meetingPattern:
      'The Northern Directors meets on the third Wednesday monthly except June-August. See L2 calendar for dates.',
    contacts: [{ name: 'Tricia Freeland', library: 'Hoopeston Public Library District', phone: '217.283.6711' }],
    meetings: [
      {
        key: 'northern-directors-2026',
        title: 'Northern Directors Meeting',
        start: '2026-01-21T10:00',
        end: '2026-01-21T11:30',
        // third Wednesday monthly except June, July and August
        rrule: 'FREQ=MONTHLY;BYDAY=3WE;BYMONTH=1,2,3,4,5,9,10,11,12',
        audience: 'public',
        registrationMode: 'none',
        signupInstructions: SEE_CONTACT('Tricia Freeland, Hoopeston Public Library District, 217.283.6711'),
        location: {
          key: 'hoopeston',
          name: 'Hoopeston Public Library District (host library may vary)',
          buildingFscs: { fscsId: 'IL0252', seq: 2 },
        },
        tags: ['networking', 'directors'],
        description:
          'Free, informal discussion group for library directors: ask questions and get suggestions on any library topic, and share ideas for programming and other activities. This is not an IHLS event.',
      },
    ],
  },
  {
    slug: 'small-pubs',
    name: 'Small Public Libraries Get-Together',
    about:
      'The small public library size libraries gather together to network about what is going on in their size library. They share ideas, discuss situations, and share events at our libraries. They really have a lot of fun talking and sharing.',
    scope: 'regional',
    systemCode: 'IHLS',
    meetingPattern: 'The Small Pubs group meets quarterly. See L2 calendar for dates.',
    contacts: [{ name: 'Donna Techau', library: 'Bement Public Library District', phone: '217.678.7101' }],
    // Demo schedule change: quarterly on second Tuesdays through 2026, then quarterly
    // on second Wednesdays from January 2027. Two series; the first ends with UNTIL.
    meetings: [
      {
        key: 'small-pubs-2026',
        title: 'Small Public Libraries Get-Together',
        start: '2026-01-13T10:00',
        end: '2026-01-13T11:30',
        // quarterly: second Tuesday of January, April, July and October, through 2026
        rrule: 'FREQ=MONTHLY;BYMONTH=1,4,7,10;BYDAY=2TU;UNTIL=20261231T235959Z',
        audience: 'public',
        registrationMode: 'none',
        signupInstructions: SEE_CONTACT('Donna Techau, Bement Public Library District, 217.678.7101'),
        location: {
          key: 'bement',
          name: 'Bement Public Library District (host library may vary)',
          buildingFscs: { fscsId: 'IL0041', seq: 2 },
        },
        tags: ['networking', 'small-libraries'],
        description:
          'Quarterly get-together of small public libraries to network, share ideas, discuss situations and share events. Through 2026 the group meets on second Tuesdays; from January 2027 it meets on second Wednesdays. This is not an IHLS event.',
      },
      {
        key: 'small-pubs-2027',
        title: 'Small Public Libraries Get-Together',
        start: '2027-01-13T10:00',
        end: '2027-01-13T11:30',
        // quarterly: second Wednesday of January, April, July and October, from 2027
        rrule: 'FREQ=MONTHLY;BYMONTH=1,4,7,10;BYDAY=2WE',
        audience: 'public',
        registrationMode: 'none',
        signupInstructions: SEE_CONTACT('Donna Techau, Bement Public Library District, 217.678.7101'),
        location: {
          key: 'bement',
          name: 'Bement Public Library District (host library may vary)',
          buildingFscs: { fscsId: 'IL0041', seq: 2 },
        },
        tags: ['networking', 'small-libraries'],
        description:
          'Quarterly get-together of small public libraries to network, share ideas, discuss situations and share events. New schedule from January 2027: second Wednesdays (previously second Tuesdays). This is not an IHLS event.',
      },
    ],
  },
  {
    slug: 'perry-randolph-ccdg',
    name: 'Perry/Randolph County Cooperative Collection Development Group',
    about:
      'Join colleagues from Randolph and Perry counties for this networking event and discussion of common concerns, program ideas, and support.',
    scope: 'regional',
    systemCode: 'IHLS',
    meetingPattern:
      'The Perry/Randolph County Cooperative Collection Development Group meets quarterly. See L2 calendar for dates.',
    contacts: [{ name: 'Varies by host library' }],
    meetings: [
      {
        key: 'perry-randolph-2026',
        title: 'Perry/Randolph County Cooperative Collection Development Group',
        start: '2026-02-17T10:00',
        end: '2026-02-17T11:30',
        // quarterly: third Tuesday of February, May, August and November
        rrule: 'FREQ=MONTHLY;BYMONTH=2,5,8,11;BYDAY=3TU',
        audience: 'public',
        registrationMode: 'none',
        signupInstructions:
          'This meeting does not use Library Learning registration. The host library (it varies from meeting to meeting) sends details to the libraries of Perry and Randolph counties.',
        location: { key: 'host-library', name: 'Host library in Perry or Randolph County (varies)' },
        tags: ['networking', 'small-libraries'],
        description:
          'Quarterly networking and discussion of common concerns, program ideas and support for library colleagues from Randolph and Perry counties. This is not an IHLS event.',
      },
    ],
  },
  {
    slug: 'south-central-directors',
    name: 'South Central Directors Group',
    about:
      'Staff of libraries in Jefferson, Marion, and surrounding counties meet to network and discuss! Participants share ideas, discuss situations, and share events happening at their libraries.',
    scope: 'regional',
    systemCode: 'IHLS',
    meetingPattern: "The South Central Director's group meets bi-monthly. See L2 calendar for dates.",
    contacts: [
      { name: 'Kim Keller', library: 'Bryan-Bennett Library', phone: '618.548.3006' },
      { name: 'Esther Curry', library: 'C.E. Brehm Memorial Public Library District', phone: '618.242.6322' },
    ],
    meetings: [
      {
        key: 'south-central-directors-2026',
        title: 'South Central Directors Group',
        start: '2026-01-12T10:00',
        end: '2026-01-12T12:00',
        // bi-monthly (every other month): second Monday of January, March, May, July, September, November
        rrule: 'FREQ=MONTHLY;INTERVAL=2;BYDAY=2MO',
        audience: 'public',
        registrationMode: 'none',
        signupInstructions: SEE_CONTACT(
          'Kim Keller, Bryan-Bennett Library, 618.548.3006, or Esther Curry, C.E. Brehm Memorial Public Library District, 618.242.6322',
        ),
        location: {
          key: 'brehm',
          name: 'C.E. Brehm Memorial Public Library District (host library may vary)',
          buildingFscs: { fscsId: 'IL0363', seq: 2 },
        },
        tags: ['networking', 'directors'],
        description:
          'Every-other-month meeting of staff of libraries in Jefferson, Marion and surrounding counties to network, share ideas, discuss situations and share events. This is not an IHLS event.',
      },
    ],
  },
  {
    slug: 'sways',
    name: 'SWAYS (SouthWest Advocates for Youth Services) Meeting',
    about:
      'Provide professional resources, guidance, and mentorship to library staff providing services to children and teens.',
    scope: 'regional',
    systemCode: 'IHLS',
    meetingPattern:
      'The SouthWest Advocates for Youth Services group meets the third Wednesday monthly except June-August. See L2 calendar for dates.',
    contacts: [{ name: 'Aimee Villet', library: 'Glen Carbon Centennial Library District', phone: '618.288.1212 x813' }],
    meetings: [
      {
        key: 'sways-2026',
        title: 'SWAYS (SouthWest Advocates for Youth Services) Meeting',
        start: '2026-01-21T09:30',
        end: '2026-01-21T11:00',
        // third Wednesday monthly except June, July and August
        rrule: 'FREQ=MONTHLY;BYDAY=3WE;BYMONTH=1,2,3,4,5,9,10,11,12',
        audience: 'public',
        registrationMode: 'none',
        signupInstructions: SEE_CONTACT('Aimee Villet, Glen Carbon Centennial Library District, 618.288.1212 x813'),
        location: {
          key: 'glen-carbon',
          name: 'Glen Carbon Centennial Library District (host library may vary)',
          buildingFscs: { fscsId: 'IL0638', seq: 2 },
        },
        tags: ['networking', 'youth-services'],
        description:
          'Monthly meeting (except June through August) providing professional resources, guidance and mentorship to library staff serving children and teens. This is not an IHLS event.',
      },
    ],
  },
  // Statewide and national networking, listed (as headings) on the same IHLS page.
  {
    slug: 'ila-forums',
    name: 'ILA Forums (Special Interest Groups)',
    about:
      'The Illinois Library Association forums are special interest groups open to ILA members, among them the Human Resources & Administration Forum, the Library Trustee Forum, the Marketing Forum, the Resources & Technical Services Forum, the Small and Rural Libraries Forum, the Students and New Professionals Forum, the Young Adult Services Forum and the Youth Services Forum.',
    scope: 'statewide',
    meetingPattern: 'Varies by forum. See the Illinois Library Association website for dates.',
    contacts: [{ name: 'Illinois Library Association (see ila.org)' }],
  },
  {
    slug: 'ala-divisions-round-tables',
    name: 'ALA Divisions and Round Tables',
    about:
      'American Library Association divisions and round tables (special interest groups) connect library workers nationally by library type and specialty.',
    scope: 'national',
    meetingPattern: 'Varies by division or round table. See the American Library Association website for dates.',
    contacts: [{ name: 'American Library Association (see ala.org)' }],
  },
  // A FICTIONAL demo group whose contact is a demo account (exercises contacts.user).
  {
    slug: 'heartland-trustee-roundtable-demo',
    name: 'Heartland Trustee Roundtable (demo group)',
    about:
      'Demo group (fictional): public library trustees from central Illinois compare notes on board governance, budgets and levies, and open meetings.',
    scope: 'regional',
    systemCode: 'IHLS',
    meetingPattern: 'Meets informally a few times a year; dates are announced by the contact.',
    contacts: [{ name: 'Marian Readwell', library: 'Mount Zion District Library', phone: '217-555-0147', personKey: 'marian-readwell' }],
    primaryAdminKey: 'marian-readwell',
  },
  // A FICTIONAL RAILS-area demo group: RAILS takes member-submitted events for its groups.
  {
    slug: 'north-suburban-teen-services-demo',
    name: 'North Suburban Teen Services Roundtable (demo group)',
    about:
      'Demo group (fictional): teen services staff from RAILS-area public libraries swap program ideas, summer reading plans and volunteer projects.',
    scope: 'regional',
    systemCode: 'RAILS',
    meetingPattern: 'Meets a few times a year at member libraries; members submit the meetings to the L2 calendar.',
    contacts: [{ name: 'Ruth Renewal', library: 'Arlington Heights Memorial Library', phone: '847-555-0163', personKey: 'ruth-renewal' }],
  },
];

/** Submitted by a RAILS member for a RAILS group, as the L2 rule allows (IHLS groups contact IHLS instead). */
export const eventSubmissions: EventSubmissionSpec[] = [
  {
    key: 'demo-submission-teen-volunteers',
    groupSlug: 'north-suburban-teen-services-demo',
    submitterKey: 'ruth-renewal',
    title: 'Teen Volunteer Programs Swap (demo submission)',
    description: 'Demo (fictional): an informal afternoon comparing teen volunteer programs; open to all RAILS member library staff.',
    start: '2027-02-11T14:00',
    end: '2027-02-11T15:30',
    location: { key: 'arlington-heights', name: 'Arlington Heights Memorial Library, meeting room' },
  },
];

// ---------------------------------------------------------------------------
// Calendar events: IHLS recurring series and one-off continuing education
// ---------------------------------------------------------------------------

const ONLINE_IHLS = (path: string): EventLocationSpec => ({
  key: 'online',
  name: 'Online',
  onlineUrl: `https://zoom.example.org/j/ihls-${path}`,
});

export const events: EventSpec[] = [
  // --- IHLS recurring member-engagement series -------------------------------
  {
    key: 'extra-credit-2026',
    title: 'Extra Credit! School Librarian Networking',
    // Jan 1, 2026 (the first Thursday of January) is New Year's Day, so the series starts
    // with the February session; January 2027 (Jan 7) is included.
    start: '2026-02-05T15:30',
    end: '2026-02-05T16:30',
    // first Thursday of each month during the school year (August through May)
    rrule: 'FREQ=MONTHLY;BYDAY=1TH;BYMONTH=1,2,3,4,5,8,9,10,11,12',
    audience: 'public',
    registrationMode: 'platform',
    registrationAudience: 'everyone',
    location: ONLINE_IHLS('extra-credit'),
    pdhHours: 1,
    providerSlug: 'ihls',
    tags: ['networking', 'school-libraries'],
    description:
      'A once-a-month virtual networking session hosted by the IHLS Schools Liaison: an open forum for school library educators to connect with colleagues, share ideas, seek answers, or just talk to peers. Held during the school year on the first Thursday of each month, 3:30 to 4:30 p.m. Sessions are not recorded; one professional development hour (PDH) is available to live attendees.',
  },
  {
    key: 'directors-chats-2026',
    title: "IHLS Directors' Chat",
    start: '2026-01-08T13:00',
    end: '2026-01-08T14:00',
    // every Thursday except the third Thursday of the month (fifth Thursdays included)
    rrule: 'FREQ=MONTHLY;BYDAY=1TH,2TH,4TH,5TH',
    // holidays: Thanksgiving and the Thursdays from Dec 23 to Dec 31 (Christmas / New Year's week)
    exdates: [
      '2026-11-26T13:00',
      '2026-12-24T13:00',
      '2026-12-31T13:00',
      '2027-11-25T13:00',
      '2027-12-23T13:00',
      '2027-12-30T13:00',
    ],
    audience: 'members',
    registrationMode: 'none',
    signupInstructions: 'No registration needed: directors and other library leaders join the text-based chat at the link when it opens.',
    location: { key: 'chat', name: 'Online text chat', onlineUrl: 'https://chat.example.org/ihls-directors' },
    providerSlug: 'ihls',
    tags: ['networking', 'directors'],
    description:
      "A regularly scheduled text-based chat for library directors, associate directors, branch directors and similar leaders across central and southern Illinois: ask questions and get answers, clarifications and ideas directly from library peers and IHLS leaders. Held most Thursdays, except third Thursdays, from 1 to 2 p.m.",
  },
  {
    key: 'third-thursday-ce-2026',
    title: 'Third Thursday Continuing Education',
    start: '2026-01-15T10:00',
    end: '2026-01-15T11:30',
    // third Thursday of every month
    rrule: 'FREQ=MONTHLY;BYDAY=3TH',
    audience: 'public',
    registrationMode: 'platform',
    registrationAudience: 'everyone',
    location: ONLINE_IHLS('third-thursday'),
    pdhHours: 1.5,
    providerSlug: 'ihls',
    tags: ['continuing-education'],
    description:
      'Monthly IHLS continuing-education session on a current library topic, online. The IHLS Members Matter forum follows immediately afterwards.',
  },
  {
    key: 'members-matter-2026',
    title: 'IHLS Members Matter',
    start: '2026-01-15T11:30',
    end: '2026-01-15T12:30',
    // third Thursday, immediately after Third Thursday Continuing Education
    rrule: 'FREQ=MONTHLY;BYDAY=3TH',
    audience: 'members',
    registrationMode: 'platform',
    registrationAudience: 'members',
    locations: [
      { key: 'online', name: 'Online', onlineUrl: 'https://zoom.example.org/j/ihls-members-matter', capacity: 150 },
      { key: 'in-person', name: 'In person at the host library (rotates; see the IHLS announcement)', capacity: 30 },
    ],
    providerSlug: 'ihls',
    tags: ['members-matter', 'networking'],
    description:
      'Monthly forum for directors and staff from IHLS-member libraries to learn about important library issues and hear updates from Illinois Heartland Library System and the Illinois State Library; library staff can also share information about their libraries. Held online and in person at rotating locations immediately after Third Thursday Continuing Education sessions. Registration is strongly encouraged.',
  },

  // --- IHLS Member Day 2027 (one-day online conference) and its sessions ----
  {
    key: 'member-day-2027',
    title: 'IHLS Member Day 2027',
    start: '2027-04-16T08:30',
    end: '2027-04-16T15:30',
    rrule: '',
    audience: 'public',
    registrationMode: 'platform',
    registrationAudience: 'members',
    capacity: 300,
    location: ONLINE_IHLS('member-day-2027'),
    providerSlug: 'ihls',
    tags: ['conference', 'continuing-education', 'networking'],
    description:
      'Member Day is the biggest IHLS continuing education and networking event of the year: a full one-day conference for all IHLS members, with learning sessions and large-scale networking with system staff and with each other. Held online (since 2020) for greater accessibility. One registration covers every session.',
  },
  {
    key: 'member-day-2027-keynote',
    parentKey: 'member-day-2027',
    title: 'Member Day 2027 Keynote: Libraries as Community Anchors',
    start: '2027-04-16T09:00',
    end: '2027-04-16T10:00',
    rrule: '',
    audience: 'public',
    registrationMode: 'none',
    signupInstructions: 'Included in your IHLS Member Day 2027 registration.',
    location: ONLINE_IHLS('member-day-2027'),
    pdhHours: 1,
    providerSlug: 'ihls',
    tags: ['conference'],
    description: 'Opening keynote of IHLS Member Day 2027.',
  },
  {
    key: 'member-day-2027-share-update',
    parentKey: 'member-day-2027',
    title: "Member Day 2027: SHARE Update, What's New in Our Shared Catalog",
    start: '2027-04-16T10:15',
    end: '2027-04-16T11:15',
    rrule: '',
    audience: 'public',
    registrationMode: 'none',
    signupInstructions: 'Included in your IHLS Member Day 2027 registration.',
    location: ONLINE_IHLS('member-day-2027'),
    pdhHours: 1,
    providerSlug: 'share',
    tags: ['conference', 'share', 'cataloging'],
    description: 'SHARE staff review the past year in the shared catalog and what is coming next for SHARE libraries.',
  },
  {
    key: 'member-day-2027-trustees',
    parentKey: 'member-day-2027',
    title: 'Member Day 2027: Trustee Roles and Responsibilities, a Refresher',
    start: '2027-04-16T11:30',
    end: '2027-04-16T12:30',
    rrule: '',
    audience: 'public',
    registrationMode: 'none',
    signupInstructions: 'Included in your IHLS Member Day 2027 registration.',
    location: ONLINE_IHLS('member-day-2027'),
    pdhHours: 1,
    providerSlug: 'ihls',
    tags: ['conference', 'trustees'],
    description: 'What boards do and what directors do: a refresher for trustees and the directors who work with them.',
  },
  {
    key: 'member-day-2027-networking',
    parentKey: 'member-day-2027',
    title: 'Member Day 2027: Networking Breakouts by Library Type',
    start: '2027-04-16T13:30',
    end: '2027-04-16T14:30',
    rrule: '',
    audience: 'public',
    registrationMode: 'none',
    signupInstructions: 'Included in your IHLS Member Day 2027 registration.',
    location: ONLINE_IHLS('member-day-2027'),
    providerSlug: 'ihls',
    tags: ['conference', 'networking'],
    description: 'Breakout rooms for public, school, academic and special library staff to meet peers from across the system.',
  },

  // --- One-off continuing education, 2026-12 .. 2027-06 ----------------------
  {
    // SHARE catalog training
    key: 'share-item-records-2026-12',
    title: 'SHARE Catalog Training: Item Records and Holds',
    start: '2026-12-08T10:00',
    end: '2026-12-08T11:30',
    rrule: '',
    audience: 'public',
    registrationMode: 'platform',
    registrationAudience: 'members',
    capacity: 50,
    location: { key: 'online', name: 'Online', onlineUrl: 'https://zoom.example.org/j/share-training' },
    pdhHours: 1.5,
    providerSlug: 'share',
    tags: ['share', 'cataloging', 'continuing-education'],
    description:
      'Hands-on training for staff of SHARE libraries: creating and editing item records in the shared catalog, and how holds move between SHARE libraries.',
  },
  {
    // nearly full: capacity 20 with 18 demo registrations
    key: 'canva-marketing-2027-01',
    title: 'Hands-on Canva for Library Marketing',
    start: '2027-01-14T09:30',
    end: '2027-01-14T12:00',
    rrule: '',
    audience: 'public',
    registrationMode: 'platform',
    registrationAudience: 'everyone',
    capacity: 20,
    nearlyFullSeed: 18,
    locations: [
      {
        key: 'mount-zion',
        name: 'Mount Zion District Library, meeting room',
        buildingFscs: { fscsId: 'IL0364', seq: 2 },
        capacity: 20,
      },
    ],
    pdhHours: 2.5,
    providerSlug: 'ihls',
    tags: ['marketing', 'technology', 'continuing-education'],
    description:
      'A small hands-on workshop: design flyers, social posts and bookmarks for your library with Canva. Bring a laptop. Limited to 20 seats; a waiting list opens when it is full.',
  },
  {
    // members-only
    key: 'per-capita-grant-qa-2027-01',
    title: 'Per Capita Grant Q&A for Member Libraries',
    start: '2027-01-26T10:00',
    end: '2027-01-26T11:30',
    rrule: '',
    audience: 'members',
    registrationMode: 'platform',
    registrationAudience: 'members',
    capacity: 100,
    location: { key: 'online', name: 'Online', onlineUrl: 'https://zoom.example.org/j/isl-per-capita-qa' },
    providerSlug: 'isl',
    tags: ['grants', 'directors'],
    description:
      'Illinois State Library staff answer questions from directors and staff of member libraries about the per capita grant: eligibility, requirements and the application. For members of an Illinois library system only.',
  },
  {
    // fee with payment instructions
    key: 'serving-our-public-workshop-2027-02',
    title: 'Serving Our Public: Applying the Illinois Public Library Standards',
    start: '2027-02-10T09:00',
    end: '2027-02-10T12:00',
    rrule: '',
    audience: 'public',
    registrationMode: 'platform',
    registrationAudience: 'everyone',
    capacity: 40,
    fee: 25,
    paymentInstructions:
      'The fee is $25 per person. After registering, choose "Checkout - Confirm Payment", check the box to verify payment and submit. Then pay by check payable to the Illinois Library Association (write the attendee name and "Serving Our Public workshop" on the memo line) or by credit card through the link in your confirmation email. Cancellations at least 72 hours before the start are refunded.',
    cancellationHours: 72,
    locations: [
      {
        key: 'chatham',
        name: 'Chatham Area Public Library District',
        buildingFscs: { fscsId: 'IL0093', seq: 2 },
        capacity: 40,
      },
    ],
    pdhHours: 3,
    providerSlug: 'ila',
    tags: ['directors', 'trustees', 'continuing-education'],
    description:
      'A half-day workshop on using Serving Our Public, the Illinois public library standards, to review your library\u2019s services, policies and facilities and plan improvements.',
  },
  {
    // videoconference: several locations, each with its own capacity
    key: 'trustee-oma-foia-2027-03',
    title: 'Trustee Essentials: Open Meetings Act and FOIA (videoconference)',
    start: '2027-03-09T18:00',
    end: '2027-03-09T20:00',
    rrule: '',
    audience: 'public',
    registrationMode: 'platform',
    registrationAudience: 'everyone',
    locations: [
      { key: 'chatham', name: 'Chatham Area Public Library District', buildingFscs: { fscsId: 'IL0093', seq: 2 }, capacity: 15 },
      { key: 'mt-vernon', name: 'C.E. Brehm Memorial Public Library District (Mount Vernon)', buildingFscs: { fscsId: 'IL0363', seq: 2 }, capacity: 12 },
      { key: 'glen-carbon', name: 'Glen Carbon Centennial Library District', buildingFscs: { fscsId: 'IL0638', seq: 2 }, capacity: 10 },
      { key: 'online', name: 'Online from your own device', onlineUrl: 'https://zoom.example.org/j/ihls-trustee-essentials', capacity: 100 },
    ],
    pdhHours: 2,
    providerSlug: 'ihls',
    tags: ['trustees', 'continuing-education'],
    description:
      'An evening videoconference for public library trustees on the Open Meetings Act and the Freedom of Information Act. Watch together at one of three host libraries or online; choose your location when you register.',
  },
  {
    // external registration with signup instructions
    key: 'reaching-forward-south-2027',
    title: 'ILA Reaching Forward South 2027',
    start: '2027-05-07T08:00',
    end: '2027-05-07T16:00',
    rrule: '',
    audience: 'public',
    registrationMode: 'external',
    signupInstructions:
      'Registration is handled by the Illinois Library Association, not in Library Learning: register on the ILA website (https://www.ila.org), where the fee, venue and deadlines are posted.',
    location: { key: 'venue', name: 'Conference venue in southern Illinois (see the ILA website)' },
    providerSlug: 'ila',
    tags: ['conference', 'continuing-education'],
    description:
      'A one-day conference for library staff in southern Illinois, organized by the Illinois Library Association\u2019s Reaching Forward South Committee. (Demo listing: date and details are illustrative.)',
  },
  {
    key: 'rails-directory-updates-2027-06',
    title: 'Keeping Your L2 Directory Listing Current',
    start: '2027-06-09T14:00',
    end: '2027-06-09T15:00',
    rrule: '',
    audience: 'public',
    registrationMode: 'platform',
    registrationAudience: 'everyone',
    location: { key: 'online', name: 'Online', onlineUrl: 'https://zoom.example.org/j/rails-l2-directory' },
    pdhHours: 1,
    providerSlug: 'rails',
    tags: ['technology', 'continuing-education'],
    description:
      'How directors and designated staff edit building information, staff lists and resource-sharing policies in the L2 directory, and why it matters for delivery and interlibrary loan.',
  },
];

// ---------------------------------------------------------------------------
// People (all fictional)
// ---------------------------------------------------------------------------

export const people: PersonSpec[] = [
  // Chatham Area Public Library District (IL0093, seq 2): a director, an editor, staff
  {
    key: 'paige-turner',
    firstName: 'Paige',
    lastName: 'Turner',
    email: 'paige.turner@chathamlibrary.example',
    username: 'pturner',
    phone: '217-555-0101',
    affiliation: { fscsId: 'IL0093', seq: 2, jobTitle: 'Library Director', roles: ['director'], status: 'approved' },
  },
  {
    key: 'reed-moore',
    firstName: 'Reed',
    lastName: 'Moore',
    email: 'reed.moore@chathamlibrary.example',
    phone: '217-555-0102',
    affiliation: {
      fscsId: 'IL0093',
      seq: 2,
      jobTitle: 'Assistant Director',
      roles: ['staff', 'directory-editor'],
      status: 'approved',
    },
  },
  {
    key: 'libby-stacks',
    firstName: 'Libby',
    lastName: 'Stacks',
    email: 'libby.stacks@chathamlibrary.example',
    affiliation: { fscsId: 'IL0093', seq: 2, jobTitle: 'Youth Services Librarian', roles: ['staff'], status: 'approved' },
    mentorship: {
      role: 'mentee',
      yearsExperience: 3,
      membership: 'ila-personal',
      employedInLibrary: true,
      goals: 'Grow into a youth services department head and learn how to plan a department budget.',
      interests: ['youth services', 'programming', 'management'],
    },
  },
  // Mount Zion District Library (IL0364, seq 2): staff and a trustee
  {
    key: 'brooke-shelby',
    firstName: 'Brooke',
    lastName: 'Shelby',
    email: 'brooke.shelby@mtzionlibrary.example',
    affiliation: { fscsId: 'IL0364', seq: 2, jobTitle: 'Circulation Supervisor', roles: ['staff'], status: 'approved' },
    mentorship: {
      role: 'mentee',
      yearsExperience: 2,
      membership: 'ala-student',
      employedInLibrary: true,
      goals: 'Finish my MLIS and find my first professional position in a public library.',
      interests: ['circulation', 'customer service', 'career development'],
    },
  },
  {
    key: 'noah-fines',
    firstName: 'Noah',
    lastName: 'Fines',
    email: 'noah.fines@mtzionlibrary.example',
    affiliation: {
      fscsId: 'IL0364',
      seq: 2,
      jobTitle: 'Technical Services Librarian',
      roles: ['staff', 'certification-contact'],
      status: 'approved',
    },
  },
  {
    key: 'marian-readwell',
    firstName: 'Marian',
    lastName: 'Readwell',
    email: 'marian.readwell@example.org',
    phone: '217-555-0147',
    affiliation: { fscsId: 'IL0364', seq: 2, jobTitle: 'Board Trustee', roles: ['trustee'], status: 'approved' },
  },
  // C.E. Brehm Memorial Public Library District (IL0363, seq 2): an experienced mentor
  {
    key: 'della-decimal',
    firstName: 'Della',
    lastName: 'Decimal',
    email: 'della.decimal@brehmlibrary.example',
    affiliation: { fscsId: 'IL0363', seq: 2, jobTitle: 'Head of Reference', roles: ['staff'], status: 'approved' },
    mentorship: {
      role: 'mentor',
      yearsExperience: 18,
      membership: 'ila-personal',
      employedInLibrary: true,
      goals: 'Help a newer librarian build confidence and a professional network in Illinois.',
      interests: ['reference', 'youth services', 'management'],
    },
  },
  // Glen Carbon Centennial Library District (IL0638, seq 2): a pending affiliation
  {
    key: 'pat-ronage',
    firstName: 'Pat',
    lastName: 'Ronage',
    email: 'pat.ronage@glencarbonlibrary.example',
    affiliation: { fscsId: 'IL0638', seq: 2, jobTitle: 'Circulation Assistant', roles: ['staff'], status: 'pending' },
  },
  // RAILS: Arlington Heights Memorial Library (IL0018, seq 2): a mentor eligible by current employment
  {
    key: 'ruth-renewal',
    firstName: 'Ruth',
    lastName: 'Renewal',
    email: 'ruth.renewal@ahmlibrary.example',
    affiliation: { fscsId: 'IL0018', seq: 2, jobTitle: 'Teen Services Librarian', roles: ['staff'], status: 'approved' },
    mentorship: {
      role: 'mentor',
      yearsExperience: 5,
      membership: 'ila-personal',
      employedInLibrary: true,
      goals: 'Share what I have learned about teen programming with someone just starting out.',
      interests: ['teen services', 'programming'],
    },
  },
  // No affiliation: a guest, a retired mentor, a library-school student mentee
  {
    key: 'rory-reader',
    firstName: 'Rory',
    lastName: 'Reader',
    email: 'rory.reader@example.org',
  },
  {
    key: 'otto-archive',
    firstName: 'Otto',
    lastName: 'Archive',
    email: 'otto.archive@example.org',
    mentorship: {
      role: 'mentor',
      yearsExperience: 30,
      membership: 'ila-personal',
      employedInLibrary: false,
      goals: 'Give back after a career in Illinois public libraries, mostly as a director.',
      interests: ['administration', 'local history', 'trustee relations'],
    },
  },
  {
    key: 'quinn-quarto',
    firstName: 'Quinn',
    lastName: 'Quarto',
    email: 'quinn.quarto@example.org',
    mentorship: {
      role: 'mentee',
      yearsExperience: 0,
      membership: 'ila-student',
      employedInLibrary: false,
      goals: 'Learn what public library administration looks like day to day before I graduate.',
      interests: ['administration', 'local history'],
    },
  },
];

// ---------------------------------------------------------------------------
// Mentorship pairings (six-month terms)
// ---------------------------------------------------------------------------

export const mentorshipPairings: MentorshipPairingSpec[] = [
  { mentorKey: 'della-decimal', menteeKey: 'libby-stacks', status: 'active', start: '2026-09-01' },
  { mentorKey: 'otto-archive', menteeKey: 'quinn-quarto', status: 'proposed', start: '2027-01-04' },
];

/**
 * Directory details for a few demo buildings: what system staff maintain (delivery,
 * catalog automation, OCLC symbol) and what directors maintain (resource sharing,
 * nonresident card status). Values are illustrative, not the libraries' real data.
 */
export const buildingDetails: { fscsId: string; seq: number; data: Record<string, unknown> }[] = [
  {
    fscsId: 'IL0093', seq: 2,
    data: {
      website: 'https://chathamlibrary.example', email: 'info@chathamlibrary.example', zip: '62629',
      deliveryHub: 'Springfield', deliveryRoute: 'SPR-04', deliveryFrequency: 'daily',
      catalogAutomation: 'SHARE (Polaris)', llsapMember: true, oclcSymbol: 'IXCHA',
      resourceSharing: {
        illContactName: 'Reed Moore', illEmail: 'ill@chathamlibrary.example', illPhone: '217-555-0142',
        lendsReturnables: true, lendsAudiovisual: true, lendsNewMaterials: false, loanPeriodDays: 21, renewals: 1,
        chargesFees: false, lendingTerms: 'Lends circulating books and DVDs to all IHLS and RAILS members; new books after six months.',
        lastReviewed: '2026-03-02',
      },
      nonresidentCards: [
        { fiscalYear: 2026, participates: true, feeMethod: 'tax-bill', actionDate: '2025-06-09', effectiveDate: '2025-07-01' },
        { fiscalYear: 2027, participates: true, feeMethod: 'tax-bill', actionDate: '2026-06-08', effectiveDate: '2026-07-01' },
      ],
    },
  },
  {
    fscsId: 'IL0364', seq: 2,
    data: {
      website: 'https://mtzionlibrary.example', deliveryHub: 'Decatur', deliveryRoute: 'DEC-11', deliveryFrequency: 'three-days',
      catalogAutomation: 'SHARE (Polaris)', llsapMember: true, oclcSymbol: 'IXMTZ',
      resourceSharing: { illContactName: 'Noah Fines', illEmail: 'ill@mtzionlibrary.example', loanPeriodDays: 28, lastReviewed: '2025-04-20' },
      nonresidentCards: [{ fiscalYear: 2027, participates: false, feeMethod: 'not-applicable', actionDate: '2026-06-15' }],
    },
  },
  {
    fscsId: 'IL0363', seq: 2,
    data: {
      website: 'https://brehmlibrary.example', deliveryHub: 'Mount Vernon', deliveryRoute: 'MTV-02', deliveryFrequency: 'daily',
      catalogAutomation: 'SHARE (Polaris)', llsapMember: true, oclcSymbol: 'IXBRE',
    },
  },
];
